"""Hostile input: one test file per way a careless or hostile user broke casebook in review.

Rows 1, 3-5 and 7-10 are in this folder (``test_rowNN_*.py``).  Rows 2 (a ``geo/`` or ``casebook/``
folder in the working folder) and 6 (``kill -9`` of a batch) need the dossier fixtures and live in
``tests/dossier/test_kernels.py``: ``test_dossier_from_a_folder_full_of_lookalike_packages_is_the_same``
and ``test_killed_batch_leaves_nothing_running``.
"""
