"""The dossier's 关联案件 section, called in-process as the template's cell does."""

from __future__ import annotations

import html

import pytest

from casebook.sections import Dossier


@pytest.fixture(autouse=True)
def _no_shared_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE", str(tmp_path / "cache"))


def test_a_chain_case_shows_its_linked_cases_the_shared_entities_and_where_each_was_read(
        sample_book, sample_truth, sample_linkage):
    planted = sample_truth["chains"][0]
    case = next(c for c, role in planted["roles"].items() if role == "wholesaler")
    dossier = Dossier(sample_book / case)
    page = dossier.linked()._repr_html_()
    assert "关联案件" in page and dossier.summary["sections"]["linked"] == "ok"
    assert dossier.summary["linked"]["cases"] == sorted(set(planted["cases"]) - {case})
    for other in planted["cases"]:
        assert other in page
    chain = sample_linkage.result.chains_of(case)[0]
    text = html.unescape(page)
    for item in sample_linkage.result.chain_sources_grouped(chain):
        assert item["file"] in text and "第" + "、".join(map(str, item["at"])) + "行" in text
    assert "批发商" in page  # the role the documents give this case


def test_a_case_with_no_link_says_so_in_english_too(sample_book, sample_truth):
    linked = {c for chain in sample_truth["chains"] for c in chain["cases"]}
    case = next(c["case_id"] for c in sample_truth["cases"] if c["case_id"] not in linked)
    dossier = Dossier(sample_book / case, lang="en")
    page = dossier.linked()._repr_html_()
    assert "No case of the 30 in this casebook is linked to this one." in page
    assert dossier.summary["linked"] == {"chains": [], "cases": []}
    assert "label photo(s) have no reading yet" in page


def test_a_case_alone_in_its_folder_is_compared_with_nothing(sample_book, tmp_path):
    import shutil

    case = tmp_path / "alone" / "ZK-2024-001"
    shutil.copytree(sample_book / "ZK-2024-001", case)
    page = Dossier(case).linked()._repr_html_()
    assert "在本案卷 1 件案件中，未发现与本案关联的案件。" in page
    elsewhere = Dossier(case, casebook_dir=tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    assert "不是案卷目录" in elsewhere.linked()._repr_html_()


def test_a_batch_hands_each_dossier_its_view_instead_of_linking_again(sample_book, sample_truth, sample_linkage,
                                                                     tmp_path):
    from casebook.chains.link_views import load_case_view, save_case_views

    folder = save_case_views(sample_linkage, tmp_path / "links", sample_linkage.result.cases)
    planted = sample_truth["chains"][0]
    case = planted["cases"][0]
    view = load_case_view(folder, case)
    assert {c["case_id"] for c in view["chains"][0]["cases"]} == set(planted["cases"])
    # the dossier shows what it was handed, not a linkage of its own: a chain renamed in the view shows renamed
    view["chains"][0]["id"] = "HANDED-IN"
    (folder / f"{case}.json").write_text(__import__("json").dumps(view, ensure_ascii=False), encoding="utf-8")
    page = Dossier(sample_book / case, links=folder).linked()._repr_html_()
    alone = Dossier(sample_book / case).linked()._repr_html_()
    assert "HANDED-IN" in page and "HANDED-IN" not in alone
    assert page.count("<tr") == alone.count("<tr")
