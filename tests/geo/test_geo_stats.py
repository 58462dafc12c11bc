"""Gi*, FDR bins, Moran's I, empirical Bayes and trend categories against esda/pymannkendall."""

from __future__ import annotations

import esda
import libpysal
import numpy as np
import pymannkendall as mk
import pytest
from libpysal.graph import Graph
from scipy import sparse

from geo.stats import empirical_bayes, fdr_bins, gi_star, moran_z, two_sided_p
from geo.trend import _category, emerging

POINTS = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
Y = np.array([2, 3, 3.2, 5, 8, 7.0])
REFERENCE_Z = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]


def binary_star(w: libpysal.weights.W) -> sparse.csr_matrix:
    m = w.sparse.tocsr().astype(float)
    m.data[:] = 1.0
    return (m + sparse.identity(m.shape[0], format="csr")).tocsr()


def test_gi_star_matches_domain_reference_values():
    w = libpysal.weights.DistanceBand(POINTS, 15, silence_warnings=True)
    assert gi_star(Y, binary_star(w)) == pytest.approx(REFERENCE_Z, abs=1e-8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gi_star_equals_esda_b_star_to_1e9(seed):
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 1000, (400, 2))
    y = rng.poisson(3, 400).astype(float) + (pts[:, 0] > 700) * rng.poisson(4, 400)
    w = libpysal.weights.DistanceBand(pts, 120, silence_warnings=True)
    ours = gi_star(y, binary_star(w))
    with_w = esda.G_Local(y, w, transform="B", star=True, permutations=0).Zs
    with_graph = esda.G_Local(y, Graph.from_W(w), transform="B", star=True, permutations=0).Zs
    assert np.max(np.abs(ours - with_w)) < 1e-9
    assert np.max(np.abs(ours - with_graph)) < 1e-9
    # esda's p_norm is one-sided: ours is two-sided
    g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    assert two_sided_p(ours) == pytest.approx(2 * g.p_norm, abs=1e-12)


def test_gi_star_many_columns_equals_one_by_one():
    rng = np.random.default_rng(5)
    pts = rng.uniform(0, 100, (150, 2))
    w = binary_star(libpysal.weights.DistanceBand(pts, 15, silence_warnings=True))
    x = rng.poisson(2, (150, 4)).astype(float)
    together = gi_star(x, w)
    for k in range(4):
        assert np.allclose(together[:, k], gi_star(x[:, k], w), atol=1e-12)


def test_zero_variance_gives_zero_z():
    w = binary_star(libpysal.weights.DistanceBand(POINTS, 15, silence_warnings=True))
    assert np.all(gi_star(np.full(6, 4.0), w) == 0)


def test_fdr_bins_match_esda_fdr():
    rng = np.random.default_rng(3)
    z = np.concatenate([rng.normal(0, 1, 900), rng.normal(3.5, 0.5, 60), rng.normal(-3.5, 0.5, 40)])
    p = two_sided_p(z)
    bins = fdr_bins(z, p)
    for level, alpha in ((3, 0.01), (2, 0.05), (1, 0.10)):
        sig = p <= esda.fdr(p, alpha)
        assert np.all(np.abs(bins[sig]) >= level)
        assert np.all(np.sign(bins[sig]) == np.sign(z[sig]))
    assert np.all(bins[p > esda.fdr(p, 0.10)] == 0)
    # without the correction many more cells would pass 90 %
    assert (p <= 0.10).sum() > (bins != 0).sum()


def test_moran_on_sparse_equals_esda():
    rng = np.random.default_rng(4)
    pts = rng.uniform(0, 100, (300, 2))
    y = pts[:, 0] / 10 + rng.normal(0, 2, 300)
    w = libpysal.weights.DistanceBand(pts, 12, silence_warnings=True)
    m = esda.Moran(y, w, transformation="B", permutations=0)
    wb = w.sparse.tocsr().astype(float)
    wb.data[:] = 1
    i, z = moran_z(y, wb)
    assert i == pytest.approx(m.I, abs=1e-12)
    assert z == pytest.approx(m.z_norm, abs=1e-9)


