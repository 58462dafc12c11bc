"""Fixtures for the web-capture tests: loopback sites (http and https), case folders."""

from __future__ import annotations

import pytest

from tests.support.web_pages import serve, write_case


@pytest.fixture(scope="session")
def site():
    with serve() as running:
        yield running


@pytest.fixture(scope="session")
def https_site(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("tls"), tls=True) as running:
        yield running


@pytest.fixture
def case_dir(tmp_path):
    return write_case(tmp_path)
