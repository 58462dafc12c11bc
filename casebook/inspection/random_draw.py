"""双随机 draw: businesses drawn at random (risk-weighted, every one with a chance), two or more inspectors each.

Method (recorded with its version, so anyone re-runs it from the same inputs and seed):

1. **Weights.** 1 for every business (the floor: no business is ever left without a chance);
   with a hot-spot summary, a business whose point lies in a hot cell gets 2, 3 or 4 (90, 95,
   99 % confidence), one in a county with hot cells (written as in the summary: adcode, name or
   short name) but no point in one 1.5.
2. **Businesses.** Weighted sampling without replacement by Efraimidis and Spirakis (2006,
   "Weighted random sampling with a reservoir"): each business gets the key E/w, E a standard
   exponential from numpy's PCG64 generator seeded with the seed; the ``ceil(share × n)``
   smallest keys are drawn, in key order.  One pass, O(n), and a published method anyone can
   re-implement from this text, where ``Generator.choice(p=..., replace=False)`` (the same
   distribution, and as fast: bench/bench_draw.py) is whatever numpy's version does inside.
3. **Inspectors.** For each drawn business in draw order, the inspectors allowed to go (not
   declaring a conflict with it by credit code or name, not from its township where both are
   known) are ranked by how many businesses they already have, ties broken by fresh uniforms
   (one per inspector and business) from a second generator seeded with (seed, 1); the first
   ``team`` go.  Work spreads evenly
   and the pairs are random.  A business with fewer than ``team`` allowed inspectors stops the
   draw with the list of such businesses: the plan must change (more inspectors, other towns).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from casebook.inspection.draw_inputs import Inspectors, Subjects
from safeio.errors import InputError

__all__ = ["METHOD", "METHOD_VERSION", "Draw", "draw_inspections", "risk_weights"]

METHOD = "efraimidis-spirakis-weighted-sampling+least-loaded-random-pairing"
METHOD_VERSION = "1"
HOT_CELL_WEIGHT = {99: 4.0, 95: 3.0, 90: 2.0}
HOT_COUNTY_WEIGHT = 1.5
FLOOR_WEIGHT = 1.0


@dataclass
class Draw:
    """The drawn businesses with their inspectors (``frame``), and the record that lets anyone re-run it."""

    frame: pd.DataFrame
    record: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON shape of ``inspect draw --json``: each business with its id as given and its inspectors."""
        rows = [{"order": int(r.order), "id": r.id, "name": r.name, "township": r.township, "weight": float(r.weight),
                 "inspectors": [{"id": i, "name": n} for i, n in zip(r.inspector_ids, r.inspector_names, strict=True)]}
                for r in self.frame.itertuples(index=False)]
        return {"draw": rows, "record": self.record}


