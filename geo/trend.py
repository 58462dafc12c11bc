"""Emerging hot spots: Gi* per time slice plus a Mann-Kendall trend, after ArcGIS's categories.

Categories (ArcGIS Emerging Hot Spot Analysis, for hot and, mirrored, for cold spots):
new (significant only in the final slice), consecutive (an unbroken final run, never before,
under 90 % of slices), intensifying / persistent / diminishing (significant in >= 90 % of slices
including the final one; Mann-Kendall on the z-scores rising / flat / falling at p < .05),
sporadic (on and off, final slice significant), oscillating (final slice significant, the
other type earlier), historical (>= 90 % of slices but not the final one).  Cells that fit none
are "no pattern"; a period too short for slices gives "insufficient period".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from geo.stats import fdr_bins, gi_star, two_sided_p

__all__ = ["MAX_SLICES", "MIN_SLICES", "emerging", "mann_kendall", "slice_edges"]

MIN_SLICES = 3
MAX_SLICES = 12


def slice_edges(start, end, n_slices: int | None = None) -> np.ndarray | None:
    """Equal time slices over [start, end]: n+1 edges (datetime64), or None when the period is too short.

    As many slices as months, clamped to 3..12, unless ``n_slices`` is given.
    """
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end <= start:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    n = n_slices or int(np.clip(months, MIN_SLICES, MAX_SLICES))
    return pd.date_range(start, end, periods=n + 1).to_numpy().astype("datetime64[s]")


def mann_kendall(series: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mann-Kendall trend test of every row of a (cells x slices) matrix at once: (direction, tau, p).

    The same numbers as ``pymannkendall.original_test`` (S, tie-corrected variance, continuity
    correction, two-sided p), written with numpy because pymannkendall tests one series per call
    (~2 ms each, minutes for a province's cells).  ``direction`` is +1 increasing, -1 decreasing, 0.
    """
    x = np.asarray(series, dtype=float)
    m, n = x.shape
    if m == 0 or n < 2:
        return np.zeros(m, dtype=int), np.full(m, np.nan), np.full(m, np.nan)
    i, j = np.triu_indices(n, k=1)
    s = np.sign(x[:, j] - x[:, i]).sum(axis=1)
    ordered = np.sort(x, axis=1)
    # tie groups: runs of equal values in each sorted row
    starts = np.ones((m, n), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run_id = np.cumsum(starts, axis=1) - 1
    sizes = np.zeros((m, n))
    np.add.at(sizes, (np.repeat(np.arange(m), n), run_id.ravel()), 1.0)
    ties = (sizes * (sizes - 1) * (2 * sizes + 5)).sum(axis=1)
    var = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s > 0, (s - 1) / np.sqrt(var), np.where(s < 0, (s + 1) / np.sqrt(var), 0.0))
    z = np.nan_to_num(z)
    p = 2 * (1 - norm.cdf(np.abs(z)))
    h = np.abs(z) > norm.ppf(1 - alpha / 2)
    direction = np.where(h & (z > 0), 1, np.where(h & (z < 0), -1, 0))
    return direction, s / (0.5 * n * (n - 1)), p


def emerging(values_by_slice: np.ndarray, w, candidates: np.ndarray | None = None) -> pd.DataFrame:
    """Trend category and Mann-Kendall (tau, p) per cell from a cells x slices value matrix."""
    n_cells, n_slices = values_by_slice.shape
    out = pd.DataFrame({"trend": ["insufficient period"] * n_cells, "trend_tau": np.nan, "trend_p": np.nan})
    if n_slices < MIN_SLICES:
        return out
    z = gi_star(values_by_slice, w)
    bins = np.column_stack([fdr_bins(z[:, k], two_sided_p(z[:, k])) for k in range(n_slices)])
    out["trend"] = "no pattern"
    rows = np.flatnonzero((bins != 0).any(axis=1))
    if candidates is not None:
        rows = np.union1d(rows, np.flatnonzero(candidates))
    trends = out["trend"].to_numpy(dtype=object, copy=True)
    tau = out["trend_tau"].to_numpy(dtype=float, copy=True)
    pval = out["trend_p"].to_numpy(dtype=float, copy=True)
    varying = rows[np.ptp(z[rows], axis=1) > 0] if len(rows) else rows
    direction = np.zeros(n_cells, dtype=int)
    if len(varying):
        d, t, pv = mann_kendall(z[varying])
        direction[varying], tau[varying], pval[varying] = d, t, pv
    names = {1: "increasing", -1: "decreasing", 0: "no trend"}
    for i in rows:
        trends[i] = _category(bins[i], names[int(direction[i])])
    out["trend"] = trends
    out["trend_tau"] = tau
    out["trend_p"] = pval
    return out


def _category(bins: np.ndarray, direction: str) -> str:
    final = bins[-1]
    sign = int(np.sign(final)) if final != 0 else (1 if (bins > 0).sum() >= (bins < 0).sum() else -1)
    same = (np.sign(bins) == sign)
    other = (np.sign(bins) == -sign)
    share = same.mean()
    if final == 0:
        return "historical" if share >= 0.9 else "no pattern"
    if same[:-1].sum() == 0:
        return "new"
    if share >= 0.9:
        rising = "increasing" if sign > 0 else "decreasing"
        falling = "decreasing" if sign > 0 else "increasing"
        return {rising: "intensifying", falling: "diminishing"}.get(direction, "persistent")
    run = int(np.argmin(same[::-1])) if not same.all() else len(same)
    if same[: len(same) - run].sum() == 0 and run >= 2:
        return "consecutive"
    if other.any():
        return "oscillating"
    return "sporadic"
