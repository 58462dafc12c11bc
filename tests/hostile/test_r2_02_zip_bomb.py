"""Round 2, row 2: a workbook that inflates to gigabytes is refused before any reader opens it.

Before: a 3 MB ``.xlsx`` in one case's evidence made ``casebook link`` grow to 7.6 GB and hang, and
``dossier batch`` abort with no dossier at all.  Now the archive's declared sizes, entry count and
compression ratios are checked first, every entry is inflated as a capped stream (so one that lies
about its size fails too), and the bad file stays a problem of its case.
"""

from __future__ import annotations

import io
import resource
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeio.archive_guard import ArchiveLimits, check_zip_archive
from safeio.errors import InputError
from tests.support.links import make_case, table_bytes, write_table

BOMB_ENTRY = "xl/worksheets/sheet1.xml"


def bomb_xlsx(inflated: int = 64 << 20) -> bytes:
    """A real workbook whose first sheet is followed by ``inflated`` bytes of spaces (compresses ~1000:1)."""
    good = zipfile.ZipFile(io.BytesIO(table_bytes([["日期", "联系电话"], ["2024-05-01", "13839462217"]], "xlsx")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in good.infolist():
            data = good.read(info)
            if info.filename == BOMB_ENTRY:
                dst.writestr(info.filename, data)
                with dst.open("xl/worksheets/padding.xml", "w") as pad:
                    block = b" " * (1 << 20)
                    for _ in range(inflated >> 20):
                        pad.write(block)
            else:
                dst.writestr(info, data)
    return out.getvalue()


def lying_xlsx() -> bytes:
    """A workbook whose sheet declares 100 bytes but inflates to 8 MiB (the sizes in both headers patched)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("[Content_Types].xml", "<Types/>")
        dst.writestr(BOMB_ENTRY, b"<" + b"a" * (8 << 20) + b">")
    data = bytearray(out.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_len = struct.unpack_from("<H", data, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_at:name_at + name_len]) == BOMB_ENTRY.encode():
                struct.pack_into("<I", data, at + offset, 100)
            start = at + 4
    return bytes(data)


def test_a_bomb_is_refused_from_its_declared_sizes_naming_the_entry(tmp_path):
    path = tmp_path / "进货台账.xlsx"
    path.write_bytes(bomb_xlsx())
    assert path.stat().st_size < 1 << 20
    with pytest.raises(InputError, match=r"padding\.xml") as caught:
        check_zip_archive(path)
    assert "inflates" in caught.value.message and caught.value.path == str(path)


def test_an_entry_that_lies_about_its_size_is_caught_while_inflating(tmp_path):
    path = tmp_path / "进货台账.xlsx"
    path.write_bytes(lying_xlsx())
    with pytest.raises(InputError, match="not what it declares"):
        check_zip_archive(path)


def test_too_many_entries_are_refused(tmp_path):
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as dst:
        for n in range(60):
            dst.writestr(f"x/{n}.xml", "")
    with pytest.raises(InputError, match="60 entries"):
        check_zip_archive(path, limits=ArchiveLimits(max_entries=50))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_verdict_never_a_crash(tmp_path, data):
    path = tmp_path / "any.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)
    try:
        check_zip_archive(path)
    except InputError:
        pass


def _book_with_a_bomb(root: Path) -> Path:
    book = root / "book"
    for case_id, county in (("C1", "川汇区"), ("C2", "西华县"), ("C3", "淮阳区")):
        folder = make_case(book, case_id, county=county, party={"name": f"{case_id}商行"})
        write_table(folder / "evidence", "进货台账", [["日期", "商品", "供货单位", "联系电话", "数量"],
                                                   ["2024-05-01", "洗发水", "某某日化批发部", "13839462217", "5"]],
                    "utf-8")
    (book / "C2" / "evidence" / "订单导出.xlsx").write_bytes(bomb_xlsx(256 << 20))
    return book


def test_link_lists_the_bomb_as_its_case_problem_and_links_the_others(tmp_path, cli):
    book = _book_with_a_bomb(tmp_path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code, out, _ = cli("link", book, "--no-ocr", "--json")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert code == 1
    import json

    data = json.loads(out)
    problems = [p for p in data["problems"] if "订单导出.xlsx" in str(p.get("path"))]
    assert problems and "inflates" in problems[0]["message"]
    assert data["stats"]["cases"] == 3 and any(c["cases"] == ["C1", "C2", "C3"] for c in data["chains"])
    assert grown_mib < 400  # the 256 MiB sheet was never inflated into memory


@pytest.mark.slow  # the first import of the geo stack takes ~15 s on a busy machine
def test_geo_hotspots_refuses_a_bomb_case_table_in_plain_words(tmp_path, cli):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(bomb_xlsx())
    code, _, err = cli("geo", "hotspots", path)
    assert code == 2 and "inflates" in err and "Traceback" not in err
