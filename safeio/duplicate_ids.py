"""Ids that more than one row of a table carries: found in one pass, named with their rows.

Every reader of a case table (the hot-spot register, a casebook's ``cases.csv`` for linking,
leads and the dossier batch) asks this one function, so a case id given twice is reported the
same way everywhere instead of being merged or overwritten silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DuplicateId", "DuplicateIds", "find_duplicate_ids"]

LISTED = 20  # ids named in a message; the rest are counted
ROWS_LISTED = 10  # rows named per id


@dataclass(frozen=True)
class DuplicateId:
    """One id and every row that carries it (as the caller numbers rows: a file's line, a sheet's row)."""

    value: str
    rows: tuple

    def message(self, what: str = "case id", source: str = "") -> str:
        shown = ", ".join(map(str, self.rows[:ROWS_LISTED])) + (" …" if len(self.rows) > ROWS_LISTED else "")
        return f"{what} {self.value} is on {len(self.rows)} rows{f' of {source}' if source else ''} (rows {shown})"


@dataclass(frozen=True)
class DuplicateIds:
    """The ids found more than once, first seen first; false when there are none."""

    found: tuple[DuplicateId, ...]

    def __bool__(self) -> bool:
        return bool(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def __iter__(self):
        return iter(self.found)

    def message(self, what: str = "case id", source: str = "", consequence: str = "") -> str:
        """One sentence naming each duplicated id with its rows (the first :data:`LISTED`), then ``consequence``."""
        listed = [f"{d.value} in rows {', '.join(map(str, d.rows[:ROWS_LISTED]))}" for d in self.found[:LISTED]]
        more = f"; {len(self.found) - LISTED} more" if len(self.found) > LISTED else ""
        where = f" of {source}" if source else ""
        return (f"{len(self.found)} {what}(s) appear on more than one row{where}: {'; '.join(listed)}{more}."
                + (f" {consequence}" if consequence else ""))


def find_duplicate_ids(ids: Sequence, rows: Sequence | None = None) -> DuplicateIds:
    """The ids that more than one row carries, each with those rows.

    Parameters
    ----------
    ids : sequence
        One id per row (list, array, Series); surrounding spaces do not count, and empty or
        missing ids are never duplicates of each other.
    rows : sequence, optional
        The row number to name for each id (default: 1, 2, ...).

    Returns
    -------
    DuplicateIds
    """
    keys = pd.Series(ids, dtype="str").str.strip()  # missing stays missing
    if not len(keys):
        return DuplicateIds(())
    dup = keys.duplicated(keep=False) & keys.notna() & keys.ne("")
    if not dup.any():
        return DuplicateIds(())
    numbers = pd.Series(np.arange(1, len(keys) + 1) if rows is None else np.asarray(rows))
    mask = dup.to_numpy()
    groups = numbers[mask].groupby(keys[mask].to_numpy(), sort=False).agg(lambda found: tuple(found.tolist()))
    return DuplicateIds(tuple(DuplicateId(str(value), found) for value, found in groups.items()))
