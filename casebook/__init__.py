"""casebook: the application layer.

It ties the two libraries (``evidence``: what can be held as evidence; ``geo``: where cases
happen) to case folders, papermill templates and the ``casebook`` command.  Imports point down
only: ``casebook`` -> ``evidence``, ``geo`` -> ``safeio`` (errors, atomic writes); nothing below
imports from here (see docs/architecture.md).
"""

__version__ = "0.1.0"
