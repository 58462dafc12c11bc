"""Fixtures for geo: synthetic casebooks (effort-only and with planted clusters) and their results."""

from __future__ import annotations

import pytest

from tests.support.geo_synthetic import synthetic_casebook


@pytest.fixture(scope="session")
def planted():
    return synthetic_casebook(1, planted=True)


@pytest.fixture(scope="session")
def effort_only():
    return synthetic_casebook(2, planted=False)


@pytest.fixture(scope="session")
def planted_result(planted):
    import geo

    return geo.find_hotspots(planted.cases, planted.baseline)


@pytest.fixture(scope="session")
def sample_result(sample_book):
    import geo

    return geo.find_hotspots(sample_book / "cases.csv", sample_book / "baseline.csv")
