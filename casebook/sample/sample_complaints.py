"""12315 complaints for the sample casebook: ``complaints/12315_export.csv`` (GB18030, a title row, odd headers).

Leads about the case parties (their names written three ways, with and without the province,
some with a phone), background leads about shops with no case, a planted county outside the
casebook (柘城县, 商丘) with many leads and no case, and leads whose address names no county.
``complaints/businesses.csv`` gives businesses per county for the rates; ``complaints/truth.json``
what was planted.  Its own random stream: the rest of the sample does not change.
"""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["EXPORT_NAME", "NO_CASE_COUNTY", "write_complaints"]

EXPORT_NAME = "12315_export.csv"
NO_CASE_COUNTY = ("411424", "商丘市柘城县", ["城关镇", "远襄镇", "岗王镇"])
HEADER = ["工单编号", "登记时间", "诉求类型", "被投诉举报对象", "被投诉举报对象地址", "诉求内容", "被投诉人电话"]
TEXTS = ["购买的食品已过期", "商品无厂名厂址", "疑似假冒品牌商品", "电热水壶无3C标志", "标签宣称治疗疾病",
         "销售假冒化肥", "玩具无中文标识", "缺斤短两"]
UNPLACED = ["网购", "某电商平台店铺", "不详", "", "人民路18号", "火车站附近"]
BUSINESSES = {"川汇区": 31000, "淮阳区": 18000, "商水县": 16000, "西华县": 15000, "项城市": 21000, "沈丘县": 17000,
              "郸城县": 16500, "鹿邑县": 19000, "太康县": 17500, "扶沟县": 12000, "柘城县": 14000}


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}"


def write_complaints(root: Path, parties: list[dict], *, seed: int) -> dict:
    """Write the export, the business counts and the truth; return the truth.

    Parameters
    ----------
    root : the casebook folder.
    parties : one per case: case_id, name, address, county (as in case.yml), town.
    seed : the sample's seed.
    """
    rng = random.Random(f"{seed}/complaints")
    rows, truth = [], {"about_cases": {}, "no_case_county": NO_CASE_COUNTY[0], "unplaced": 0}
    start = datetime(2024, 1, 3, 8, 0)

    def add(business: str, address: str, phone: str = "") -> str:
        number = f"1241160{len(rows) + 1:05d}"
        when = start + timedelta(days=rng.randint(0, 360), minutes=rng.randint(0, 600))
        rows.append([number, f"{when.year}/{when.month}/{when.day} {when.hour:02d}:{when.minute:02d}",
                     rng.choice(["投诉", "举报", "举报"]), business, address, rng.choice(TEXTS), phone])
        return number

    for party in parties:
        if rng.random() < 0.4:
            continue
        name = party["name"]
        written = [name, f"周口市{name}" if name.startswith(party["county"]) else f"周口市{party['county']}{name}"]
        address = party["address"]
        short = address.removeprefix("河南省")
        phone = party.get("phone") or ""
        numbers = [add(rng.choice(written), rng.choice([address, short]), phone if rng.random() < 0.5 else "")
                   for _ in range(rng.randint(1, 3))]
        truth["about_cases"][party["case_id"]] = numbers
    city, towns = NO_CASE_COUNTY[1], NO_CASE_COUNTY[2]
    for k in range(14):
        town = towns[k % len(towns)]
        add(f"{town}{rng.choice(['鑫隆', '永盛', '佳佳'])}{rng.choice(['超市', '副食店', '农资店'])}",
            f"河南省{city}{town}{rng.choice(['商业街', '集贸市场'])}{rng.randint(1, 60)}号", _mobile(rng))
    counties = sorted({p["county"] for p in parties})
    for _ in range(18):
        county = rng.choice(counties)
        add(f"{rng.choice(['大众', '红星', '新时代'])}{rng.choice(['便利店', '商行', '日杂店'])}",
            f"河南省周口市{county}{rng.choice(['东大街', '中心路', '建设路'])}{rng.randint(1, 200)}号")
    for address in UNPLACED:
        add(rng.choice(["某网店", "路边摊", "流动商贩"]), address)
        truth["unplaced"] += 1
    rng.shuffle(rows)
    buffer = io.StringIO()
    buffer.write("周口市12315投诉举报数据导出（2024年度）\n\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    folder = root / "complaints"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / EXPORT_NAME).write_bytes(buffer.getvalue().encode("gb18030"))
    counts = "county,businesses\n" + "".join(f"{k},{v}\n" for k, v in BUSINESSES.items())
    (folder / "businesses.csv").write_text(counts, encoding="utf-8")
    truth["leads"] = len(rows)
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth
