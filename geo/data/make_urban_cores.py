"""Rebuild urban_cores.csv from cpca's adcodes.csv (run by hand: python -m geo.data.make_urban_cores).

cpca (PyPI, MIT) ships 3,511 province/city/county codes with GCJ-02 centre points taken from Amap
(c. 2016-18); Amap's "centre" of a division is its government seat.  We keep city (prefecture and
municipality) seats, urban districts (区, part of a city's built-up core) and county seats (县,
county-level 市, 旗), and convert the points to WGS-84 with the iterative GCJ-02 inverse.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from geo.coords import gcj02_to_wgs84

MUNICIPALITIES = ("11", "12", "31", "50")


def kind_of(adcode: str, name: str) -> str | None:
    province, city, county = adcode[:2], adcode[2:4], adcode[4:6]
    if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
        return None
    if city == "00" and county == "00":
        return "city" if province in MUNICIPALITIES else None
    if county == "00":
        return "city"
    return "district" if name.endswith("区") else "county"


def build(out: Path) -> int:
    import cpca

    src = Path(cpca.__file__).parent / "resources" / "adcodes.csv"
    rows = []
    with src.open(encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            kind = kind_of(rec["adcode"], rec["name"])
            if kind is None or not rec["longitude"] or not rec["latitude"]:
                continue
            rows.append((rec["adcode"][:6], rec["name"], kind, float(rec["longitude"]), float(rec["latitude"])))
    rows.sort()
    lon, lat = gcj02_to_wgs84(np.array([r[3] for r in rows]), np.array([r[4] for r in rows]))
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "name", "kind", "lon", "lat"])
        for (code, name, kind, _, _), x, y in zip(rows, lon, lat, strict=True):
            writer.writerow([code, name, kind, f"{x:.6f}", f"{y:.6f}"])
    return len(rows)


if __name__ == "__main__":
    print(build(Path(__file__).with_name("urban_cores.csv")))