def risk_weights(subjects: pd.DataFrame, summary: dict | None) -> tuple[np.ndarray, dict]:
    """Each business's weight (≥ the floor) from the hot-spot summary, and counts of how each was set."""
    n = len(subjects)
    weights = np.full(n, FLOOR_WEIGHT)
    counts = {"floor": n, "hot_cell": 0, "hot_county": 0}
    if not summary or n == 0:
        return weights, counts
    from h3.api import numpy_int

    hot = {int(h["cell"], 16): HOT_CELL_WEIGHT.get(int(h.get("confidence") or 0), FLOOR_WEIGHT)
           for h in summary.get("hotspots", []) if h.get("type") == "hot" and h.get("cell")}
    lon = pd.to_numeric(subjects["lon"], errors="coerce").to_numpy(float)
    lat = pd.to_numeric(subjects["lat"], errors="coerce").to_numpy(float)
    has = np.isfinite(lon) & np.isfinite(lat)
    if has.any() and hot:
        wlon, wlat = lon[has], lat[has]
        systems = subjects["coord_sys"].to_numpy(object)[has]
        if any(str(s).strip() for s in pd.unique(systems)):
            from geo.coords import normalise_coord_sys, to_wgs84  # imports geo: only when a system is named

            names = {s: normalise_coord_sys(s) or "wgs84" for s in pd.unique(systems)}
            wlon, wlat = to_wgs84(wlon, wlat, np.array([names[s] for s in systems], dtype=object))
        resolution = int(summary["cell_resolution"])
        to_cell = numpy_int.latlng_to_cell  # h3 has no vectorised API: ~0.4 µs a point
        cells = np.fromiter((to_cell(b, a, resolution) for a, b in zip(wlon.tolist(), wlat.tolist(), strict=True)),
                            dtype=np.uint64, count=len(wlon))
        keys = np.fromiter(hot.keys(), dtype=np.uint64)
        vals = np.fromiter(hot.values(), dtype=float)
        order = np.argsort(keys)
        pos = np.clip(np.searchsorted(keys[order], cells), 0, len(keys) - 1)
        found = keys[order][pos] == cells
        idx = np.flatnonzero(has)[found]
        weights[idx] = np.maximum(weights[idx], vals[order][pos[found]])
    in_cell = weights > FLOOR_WEIGHT
    hot_counties = {str(c.get(key)) for c in summary.get("counties", []) if int(c.get("hot_cells") or 0) > 0
                    for key in ("adcode", "name") if c.get(key)}
    hot_counties |= {n[:-1] for n in hot_counties if len(n) > 2 and n[-1] in "县区市旗"}  # 川汇区 or 川汇
    rest = ~in_cell & (subjects["county"].astype(str) != "").to_numpy()
    if hot_counties and rest.any():
        written = subjects.loc[rest, "county"].astype(str).str.strip()
        idx = np.flatnonzero(rest)[written.isin(hot_counties).to_numpy()]
        weights[idx] = np.maximum(weights[idx], HOT_COUNTY_WEIGHT)
    counts["hot_cell"] = int(in_cell.sum())
    counts["hot_county"] = int((weights == HOT_COUNTY_WEIGHT).sum())
    counts["floor"] = n - counts["hot_cell"] - counts["hot_county"]
    return weights, counts


def _pair(drawn: pd.DataFrame, inspectors: Inspectors, team: int, seed: int) -> tuple[list, list, list[dict]]:
    """Inspectors for each drawn business; the businesses that cannot be staffed, with the reason counts."""
    staff = inspectors.frame
    m = len(staff)
    rng = np.random.default_rng([seed, 1])
    load = np.zeros(m, dtype=np.int64)
    town_codes, towns = pd.factorize(staff["township"].astype(str))
    town_of = {t: k for k, t in enumerate(towns) if t}
    by_key: dict[str, list[int]] = {}
    for k, names in enumerate(inspectors.conflicts):
        for name in names:
            by_key.setdefault(name, []).append(k)
    ids, names_out, impossible = [], [], []
    staff_ids = staff["id"].astype(str).tolist()
    staff_names = staff["name"].astype(str).tolist()
    everyone = np.ones(m, dtype=bool)
    block = 1024  # ties drawn a block of businesses at a time: the same stream as one row per business
    ties = np.empty((0, m))
    for row, (business_id, business_name, town) in enumerate(zip(drawn["id"], drawn["name"], drawn["township"],
                                                               strict=True)):
        if row % block == 0:
            ties = rng.random((min(block, len(drawn) - row), m))
        tie = ties[row % block]
        conflict = by_key.get(business_id, []) + by_key.get(business_name, [])
        own = town_codes == town_of[town] if town in town_of else None
        allowed = everyone if not conflict and own is None else everyone.copy()
        if conflict:
            allowed[conflict] = False
        if own is not None:
            allowed &= ~own
        candidates = np.flatnonzero(allowed)
        if len(candidates) < team:
            impossible.append({"id": business_id, "name": business_name, "township": town,
                               "conflicts": len(set(conflict)), "own_township": int(own.sum()) if own is not None else 0,
                               "allowed": len(candidates)})
            ids.append([])
            names_out.append([])
            continue
        order = candidates[np.lexsort((tie[candidates], load[candidates]))][:team]
        load[order] += 1
        ids.append([staff_ids[k] for k in order])
        names_out.append([staff_names[k] for k in order])
    return ids, names_out, impossible


