"""Row 4: symbolic links in a case folder are never followed; the dossier says what they point to.

Before: a link in ``labels/`` to another case's photo (or to ``/etc/shadow``) was opened and its
photo shown in the dossier, although the seal does not cover it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from casebook.case import load_case, scan_casebook
from safeio.errors import UnsafePathError


@pytest.fixture
def linked_case(book):
    """A case whose labels/ holds only links: one to another case's photo, one to /etc/shadow."""
    first, second = sorted(p.parent for p in book.glob("*/case.yml"))[:2]
    for photo in (first / "labels").iterdir():
        photo.unlink()
    other_photo = sorted((second / "labels").iterdir())[0]
    (first / "labels" / "borrowed.jpg").symlink_to(other_photo)
    (first / "labels" / "shadow.jpg").symlink_to("/etc/shadow")
    (first / "evidence" / "elsewhere.csv").symlink_to(sorted((second / "evidence").iterdir())[0])
    return first, other_photo


def test_listings_hold_regular_files_only_and_report_links(linked_case):
    case_dir, other_photo = linked_case
    case = load_case(case_dir)
    assert case.label_photos() == []
    links = {link.path.name: link.target for link in case.label_links()}
    assert links == {"borrowed.jpg": str(other_photo), "shadow.jpg": "/etc/shadow"}
    assert all(not p.is_symlink() and p.is_file() for p in case.evidence_files())
    assert [link.path.name for link in case.evidence_links()] == ["elsewhere.csv"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dossier_says_it_is_a_link_and_shows_nothing_of_it(linked_case, lang):
    from casebook.sections.base import Dossier

    case_dir, other_photo = linked_case
    html = Dossier(case_dir, lang=lang).labels()._repr_html_()
    assert "/etc/shadow" in html and str(other_photo) in html
    assert ("symbolic link" if lang == "en" else "符号链接") in html
    assert "<img" not in html and "labels/borrowed.jpg" in html


def test_a_linked_labels_folder_is_reported_not_entered(book):
    first, second = sorted(p.parent for p in book.glob("*/case.yml"))[:2]
    import shutil

    shutil.rmtree(first / "labels")
    (first / "labels").symlink_to(second / "labels")
    case = load_case(first)
    assert case.label_photos() == [] and [link.target for link in case.label_links()] == [str(second / "labels")]


def test_a_linked_case_folder_is_refused(book, tmp_path):
    first = sorted(p.parent for p in book.glob("*/case.yml"))[0]
    moved = tmp_path / "moved" / first.name
    moved.parent.mkdir()
    first.rename(moved)
    first.symlink_to(moved)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        load_case(first)
    (book / "cases.csv").unlink()  # a casebook without a table: folders are found by looking
    dirs, errors = scan_casebook(book)
    assert first not in dirs and [raw for raw, _ in errors] == [first.name]


def test_manifest_and_custody_log_as_links_are_refused(case, tmp_path, cli):
    from casebook.sealing import seal_case

    seal_case(case)
    for name in ("manifest.json", "custody.jsonl"):
        real = tmp_path / name
        (case / name).rename(real)
        (case / name).symlink_to(real)
        code, _, err = cli("evidence", "verify", str(case / "manifest.json"))
        assert code == 2 and "symbolic link" in err and name in err
        (case / name).unlink()
        real.rename(case / name)
    assert cli("evidence", "verify", str(case))[0] == 0


def test_sealing_records_links_and_never_follows_them(linked_case):
    from casebook.sealing import seal_case

    case_dir, other_photo = linked_case
    manifest = seal_case(case_dir).manifest
    entries = {entry.path: entry for entry in manifest.entries}
    assert entries["labels/borrowed.jpg"].type == "symlink"
    assert entries["labels/borrowed.jpg"].target == os.fsencode(other_photo)
    assert entries["labels/shadow.jpg"].digests == {}  # /etc/shadow was not read


def test_out_folder_link_is_refused(case, tmp_path):
    """OUT/<case id> as a link to somewhere else: the dossier refuses before writing (held before)."""
    from casebook.dossier import render_html

    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "victim"
    target.mkdir()
    (target / "keep.txt").write_text("precious")
    (out / case.name).symlink_to(target)
    with pytest.raises(UnsafePathError):
        render_html(case, out)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_custody_object_given_as_a_link_is_refused(case, tmp_path, cli):
    link = tmp_path / "object.lnk"
    link.symlink_to(Path("/etc/hostname"))
    code, _, err = cli("evidence", "custody", "append", str(case / "custody.jsonl"), "--actor", "李四",
                       "--action", "transferred", "--object", str(link))
    assert code == 2 and "symbolic link" in err
    assert not (case / "custody.jsonl").exists()


def test_json_stays_valid(linked_case, cli):
    case_dir, _ = linked_case
    code, text, _ = cli("evidence", "hash", str(case_dir), "--json")
    assert code == 0 and json.loads(text)["files"] >= 1
