"""Fixtures for the link tests: the sample casebook linked once (cached label readings only) and its truth."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="session")
def sample_truth(sample_book) -> dict:
    return json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def record_chains(sample_truth) -> list[dict]:
    """The planted chains that records alone show (a labels-only chain needs its photos read)."""
    return [c for c in sample_truth["chains"] if not c.get("labels_only")]


@pytest.fixture(scope="session")
def sample_linkage(sample_book, tmp_path_factory):
    """The sample linked from its records (no reading cache: label photos are left out, and counted)."""
    from casebook.chains.linkage import link_casebook

    return link_casebook(sample_book, ocr=False, cache_dir=tmp_path_factory.mktemp("empty-reading-cache"))
