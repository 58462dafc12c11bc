"""``casebook link`` on the sample casebook: exactly the planted chains, no decoy linked, bad files
reported by name while the other cases go on."""

from __future__ import annotations

import json
import shutil

from casebook.chains.linkage import link_casebook
from casebook.cli import main
from links.testing import assert_chains_match
from tests.support.links import write_table


def test_the_planted_chains_are_found_exactly_with_their_roles_and_no_decoy_links(sample_linkage, sample_truth,
                                                                                 record_chains):
    assert len(record_chains) >= 2
    assert_chains_match(sample_linkage.result.chains, record_chains, sample_truth["link_decoys"])
    for planted in record_chains:
        chain = next(c for c in sample_linkage.result.chains if set(c.cases) == set(planted["cases"]))
        assert chain.counties == planted["counties"] and len(chain.counties) >= 2  # across counties


def test_every_shared_entity_of_a_chain_names_its_file_and_row_or_line(sample_linkage):
    result = sample_linkage.result
    for chain in result.chains:
        sources = result.chain_sources(chain)
        assert {s["case"] for s in sources if s["links"]} == set(chain.cases)
        for s in sources:
            assert s["file"] and s["text"]
            assert "row" in s or "line" in s, s


def test_hubs_are_in_most_cases_and_weigh_almost_nothing(sample_linkage, sample_truth):
    hub_cases = next(d["cases"] for d in sample_truth["link_decoys"] if d["kind"] == "regional_distributor")
    assert len(hub_cases) >= 0.4 * len(sample_truth["cases"])
    distributor = next(e for e in sample_linkage.result.entities
                       if e.kind == "name" and e.key.startswith("华联") and len(e.cases) > 5)
    assert distributor.weight < 0.3
    assert all(distributor.id not in {v["entity"] for v in c.via if v["links"]} for c in sample_linkage.result.chains)


def test_label_photos_without_a_cached_reading_are_counted_not_read(sample_linkage, sample_truth):
    assert sample_linkage.stats["labels_not_read"] == len(sample_truth["labels"])
    assert sample_linkage.stats["labels_read"] == 0


def test_cli_json_and_outputs(sample_book, record_chains, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE", str(tmp_path / "cache"))
    code = main(["link", str(sample_book), "--json", "--no-ocr", "--out", str(tmp_path / "out")])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {frozenset(c["cases"]) for c in data["chains"]} == {frozenset(c["cases"]) for c in record_chains}
    for entity in data["entities"]:
        assert {"id", "kind", "value", "variants", "cases", "sources"} <= set(entity) and len(entity["cases"]) >= 2
    assert (tmp_path / "out" / "links.html").is_file()
    assert json.loads((tmp_path / "out" / "links.json").read_text(encoding="utf-8"))["chains"] == data["chains"]
    letters = sorted((tmp_path / "out" / "letters").glob("*.html"))
    other_counties = sum(len(c["counties"]) - 1 for c in data["chains"])
    assert len(letters) == other_counties


def test_bad_records_are_named_and_the_other_cases_go_on(sample_book, sample_truth, record_chains, tmp_path, capsys,
                                                         monkeypatch):
    book = tmp_path / "book"
    shutil.copytree(sample_book, book)
    chain_case, *_ = sample_truth["chains"][0]["cases"]
    other = next(c["case_id"] for c in sample_truth["cases"]
                 if all(c["case_id"] not in ch["cases"] for ch in sample_truth["chains"]))
    evidence = book / other / "evidence"
    write_table(evidence, "无表头台账", [["甲", "乙"], ["1", "2"]], "utf-8")
    (evidence / "损坏台账.xlsx").write_bytes(b"PK\x03\x04broken")
    (evidence / "聊天記錄.txt").write_bytes("老闆，電話13839462217，匯通日化商貿還有貨嗎".encode("big5"))
    (book / chain_case / "case.yml").write_text("case_id: [unclosed", encoding="utf-8")
    monkeypatch.setenv("CASEBOOK_CACHE", str(tmp_path / "cache"))
    code = main(["link", str(book), "--no-ocr"])
    captured = capsys.readouterr()
    assert code == 1
    for name in ("无表头台账.csv", "损坏台账.xlsx", "聊天記錄.txt", f"{chain_case}/case.yml"):
        assert name in captured.err, name
    assert "What to do" in captured.err
    linkage = link_casebook(book, ocr=False, cache_dir=tmp_path / "cache")
    kept = [c for c in record_chains if chain_case not in c["cases"]]
    found = {frozenset(c.cases) for c in linkage.result.chains}
    assert all(frozenset(c["cases"]) in found for c in kept)  # the other chains are still found
    assert {p["code"] for p in linkage.result.problems} == {"record_unreadable", "case_unreadable"}


def test_an_unusable_casebook_is_a_usage_error(tmp_path, capsys):
    assert main(["link", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