def test_empirical_bayes_equals_esda_where_effort_is_positive():
    rng = np.random.default_rng(6)
    e = rng.integers(1, 80, 200).astype(float)
    c = rng.poisson(0.1 * e).astype(float)
    ours = empirical_bayes(c, e)
    theirs = np.asarray(esda.smoothing.Empirical_Bayes(c, e).r).ravel()
    assert np.allclose(ours, theirs, atol=1e-12)
    # zero effort: the study-wide rate, never a division by zero
    with_zero = empirical_bayes(np.append(c, 3.0), np.append(e, 0.0))
    assert with_zero[-1] == pytest.approx(c.sum() / e.sum())


def test_trend_categories_follow_arcgis_definitions():
    n = 10
    assert _category(np.array([0] * 9 + [2]), "no trend") == "new"
    assert _category(np.array([0] * 6 + [1] * 4), "no trend") == "consecutive"
    assert _category(np.array([2] * 10), "increasing") == "intensifying"
    assert _category(np.array([2] * 10), "no trend") == "persistent"
    assert _category(np.array([2] * 10), "decreasing") == "diminishing"
    assert _category(np.array([1, 0, 1, 0, 0, 1, 0, 0, 0, 1]), "no trend") == "sporadic"
    assert _category(np.array([-1, 0, 1, 0, 0, 1, 0, 0, 0, 1]), "no trend") == "oscillating"
    assert _category(np.array([2] * 9 + [0]), "no trend") == "historical"
    assert _category(np.array([-2] * n), "decreasing") == "intensifying"  # a cold spot getting colder
    assert _category(np.zeros(n, dtype=int), "no trend") == "no pattern"


def test_emerging_uses_mann_kendall_on_slice_z():
    rng = np.random.default_rng(8)
    pts = rng.uniform(0, 100, (200, 2))
    w = binary_star(libpysal.weights.DistanceBand(pts, 15, silence_warnings=True))
    slices = rng.poisson(1, (200, 10)).astype(float)
    hot = np.hypot(pts[:, 0] - 50, pts[:, 1] - 50) < 15
    slices[hot] += np.arange(10)[None, :] * 1.5  # a growing hot spot
    out = emerging(slices, w)
    centre = np.flatnonzero(hot)[0]
    z = gi_star(slices, w)[centre]
    expected = mk.original_test(z)
    assert out.trend_tau[centre] == pytest.approx(expected.Tau)
    assert out.trend[hot].isin(["intensifying", "consecutive", "persistent", "new"]).mean() > 0.5


def test_vectorised_mann_kendall_equals_pymannkendall():
    from geo.trend import mann_kendall

    rng = np.random.default_rng(3)
    series = np.vstack([rng.normal(size=(40, 9)), np.round(rng.normal(size=(40, 9))),  # with ties
                        np.arange(9.0)[None, :] + rng.normal(0, 0.3, (20, 9))])
    direction, tau, p = mann_kendall(series)
    for row, d, t, q in zip(series, direction, tau, p, strict=True):
        ref = mk.original_test(row)
        assert t == pytest.approx(ref.Tau) and q == pytest.approx(ref.p, abs=1e-12)
        assert {"increasing": 1, "decreasing": -1, "no trend": 0}[ref.trend] == d


def test_isa_from_pairs_equals_moran_on_weights():
    from scipy.spatial import cKDTree

    from geo.stats import incremental_autocorrelation

    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 1000, 300), rng.uniform(0, 1000, 300)
    values = rng.poisson(3, 300) + (x < 300) * 4.0
    for band, i_stat, z in incremental_autocorrelation(values, x, y, [80.0, 150.0, 260.0]):
        pairs = cKDTree(np.column_stack([x, y])).query_pairs(band, output_type="ndarray")
        w = sparse.coo_matrix((np.ones(2 * len(pairs)), (np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]])),
                              shape=(300, 300)).tocsr()
        ref_i, ref_z = moran_z(values, w)
        assert i_stat == pytest.approx(ref_i, rel=1e-10) and z == pytest.approx(ref_z, rel=1e-10)
