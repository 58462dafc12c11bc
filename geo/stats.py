"""Getis-Ord Gi*, FDR confidence bins, Moran's I over distance bands, empirical-Bayes rates.

Gi* is the ArcGIS/esda formula (``esda.G_Local(y, w, transform="B", star=True)``) written as
sparse-matrix algebra: esda takes one variable per call and always builds its permutation
machinery, while the emerging-hot-spot trend needs Gi* for every time slice at once.  The tests
prove equality with esda to 1e-9.
"""

from __future__ import annotations

import numpy as np
from esda import fdr
from scipy import sparse
from scipy.stats import norm

__all__ = ["BIN_CONFIDENCE", "CONFIDENCE_ALPHA", "empirical_bayes", "fdr_bins", "first_peak", "gi_star",
           "incremental_autocorrelation", "moran_z", "two_sided_p"]

CONFIDENCE_ALPHA = ((3, 0.01), (2, 0.05), (1, 0.10))
BIN_CONFIDENCE = {3: 99, 2: 95, 1: 90}


def gi_star(values, w: sparse.spmatrix) -> np.ndarray:
    """Gi* z-scores for binary weights ``w`` that include each cell itself (one column per variable).

    z = (Σw·x − x̄·Σw) / (S·√((nΣw² − (Σw)²)/(n−1))), S the population standard deviation.
    A variable without variation gives z = 0 (no cell stands out).
    """
    x = np.asarray(values, dtype=float)
    one = x.ndim == 1
    if one:
        x = x[:, None]
    n = x.shape[0]
    wsum = np.asarray(w.sum(axis=1)).ravel()
    w2sum = np.asarray(w.multiply(w).sum(axis=1)).ravel()
    mean = x.mean(axis=0)
    sd = x.std(axis=0)
    lag = w @ x
    denom_w = np.sqrt(np.maximum(n * w2sum - wsum * wsum, 0.0) / max(n - 1, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (lag - mean[None, :] * wsum[:, None]) / (sd[None, :] * denom_w[:, None])
    z[~np.isfinite(z)] = 0.0
    sd_tiny = sd <= 1e-12 * np.maximum(np.abs(mean), 1.0)
    z[:, sd_tiny] = 0.0
    return z[:, 0] if one else z


def two_sided_p(z) -> np.ndarray:
    return 2.0 * norm.sf(np.abs(np.asarray(z, dtype=float)))


def fdr_bins(z, p) -> np.ndarray:
    """ArcGIS Gi_Bin: ±3/±2/±1 at 99/95/90 % after Benjamini-Hochberg FDR (esda.fdr per level)."""
    z = np.asarray(z, dtype=float)
    p = np.asarray(p, dtype=float)
    bins = np.zeros(len(z), dtype=int)
    if len(z) == 0:
        return bins
    for level, alpha in reversed(CONFIDENCE_ALPHA):
        cut = fdr(p, alpha)
        sig = (p <= cut) & (z != 0)
        bins[sig] = np.sign(z[sig]).astype(int) * level
    return bins


def moran_z(values, w: sparse.spmatrix) -> tuple[float, float]:
    """Global Moran's I and its z-score under normality, for a symmetric weights matrix without self.

    Same as ``esda.Moran(y, w, transformation="B").I`` / ``.z_norm`` on sparse algebra.
    """
    y = np.asarray(values, dtype=float)
    n = len(y)
    z = y - y.mean()
    s0 = w.sum()
    zz = float(z @ z)
    if s0 == 0 or zz == 0 or n < 3:
        return float("nan"), float("nan")
    i = n / s0 * float(z @ (w @ z)) / zz
    wt = w + w.T
    s1 = 0.5 * wt.multiply(wt).sum()
    s2 = float(((np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()) ** 2).sum())
    ei = -1.0 / (n - 1)
    v = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - ei * ei
    return i, (i - ei) / np.sqrt(v)


def incremental_autocorrelation(values, x, y, distances) -> list[tuple[float, float, float]]:
    """Global Moran's I z-score at each distance band (ISA), from one pass of neighbour pairs.

    Returns (distance, I, z) per band.  With binary symmetric weights every term of Moran's I and
    its variance (S0, S1, S2, the cross-product) is a sum over the pairs within the band, so the
    pairs of the largest band are found once and each band is a mask: no weights matrix is built.
    The numbers equal :func:`moran_z` (and ``esda.Moran``), which the tests check.
    """
    from scipy.spatial import cKDTree

    v = np.asarray(values, dtype=float)
    n = len(v)
    tree = cKDTree(np.column_stack([x, y]))
    pairs = tree.query_pairs(float(max(distances)), output_type="ndarray")
    d = np.hypot(x[pairs[:, 0]] - x[pairs[:, 1]], y[pairs[:, 0]] - y[pairs[:, 1]])
    order = np.argsort(d, kind="stable")
    pairs, d = pairs[order], d[order]
    zdev = v - v.mean()
    zz = float(zdev @ zdev)
    cross = zdev[pairs[:, 0]] * zdev[pairs[:, 1]]
    out = []
    for band in distances:
        k = int(np.searchsorted(d, band, side="right"))
        if k == 0 or zz == 0 or n < 3:
            out.append((float(band), float("nan"), float("nan")))
            continue
        s0 = 2.0 * k
        i_stat = n / s0 * 2.0 * float(cross[:k].sum()) / zz
        degree = np.bincount(pairs[:k].ravel(), minlength=n).astype(float)
        s1 = 2.0 * s0
        s2 = float(((2.0 * degree) ** 2).sum())
        ei = -1.0 / (n - 1)
        var = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - ei * ei
        # a band where every unit has the same number of neighbours can leave no variance to test against
        out.append((float(band), i_stat, (i_stat - ei) / np.sqrt(var) if var > 0 else float("nan")))
    return out


def first_peak(series: list[tuple[float, float, float]], min_z: float = 1.96) -> float | None:
    """Distance of the first statistically significant peak of the ISA z-scores, or None."""
    zs = [s[2] for s in series]
    for k in range(len(zs)):
        left = zs[k - 1] if k > 0 else -np.inf
        right = zs[k + 1] if k + 1 < len(zs) else -np.inf
        if np.isfinite(zs[k]) and zs[k] >= min_z and zs[k] > left and zs[k] > right and k + 1 < len(zs):
            return series[k][0]
    return None


def empirical_bayes(cases, effort) -> np.ndarray:
    """Global empirical-Bayes smoothed rate cases/effort (Marshall 1991), as in esda.smoothing.

    Written out because esda's ``Empirical_Bayes`` divides by zero where effort is 0; here such
    cells get the study-wide rate (no information), which the summary reports.
    """
    c = np.asarray(cases, dtype=float)
    e = np.asarray(effort, dtype=float)
    total_e = e.sum()
    if total_e <= 0:
        return np.zeros_like(c)
    b = c[e > 0].sum() / total_e  # cases where nobody inspected say nothing about the rate
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(e > 0, c / e, b)
    # The prior's moments come from cells that have effort: empty cells carry no observation.
    ebar = total_e / max(int((e > 0).sum()), 1)
    s2 = float((e * (r - b) ** 2).sum() / total_e - b / ebar)
    s2 = max(s2, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shrink = np.where(e > 0, s2 / (s2 + b / e), 0.0)
    return b + (r - b) * shrink
