"""协查函 drafts: one per chain and other county, with the cases, entities, sources and sealed digests."""

from __future__ import annotations

import html
import shutil

import pytest

from casebook.chains.assist_letter import draft_letters, letter_html, where_zh, write_letters
from casebook.chains.linkage import link_casebook
from casebook.sealing import seal_case
from evidence.integrity.manifest import load_manifest


@pytest.fixture(scope="module")
def sealed_chain(sample_book, sample_truth, tmp_path_factory):
    """A copy of the sample whose first chain's cases are sealed (all but one, left unsealed on purpose)."""
    book = tmp_path_factory.mktemp("letters") / "book"
    shutil.copytree(sample_book, book)
    planted = sample_truth["chains"][0]
    unsealed = planted["cases"][-1]
    for case in planted["cases"]:
        if case != unsealed:
            seal_case(book / case)
    linkage = link_casebook(book, ocr=False, cache_dir=book.parent / "cache")
    chain = next(c for c in linkage.result.chains if c.cases == planted["cases"])
    return linkage, chain, unsealed


def test_one_letter_per_other_county_from_the_requesting_bureau(sealed_chain):
    linkage, chain, _ = sealed_chain
    letters = draft_letters(linkage, chains=[chain])
    first = min(chain.cases, key=lambda c: linkage.result.cases[c].opened)
    home = linkage.result.cases[first].county
    assert sorted(letter.to_county for letter in letters) == sorted(set(chain.counties) - {home})
    assert all(letter.from_county == home for letter in letters)
    chosen = draft_letters(linkage, chains=[chain], requester=chain.counties[-1])
    assert chain.counties[-1] not in {letter.to_county for letter in chosen} and len(chosen) == len(chain.counties) - 1
    city = draft_letters(linkage, chains=[chain], requester="周口市市场监督管理局")
    assert len(city) == len(chain.counties) and city[0].from_organ == "周口市市场监督管理局"


def test_a_letter_lists_sealed_digests_and_the_file_and_line_of_every_shared_entity(sealed_chain):
    linkage, chain, unsealed = sealed_chain
    letter = draft_letters(linkage, chains=[chain])[0]
    page = html.unescape(letter_html(letter))
    for case in chain.cases:
        if case == unsealed:
            continue
        manifest = load_manifest(linkage.casebook / case / "manifest.json")
        digests = {e.path: e.digests for e in manifest.entries}
        items = [i for i in letter.evidence if i["case"] == case]
        assert items and all(i["status"] == "sealed" for i in items)
        for item in items:
            assert item["sha256"] == digests[item["file"]]["sha256"] and item["sha256"] in page
            assert item["sm3"] == digests[item["file"]]["sm3"] and item["sm3"] in page
    assert any(unsealed in n and "casebook evidence hash" in n for n in letter.notes)
    grouped = linkage.result.chain_sources_grouped(chain)
    for item in grouped:
        assert item["file"] in page and where_zh(item) in page
    every = {(s["case"], s["file"], s.get("row", s.get("line"))) for s in linkage.result.chain_sources(chain)
             if s["links"]}
    assert every == {(i["case"], i["file"], n) for i in grouped for n in i["at"]}
    assert letter.to_organ in page and "（盖章）" in page


@pytest.mark.slow
def test_drafts_print_to_pdf(sealed_chain, tmp_path):
    linkage, chain, _ = sealed_chain
    paths = write_letters(draft_letters(linkage, chains=[chain])[:1], tmp_path, pdf=True)
    pdf = next(p for p in paths if p.suffix == ".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
    from tests.support.browser import assert_html_safe

    assert_html_safe(next(p for p in paths if p.suffix == ".html"), expect_text=["协查函", chain.id])
