"""Fixtures for the web-capture tests: loopback sites (http and https), case folders, the CLI in-process."""

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


@pytest.fixture
def cli(capsysbinary):
    """Run ``casebook ...`` in-process; returns (exit code, stdout text, stderr text)."""
    from casebook.cli import main

    def invoke(*argv: str):
        code = main([str(arg) for arg in argv])
        out, err = capsysbinary.readouterr()
        return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    return invoke
