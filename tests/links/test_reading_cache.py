"""Label photos are read once: link uses the readings that sealing or a dossier cached by SHA-256."""

from __future__ import annotations

import shutil

import pytest

from casebook.chains.linkage import link_casebook


def test_with_caching_off_photos_are_counted_not_read(sample_book, sample_truth, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE", "off")
    linked = link_casebook(sample_book, ocr=False)
    assert linked.stats["labels_not_read"] == len(sample_truth["labels"]) and linked.stats["labels_cached"] == 0


@pytest.fixture(scope="module")
def workshop_book(sample_book, sample_truth, tmp_path_factory):
    """The workshop of the first chain and the two shops whose seized bottles carry its label (and only that)."""
    planted = sample_truth["chains"][0]
    maker = next(c for c, r in planted["roles"].items() if r == "maker")
    shops = [c for c, r in planted["roles"].items() if r == "retailer"]
    maker_name = next(line for line in _party_names(sample_book, maker))
    book = tmp_path_factory.mktemp("workshop") / "book"
    for case in [maker, *shops]:
        shutil.copytree(sample_book / case, book / case)
        keep = {label["image"].split("/", 1)[1] for label in sample_truth["labels"]
                if label["case_id"] == case and label["fields"]["manufacturer"] == maker_name}
        for photo in (book / case / "labels").iterdir():
            if photo.relative_to(book / case).as_posix() not in keep:
                photo.unlink()
    return book, maker, shops


def _party_names(book, case):
    import yaml

    yield yaml.safe_load((book / case / "case.yml").read_text(encoding="utf-8"))["party"]["name"]


@pytest.mark.slow
def test_photos_read_once_are_never_read_again_and_their_fields_link(workshop_book, tmp_path):
    book, maker, shops = workshop_book
    photos = sum(1 for _ in book.glob("*/labels/*.jpg"))
    assert photos == 2
    cache = tmp_path / "readings"
    first = link_casebook(book, ocr=True, cache_dir=cache)
    assert first.stats["labels_read"] == photos and first.stats["labels_cached"] == 0
    again = link_casebook(book, ocr=True, cache_dir=cache)
    assert again.stats["labels_read"] == 0 and again.stats["labels_cached"] == photos
    # the workshop's credit code, printed on the seized bottles, ties the shops to it
    code = next(e for e in again.result.entities if e.kind == "credit_code" and maker in e.cases)
    assert set(shops) <= set(code.cases)
    assert {s["origin"] for s in code.sources()} == {"case", "label"}
    assert all(s["line"] for s in code.sources() if s["origin"] == "label")
    assert [c.cases for c in again.result.chains] == [sorted([maker, *shops])]


@pytest.mark.slow
def test_readings_cached_by_the_label_pipeline_are_used(workshop_book, tmp_path, monkeypatch):
    from casebook.cachedir import reading_cache
    from evidence.labels.label_report import read_label
    from evidence.labels.ocr import get_engine

    book, _, _ = workshop_book
    monkeypatch.setenv("CASEBOOK_CACHE", str(tmp_path))  # the folder every part of casebook uses
    for photo in book.glob("*/labels/*.jpg"):  # what sealing or a dossier run does
        read_label(photo, get_engine("auto"), cache=reading_cache())
    linked = link_casebook(book, ocr=False)
    assert linked.stats["labels_read"] == 0 and linked.stats["labels_not_read"] == 0
    assert linked.stats["labels_cached"] == 2
