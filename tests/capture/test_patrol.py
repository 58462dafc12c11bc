"""Online patrol, end to end: ``casebook evidence capture --list urls.txt --screen --registry REG`` over loopback
listings with real Chromium, then the findings, the patrol table, the record and the dossier are read back.

Pages: a socket with no certificate, one with a withdrawn certificate, one with another maker's
certificate, a health food with a cure claim, a copycat brand in a title, and two clean pages
(with 最 in ordinary phrases) that must give no finding.
"""

from __future__ import annotations

import csv
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.listing_pages import LISTINGS, REGISTER_CSV, serve_listings
from tests.support.web_pages import write_case

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
ORDER = list(LISTINGS)
EXPECTED = {
    "/socket-none": [("ccc_not_shown", "warning", "公牛 新国标插座 5孔 1.8米 排插")],
    "/socket-withdrawn": [("ccc_withdrawn", "violation", "2021010201000001")],
    "/socket-borrowed": [("ccc_other_maker", "warning", "2020010201234567；项城市宏达电器有限公司"),
                         ("ccc_model_not_covered", "warning", "2020010201234567；HD-6")],
    "/health-cure": [("health_food_claim", "violation", "坚持服用可根治糖尿病"),
                     ("health_food_claim", "violation", "无效退款")],
    "/copycat": [("brand_lookalike", "warning", "康帅傅")],
    "/clean-kettle": [],
    "/clean-biscuit": [],
}


@pytest.fixture(scope="module")
def patrol(tmp_path_factory):
    root = tmp_path_factory.mktemp("patrol")
    case = write_case(root)
    register = root / "证书导出.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")
    with serve_listings() as base:
        urls = root / "urls.txt"
        urls.write_text("# 五(四) 网络巡查\n" + "\n".join(base + path for path in ORDER) + "\n", encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "casebook.cli", "evidence", "capture", "--list", str(urls),
                               "--case", str(case), "--screen", "--registry", str(register), "--json"],
                              capture_output=True, text=True, timeout=900, cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    by_path = {item["url"].split(":", 2)[2].split("/", 1)[1]: item for item in data["captured"]}
    return {"case": case, "data": data, "by_path": {f"/{k}": v for k, v in by_path.items()}}


def test_each_listing_gives_exactly_its_findings(patrol):
    for path, expected in EXPECTED.items():
        found = patrol["by_path"][path]["findings"]
        assert [(f["code"], f["severity"], f["evidence"]) for f in found] == expected, path


def test_findings_say_where_they_stand_on_the_page_and_the_screenshot(patrol):
    item = patrol["by_path"]["/socket-withdrawn"]
    (withdrawn,) = item["findings"]
    assert withdrawn["register_row"] == 4  # the register's title row, its header, then the third certificate
    assert withdrawn["element"].endswith("tr:nth-child(3) > td:nth-child(2)")
    assert withdrawn["shown"] == "2021010201000001"
    png = (Path(item["folder"]) / "screenshot.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    x, y, w, h = withdrawn["region"]
    assert 0 <= x and x + w <= width and 0 <= y and y + h <= height and w > 0 and h > 0
    cure = patrol["by_path"]["/health-cure"]["findings"][0]
    title = patrol["by_path"]["/health-cure"]["listing"]["title"]
    assert cure["region"][1] > title["region"][1]  # the description lies below the title, as on the screenshot


def test_the_listing_is_read_with_its_shown_licence(patrol):
    listing = patrol["by_path"]["/clean-kettle"]["listing"]
    assert listing["title"]["value"] == "美的 电热水壶 1.7L 304不锈钢 MK-SH17"
    assert listing["price"]["value"] == "99.00"
    assert listing["seller"]["value"] == "美的生活电器官方旗舰店"
    assert listing["licence"]["credit_code"]["value"] == "91440606722473344C"
    assert listing["licence_shown"] is True
    assert [c["value"] for c in listing["ccc"]] == ["2022010717000001"]


def _csv_rows(case: Path) -> list[dict]:
    (table,) = sorted((case / "patrol").glob("patrol-*.csv"))
    text = table.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(text[1:].splitlines()))


def test_the_patrol_table_lists_every_address_most_serious_first(patrol):
    rows = _csv_rows(patrol["case"])
    got = [(row["结论"], row["代码"], "/" + row["网址"].split("/", 3)[3]) for row in rows]
    assert got == [
        ("违法", "ccc_withdrawn", "/socket-withdrawn"),
        ("违法", "health_food_claim", "/health-cure"),
        ("违法", "health_food_claim", "/health-cure"),
        ("需核实", "ccc_not_shown", "/socket-none"),
        ("需核实", "ccc_other_maker", "/socket-borrowed"),
        ("需核实", "ccc_model_not_covered", "/socket-borrowed"),
        ("需核实", "brand_lookalike", "/copycat"),
        ("未发现问题", "", "/clean-kettle"),
        ("未发现问题", "", "/clean-biscuit"),
    ]
    assert [row["序号"] for row in rows] == [str(n) for n in range(1, 10)]
    assert all(row["封存清单Merkle根"] for row in rows)


def test_the_patrol_page_links_each_row_to_its_sealed_capture(patrol):
    case = patrol["case"]
    (page,) = sorted((case / "patrol").glob("patrol-*.html"))
    html = page.read_text(encoding="utf-8")
    import re

    links = re.findall(r'href="([^"]+/record\.html)"', html)
    assert len(links) == len(ORDER)
    for link in links:
        assert (page.parent / link).resolve().is_file()
    assert html.index("socket-withdrawn") < html.index("socket-none") < html.index("clean-kettle")
    assert "<script" not in html.lower()


def test_findings_are_in_the_extraction_record_and_the_custody_log(patrol):
    item = patrol["by_path"]["/socket-withdrawn"]
    folder = Path(item["folder"])
    record = (folder / "record.html").read_text(encoding="utf-8")
    assert "网页内容筛查" in record and "已于 2024-05-01 被撤销" in record
    clean = (Path(patrol["by_path"]["/clean-kettle"]["folder"]) / "record.html").read_text(encoding="utf-8")
    assert "网页内容筛查" in clean and "未发现问题" in clean
    assert json.loads((folder / "listing.json").read_text(encoding="utf-8"))["findings"] == item["findings"]
    events = [json.loads(line) for line in (patrol["case"] / "custody.jsonl").read_text(encoding="utf-8").splitlines()]
    paths = {obj["path"] for event in events for obj in event["objects"]}
    assert f"evidence/web/{folder.name}/listing.json" in paths


def test_findings_appear_in_the_dossier_electronic_data_section(patrol):
    from casebook.webcapture.capture_listing import captured_pages_html

    html = captured_pages_html(patrol["case"])
    assert "网页内容筛查" in html
    assert html.count("被撤销") == 1 and "康帅傅" in html
    assert html.count("未发现问题") == 2