def draw_inspections(subjects: Subjects, inspectors: Inspectors, *, share: float, seed: int, team: int = 2,
                     risk: dict | None = None, risk_sha256: str | None = None) -> Draw:
    """Draw ``ceil(share × n)`` businesses and pair each with ``team`` inspectors (see the module text).

    Parameters
    ----------
    subjects, inspectors : read by :mod:`casebook.inspection.draw_inputs`.
    share : the share of businesses to inspect (the work plan asks for at least 0.05 a year).
    seed : any non-negative integer; recorded.
    team : inspectors per business (at least 2).
    risk : a hot-spot summary (``casebook geo hotspots --summary``), or None for equal chances.
    risk_sha256 : its SHA-256, for the record.

    Returns
    -------
    Draw

    Raises
    ------
    InputError
        A share outside (0, 1], fewer than 2 per team, or a business that avoidance leaves without
        a team (all such businesses are named).
    """
    if not 0 < share <= 1:
        raise InputError(f"the share must be above 0 and at most 1, not {share}", field="--share",
                         hint="Give the share as a fraction: 0.05 for 5 %.")
    if team < 2:
        raise InputError("an inspection team has at least two inspectors", field="--team", hint="Use --team 2 or more.")
    if seed < 0:
        raise InputError("the seed must be a non-negative integer", field="--seed", hint="For example --seed 20240301.")
    frame = subjects.frame
    n = len(frame)
    weights, weight_counts = risk_weights(frame, risk)
    k = min(n, math.ceil(share * n - 1e-9))
    rng = np.random.default_rng(seed)
    keys = rng.standard_exponential(n) / weights
    chosen = np.argpartition(keys, k - 1)[:k] if 0 < k < n else np.arange(n)
    chosen = chosen[np.lexsort((chosen, keys[chosen]))]
    drawn = frame.iloc[chosen][["id", "name", "address", "township", "county", "row"]].reset_index(drop=True)
    drawn.insert(0, "order", np.arange(1, len(drawn) + 1))
    drawn["weight"] = weights[chosen]
    ids, names, impossible = _pair(drawn, inspectors, team, seed)
    if impossible:
        listed = "; ".join(f"{b['name'] or b['id']} (allowed {b['allowed']}, conflicts {b['conflicts']}, "
                           f"own township {b['own_township']})" for b in impossible[:10])
        more = f" and {len(impossible) - 10} more" if len(impossible) > 10 else ""
        raise InputError(f"avoidance leaves {len(impossible)} drawn business(es) with fewer than {team} inspectors: "
                         f"{listed}{more}", path=str(inspectors.path),
                         hint="Add inspectors from other townships, or check the declared conflicts, then draw again "
                              "with the same seed.")
    drawn["inspector_ids"], drawn["inspector_names"] = ids, names
    record = {
        "method": METHOD, "method_version": METHOD_VERSION, "generator": "numpy.random.default_rng (PCG64)",
        "numpy_version": np.__version__, "seed": int(seed), "share": share, "team": team,
        "population": n, "drawn": int(k), "inspectors": len(inspectors.frame),
        "weights": {"floor": FLOOR_WEIGHT, "hot_cell": {str(c): w for c, w in HOT_CELL_WEIGHT.items()},
                    "hot_county": HOT_COUNTY_WEIGHT, "counts": weight_counts},
        "inputs": {"subjects": {"file": subjects.path.name, "sha256": subjects.sha256},
                   "inspectors": {"file": inspectors.path.name, "sha256": inspectors.sha256},
                   "risk": {"sha256": risk_sha256} if risk is not None else None},
    }
    return Draw(drawn, record)
