"""safeio: the bottom layer that every other package of the repository stands on.

It holds what all layers share and nothing that knows about cases, labels or maps:

- :mod:`safeio.errors`: the one error family (``CasebookError`` and its kinds), whose messages tell
  a person what went wrong, where (file, row, field) and what to do;
- :mod:`safeio.atomic`: atomic file writes (temp file, fsync, rename), so that a crash never leaves
  half a file that looks whole;
- :mod:`safeio.limits`: limits on what a user hands over (size-capped reads that never follow a
  link, JSON that refuses deep nesting, control characters escaped for terminals);
- :mod:`safeio.identifier_grammar`: the one grammar of identifiers (credit codes, licences,
  phones, CCC numbers, barcodes) that labels, links and registers share.

It imports nothing from the repository, so ``evidence``, ``geo``, ``links`` and the ``casebook`` application
can all import it without an arrow pointing upward.
"""

from safeio.atomic import publish, write_bytes_atomic, write_text_atomic
from safeio.errors import (
    CasebookError,
    InputError,
    IntegrityError,
    MissingDependencyError,
    UnsafePathError,
)

__all__ = ["CasebookError", "InputError", "IntegrityError", "MissingDependencyError", "UnsafePathError",
           "publish", "write_bytes_atomic", "write_text_atomic"]
