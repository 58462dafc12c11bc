"""The casebook-wide hot-spot analysis that dossiers place each case in: one definition for batch and dossier."""

from __future__ import annotations

from pathlib import Path

__all__ = ["analyse_casebook"]


def analyse_casebook(casebook_dir: str | Path):
    """Hot spots of the casebook's ``cases.csv`` (register rows included), per inspection where ``baseline.csv`` is.

    Parameters
    ----------
    casebook_dir : the casebook folder holding ``cases.csv`` and, optionally, ``baseline.csv``.

    Returns
    -------
    geo.HotspotResult

    Raises
    ------
    CasebookError
        When ``cases.csv`` is missing or holds no usable case.
    """
    import geo

    folder = Path(casebook_dir)
    baseline = folder / "baseline.csv"
    # the path, not a loaded table: geo reads it in chunks, so a province's register fits in memory
    return geo.find_hotspots(folder / "cases.csv", baseline if baseline.is_file() else None)
