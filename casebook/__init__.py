"""casebook: the application layer.

It ties the libraries (``evidence``: what can be held as evidence; ``geo``: where cases happen;
``links``: what ties cases together) to case folders, papermill templates and the ``casebook``
command, and holds the words people read (``casebook.words``, ``casebook.sections``).  Imports
point down only: ``casebook`` -> ``links`` -> ``evidence``, ``geo`` -> ``safeio``; nothing below
imports from here (rooms and recipes: docs/architecture.md).
"""

__version__ = "0.1.0"
