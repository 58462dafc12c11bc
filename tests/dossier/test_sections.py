"""The dossier sections called in-process (what each template cell does), on the tiny casebook."""

from __future__ import annotations

import json
import shutil

import pytest

from casebook.sections import Dossier
from safeio.errors import InputError, UnsafePathError


def test_cover_escapes_case_data(tiny_book):
    html = Dossier(tiny_book / "ZK-T-HOSTILE").cover()._repr_html_()
    assert "<script>" not in html.replace("<style>", "")
    assert "&lt;script&gt;window.__casebook_pwned=1" in html
    assert "&lt;img src=x onerror=" in html
    assert "{{ config }}" in html  # shown as typed, not evaluated


def test_evidence_section_marks_tampered_item(tiny_book):
    dossier = Dossier(tiny_book / "ZK-T-TAMPER", lang="en")
    html = dossier.evidence()._repr_html_()
    assert dossier.summary["integrity"] == "tampered"
    assert dossier.summary["integrity_counts"]["modified"] == 1
    assert 'class="cb-bad"' in html and "modified" in html
    clean = Dossier(tiny_book / "ZK-T-CLEAN")
    clean.evidence()
    assert clean.summary["integrity"] == "verified" and clean.summary["manifest_root"]


def test_custody_section_verifies_and_names_a_broken_chain(tiny_book, tmp_path):
    case = tmp_path / "ZK-T-CLEAN"
    shutil.copytree(tiny_book / "ZK-T-CLEAN", case)
    dossier = Dossier(case)
    dossier.custody()
    assert dossier.summary["custody"] == "verified"
    log = case / "custody.jsonl"
    event = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    event["actor"] = "someone else"
    log.write_text(json.dumps(event, ensure_ascii=False) + "\n", encoding="utf-8")
    broken = Dossier(case)
    html = broken.custody()._repr_html_()
    assert broken.summary["custody"] == "broken" and "cb-bad" in html


def test_location_without_a_casebook_table_says_so(tiny_book, tmp_path):
    case = tmp_path / "alone" / "ZK-T-CLEAN"
    shutil.copytree(tiny_book / "ZK-T-CLEAN", case)
    dossier = Dossier(case)
    html = dossier.location()._repr_html_()
    assert "cases.csv" in html and dossier.summary["setting"] is None


@pytest.mark.slow
def test_location_section_has_both_maps(tiny_book):
    dossier = Dossier(tiny_book / "ZK-T-CLEAN")
    html = dossier.location()._repr_html_()
    assert dossier.summary["setting"] in ("urban", "peri-urban", "rural")
    assert 'class="cb-map cb-screen-only"><iframe' in html
    assert 'class="cb-map cb-print-only"><img' in html and "data:image/png;base64," in html


def test_bad_parameters_are_refused(tiny_book):
    with pytest.raises(InputError, match="language"):
        Dossier(tiny_book / "ZK-T-CLEAN", lang="fr")
    with pytest.raises(InputError, match="no case folder"):
        Dossier("")
    with pytest.raises(InputError):
        Dossier(tiny_book / "ZK-T-BROKEN")


def test_unsafe_output_folder_is_refused():
    from casebook.dossier import case_out_dir

    with pytest.raises(UnsafePathError):
        case_out_dir("/tmp/out", "../../etc")


def test_a_case_far_outside_the_county_it_names_is_told_how_far(tiny_book, tmp_path):
    import yaml

    book = tmp_path / "book"
    shutil.copytree(tiny_book, book)
    case = book / "ZK-T-CLEAN"
    record = yaml.safe_load((case / "case.yml").read_text(encoding="utf-8"))
    before = Dossier(case)
    assert "案件登记为" not in before.location()._repr_html_()
    named = "扶沟县" if before.summary["county"] == "郸城县" else "郸城县"  # the far west or the far east of 周口
    record["location"]["county"] = named
    (case / "case.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    html = Dossier(case).location()._repr_html_()
    assert f"案件登记为{named}" in html and f"距{named}边界约" in html and "可能原因是" in html
    assert "位置记录不精确" not in html  # kilometres off: not an approximate position
