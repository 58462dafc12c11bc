"""A chain of the sample that lives only on the labels of seized goods (docs/domain.md, Linking cases).

D, copycat fertilizer: a workshop in 扶沟县 that no case of the casebook is about prints its own
identity on the bags it fills: shops in three other counties sold them.  No ledger, chat or order
names it; the seized bags print its credit code and its address, and its name three ways (the full
legal name, the region in brackets, the short name with the county).  Read from the photos, the
identity belongs to no genuine owner and recurs on goods of three cases: a source lead that links
them.  Without the photos read, nothing ties these cases.
"""

from __future__ import annotations

import random
from pathlib import Path

from casebook.sample.sample_labels import compose_label, draw_label, make_credit_code

__all__ = ["plant_label_chain"]

WORKSHOP = {"names": ["周口市丰禾肥业有限公司", "丰禾肥业（周口）", "扶沟丰禾肥业"],
            "addresses": ["河南省周口市扶沟县练寺镇工业路18号", "周口市扶沟县练寺镇工业路18号", "扶沟县练寺镇工业路１８号"],
            "adcode": "411621", "county": "扶沟县"}


def plant_label_chain(root: Path, rows: list[dict], label_truth: list[dict], taken: set[str], *,
                      seed: int) -> dict | None:
    """Add the workshop's labels to three free cases of three counties; returns the chain for truth.json.

    Parameters
    ----------
    root : the sample casebook being written.
    rows : the rows of cases.csv.
    label_truth : the labels of truth.json; the photos added here are appended.
    taken : cases already in a chain or a decoy (left alone).
    seed : the sample's seed; the chain uses a generator of its own seeded from it.

    Returns
    -------
    dict or None
        The planted chain (``labels_only``: it shows only once the photos are read), or None when
        the casebook has no three free cases in three counties other than the workshop's.
    """
    rng = random.Random(f"casebook-label-chain-{seed}")
    by_county: dict[str, list[dict]] = {}
    for row in rows:
        if row["case_id"] not in taken and row["county"] != WORKSHOP["county"]:
            by_county.setdefault(row["county"], []).append(row)
    counties = sorted(by_county)
    if len(counties) < 3:
        return None
    shops = [rng.choice(by_county[county]) for county in rng.sample(counties, 3)]
    code = make_credit_code(rng, WORKSHOP["adcode"], kind="91")
    for shop, name, address in zip(shops, WORKSHOP["names"], WORKSHOP["addresses"], strict=True):
        spec = compose_label(rng, "fertilizer", "brand_lookalike", shop["opened"])
        replace = {"manufacturer": name, "address": address, "credit_code": code}
        lines = []
        for line in spec.lines:
            for field, value in replace.items():
                old = spec.fields.get(field)
                if old and old in line:
                    line = line.replace(old, value)
            lines.append(line)
        if not spec.fields.get("credit_code"):
            lines.append(f"统一社会信用代码：{code}")
        spec.lines = lines
        spec.fields.update(replace)
        labels = root / shop["case_id"] / "labels"
        labels.mkdir(parents=True, exist_ok=True)
        image = labels / f"label_{len(list(labels.glob('*.jpg'))) + 1}.jpg"
        image.write_bytes(draw_label(spec, rng))
        label_truth.append(spec.truth(image.relative_to(root).as_posix(), shop["case_id"]))
        taken.add(shop["case_id"])
    members = sorted(shops, key=lambda r: r["case_id"])
    return {"name": "D", "goods": "copycat fertilizer (labels only)", "labels_only": True,
            "cases": [r["case_id"] for r in members], "counties": sorted({r["county"] for r in members}),
            "roles": {r["case_id"]: "retailer" for r in members},
            "via": [f"credit code {code}", f"name {WORKSHOP['names'][0]}", f"address {WORKSHOP['addresses'][0]}"]}
