"""The sample casebook: deterministic, in the case-folder format of docs/architecture.md, and its truth is true."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from stdnum import ean
from stdnum.cn import uscc

from casebook.case import iter_cases, parse_case_no
from casebook.sample.sample_casebook import write_sample
from safeio.errors import InputError

PROVINCE_OF = {"北京": "11", "天津": "12", "河北": "13", "内蒙古": "15", "上海": "31", "江苏": "32",
               "浙江": "33", "山东": "37", "河南": "41", "湖南": "43", "广东": "44"}


def _digest_tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes(tmp_path):
    a = write_sample(tmp_path / "a", n_cases=5, seed=7)
    b = write_sample(tmp_path / "b", n_cases=5, seed=7)
    assert _digest_tree(a.root) == _digest_tree(b.root)
    c = write_sample(tmp_path / "c", n_cases=5, seed=8)
    assert _digest_tree(a.root) != _digest_tree(c.root)


def test_rerun_with_same_settings_keeps_the_casebook_and_what_was_added(tmp_path):
    book = write_sample(tmp_path / "s", n_cases=4, seed=1)
    added = book.root / "ZK-2024-001" / "manifest.json"
    added.write_text("{}", encoding="utf-8")
    write_sample(tmp_path / "s", n_cases=4, seed=1)
    assert added.exists(), "an unchanged sample is not rewritten"
    write_sample(tmp_path / "s", n_cases=4, seed=2)
    assert not added.exists(), "a sample with other settings is rewritten whole"


def test_a_foreign_folder_is_never_overwritten(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        write_sample(tmp_path / "mine", n_cases=3)
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_every_case_loads_and_matches_cases_csv(sample_book):
    cases = list(iter_cases(sample_book))
    assert len(cases) == 30 and all(not isinstance(c, Exception) for c in cases)
    with (sample_book / "cases.csv").open(encoding="utf-8") as handle:
        rows = {row["case_id"]: row for row in csv.DictReader(handle)}
    for case in cases:
        row = rows[case.case_id]
        assert parse_case_no(case.case_no).canonical == row["case_no"]
        assert case.title == row["title"] and case.title.endswith("案")
        assert case.location["coord_sys"] in ("wgs84", "gcj02")
        assert 114.0 < float(row["lon"]) < 116.0 and 33.0 < float(row["lat"]) < 34.5
        assert uscc.is_valid(case.party["credit_code"])
    systems = {row["coord_sys"] for row in rows.values()}
    assert systems == {"wgs84", "gcj02"}, "a plausible mix of map-app coordinates"


def test_there_is_a_case_without_labels_and_one_without_evidence(sample_book):
    cases = list(iter_cases(sample_book))
    assert any(not c.label_photos() for c in cases)
    assert any(not c.evidence_files() for c in cases)
    assert sum(len(c.label_photos()) for c in cases) >= 30


def test_baseline_has_more_effort_in_towns_than_in_the_countryside(sample_book):
    truth = json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))
    with (sample_book / "baseline.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    urban = [int(r["inspections"]) for r in rows if r["place"].endswith("城区")]
    other = [int(r["inspections"]) for r in rows if not r["place"].endswith("城区")]
    assert min(urban) > max(other)
    clusters = {c["cluster"] for c in truth["cases"] if c["cluster"]}
    assert len(clusters) == 2


def test_label_truth_agrees_with_the_checks_it_plants(sample_book):
    truth = json.loads((sample_book / "truth.json").read_text(encoding="utf-8"))
    seen = set()
    for label in truth["labels"]:
        fields, problems = label["fields"], set(label["problems"])
        seen |= problems
        image = sample_book / label["image"]
        with Image.open(image) as photo:
            photo.verify()
        if fields["barcode"]:
            assert ean.is_valid(fields["barcode"]) == ("bad_barcode_checksum" not in problems)
        if fields["credit_code"]:
            assert uscc.is_valid(fields["credit_code"]) == ("bad_credit_code_checksum" not in problems)
        licence = fields["license_no"] or ""
        if licence.startswith("QS"):
            assert "obsolete_qs_mark" in problems
            assert date.fromisoformat(fields["production_date"]) >= date(2018, 10, 1)
        if licence.startswith("SC") and fields["address"]:
            province = next(code for name, code in PROVINCE_OF.items() if fields["address"].startswith(name))
            assert (licence[5:7] != province) == ("license_region_mismatch" in problems)
        if "three_no" in problems:
            assert fields["manufacturer"] is None and fields["address"] is None
        if label["product_type"] in ("appliance", "electrical", "toy"):
            assert (fields["ccc_cert_no"] is None) == ("missing_ccc" in problems)
        if "brand_lookalike" in problems:
            assert label["genuine_brand"] and label["genuine_brand"] != label["brand"]
        for line in label["lines"]:
            assert line in label["text"]
    assert seen >= {"three_no", "obsolete_qs_mark", "brand_lookalike", "bad_barcode_checksum",
                    "bad_credit_code_checksum", "missing_ccc", "prohibited_claim", "missing_registration",
                    "license_region_mismatch"}
    assert sum(1 for label in truth["labels"] if not label["problems"]) >= 10, "clean labels too"
    conditions = {c for label in truth["labels"] for c in label["conditions"]}
    assert conditions >= {"straight", "rotated", "blurred", "uneven_light", "jpeg"}
