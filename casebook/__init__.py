"""casebook: the application layer.

It ties the two libraries (``evidence``: what can be held as evidence; ``geo``: where cases
happen) to case folders, papermill templates and the ``casebook`` command.  The libraries never
import from here except for the shared error family in :mod:`casebook.errors`.
"""

__version__ = "0.1.0"
