"""The sample's case register: about 2,000 historical cases over three years in 周口市, register rows only.

The 30 full case folders of the sample show one case each; a hot-spot analysis needs a register.
Cases follow inspection effort (dense in the city and county seats, thin in the countryside), and
two places get more cases than their effort explains: a peri-urban belt of the city, growing year
by year, and a rural market town, high at first and falling since.  ``truth.json`` lists them (``hotspots``)
with the few rows whose county does not match their coordinates on purpose (``county_mismatches``).
Positions are approximate (within a few km of the real towns); shops and people are invented.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np

from geo.coords import wgs84_to_gcj02

__all__ = ["YEARS", "county_check", "keep_towns_in_their_counties", "offset_km", "register_rows"]

YEARS = (2022, 2023, 2024)
# market kind -> (markets per county, distance from the seat in km, inspections over three years)
MARKETS = {"urban": (6, (0.3, 1.8), (45, 80)), "peri-urban": (5, (2.6, 4.6), (14, 26)),
           "rural": (9, (7.0, 20.0), (5, 12))}
BASE_RATE = 0.3  # cases per inspection where nothing is planted
# planted: (county, town of the sample, setting, rate factor per year, radius km, markets)
PLANTED = [
    ("川汇区", "李埠口乡", "peri-urban", (2.5, 5.0, 8.0), 1.2, 9),
    ("西华县", "逍遥镇", "rural", (10.0, 6.0, 3.0), 1.0, 7),
]
CATEGORY_WEIGHTS = {"food": 11, "small_appliance": 4, "toiletry": 4, "hardware_electrical": 3,
                    "agri_input": 4, "children": 3}
VIOLATIONS = ["销售侵犯注册商标专用权商品", "销售无厂名厂址产品", "销售未经强制性产品认证产品", "销售过期食品",
              "销售标注虚假生产许可证编号食品", "销售不合格农资"]
SHOP_KINDS = ["副食店", "超市", "日杂店", "农资店", "五金电器店", "便利店", "批发部", "母婴店"]
SHOP_WORDS = ["鑫源", "兴旺", "福满多", "惠民", "好运来", "金鑫", "顺达", "利民", "万家", "百姓", "宏达", "永盛"]


def keep_towns_in_their_counties(places: dict, counties: dict) -> dict:
    """Move each town that fell outside its county (real outlines) towards the county seat until inside.

    The sample draws town positions around the seats; a draw across the border would make every
    case there "outside the county it names".  Without the outlines installed the places stay.
    """
    from geo import counties as cty

    if not cty.available():
        return places
    index = cty.county_index()
    index = index.loc[index.city == "周口市"]
    shapes = cty.outlines(index.adcode)
    names = list(shapes.name)
    out = {}
    for (county, town), (lon, lat, setting) in places.items():
        if county in names:
            seat_lon, seat_lat = counties[county][0], counties[county][1]
            k = names.index(county)
            for step in np.linspace(0.0, 0.9, 10):
                x, y = lon + (seat_lon - lon) * step, lat + (seat_lat - lat) * step
                if cty.county_of([x], [y], shapes)[0] == k:
                    if step > 0:  # a little further in, so the stalls around it stay inside too
                        x, y = x + (seat_lon - x) * 0.1, y + (seat_lat - y) * 0.1
                    lon, lat = x, y
                    break
        out[(county, town)] = (lon, lat, setting)
    return out


def offset_km(lon, lat, rng, km_min, km_max):
    """A point ``km_min``..``km_max`` km from (lon, lat) in a random direction (flat-earth, fine at county scale)."""
    angle = rng.uniform(0, 2 * np.pi)
    dist = rng.uniform(km_min, km_max)
    return lon + dist * np.cos(angle) / (111.32 * np.cos(np.radians(lat))), lat + dist * np.sin(angle) / 110.57


def county_check(counties: dict):
    """A function (county, lon, lat) -> inside?, from the real outlines; always True without them."""
    from geo import counties as cty

    if not cty.available():
        return lambda county, lon, lat: True
    index = cty.county_index()
    shapes = cty.outlines(index.loc[index.name.isin(list(counties)) & (index.city == "周口市")].adcode)
    names = list(shapes.name)
    return lambda county, lon, lat: county not in names or cty.county_of([lon], [lat], shapes)[0] == names.index(county)


def _markets(counties: dict, places: dict, rng: random.Random) -> list[dict]:
    markets = []
    inside = county_check(counties)
    for county, (lon, lat, *_rest) in counties.items():
        for kind, (n, (d0, d1), (e0, e1)) in MARKETS.items():
            for _ in range(n):
                for _try in range(30):  # a market of this county lies in this county
                    mlon, mlat = offset_km(lon, lat, rng, d0, d1)
                    if inside(county, mlon, mlat):
                        break
                markets.append({"county": county, "town": "城区" if kind == "urban" else "",
                                "lon": mlon, "lat": mlat, "setting": kind, "effort": rng.randint(e0, e1),
                                "factor": (1.0, 1.0, 1.0), "planted": None})
    for county, town, setting, factors, radius, n in PLANTED:
        lon, lat, _ = places[(county, town)]
        for _ in range(n):
            for _try in range(30):
                mlon, mlat = offset_km(lon, lat, rng, 0.0, radius)
                if inside(county, mlon, mlat):
                    break
            effort = rng.randint(*MARKETS[setting][2])
            markets.append({"county": county, "town": town, "lon": mlon, "lat": mlat, "setting": setting,
                            "effort": effort, "factor": factors, "planted": f"{county}{town}"})
    return markets


def register_rows(counties: dict, places: dict, *, seed: int, abbreviations: dict,
                  organs: dict) -> tuple[list[dict], list[dict], dict]:
    """Register rows, baseline rows (inspections per market) and the truth about the register.

    Parameters
    ----------
    counties : dict
        County name -> (seat lon, lat WGS-84, ...) as in :mod:`casebook.sample.sample_casebook`.
    places : dict
        (county, town) -> (lon, lat, setting) of the sample's towns: the planted areas sit there.
    seed : int
        The same seed gives the same rows.
    abbreviations, organs : dict
        County name -> 文号 abbreviation / bureau, for case numbers.

    Returns
    -------
    (rows, baseline, truth)
    """
    rng = random.Random(seed * 7919 + 11)
    nrng = np.random.default_rng(seed)
    markets = _markets(counties, places, rng)
    cats, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    rows, numbers = [], {}
    per_year_planted = {f"{c}{t}": [0, 0, 0] for c, t, *_ in PLANTED}
    for m_index, market in enumerate(markets):
        for y, year in enumerate(YEARS):
            n = int(nrng.poisson(BASE_RATE * market["effort"] / len(YEARS) * market["factor"][y]))
            if market["planted"]:
                per_year_planted[market["planted"]][y] += n
            for _ in range(n):
                opened = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                lon, lat = offset_km(market["lon"], market["lat"], rng, 0.0, 0.015)  # the stalls of one market
                county = market["county"]
                abbr = abbreviations[county]
                numbers[(abbr, year)] = numbers.get((abbr, year), 0) + rng.randint(1, 4)
                coord_sys = "gcj02" if rng.random() < 0.35 else "wgs84"
                shown = tuple(float(v) for v in wgs84_to_gcj02(lon, lat)) if coord_sys == "gcj02" else (lon, lat)
                shop = f"{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}"
                code = "" if rng.random() < 0.5 else {"urban": "111", "peri-urban": rng.choice(["112", "122"]),
                                                       "rural": rng.choice(["210", "220"])}[market["setting"]]
                rows.append({
                    "case_id": f"ZK-R{year}-{len(rows) + 1:05d}", "case_no": f"{abbr}市监处罚〔{year}〕{numbers[(abbr, year)]}号",
                    "title": f"{shop}{rng.choice(VIOLATIONS)}案", "lon": f"{shown[0]:.6f}", "lat": f"{shown[1]:.6f}",
                    "coord_sys": coord_sys, "opened": opened.isoformat(),
                    "category": rng.choices(cats, weights=weights)[0], "county": county,
                    "town": market["town"],
                    "market": f"市场{m_index + 1:03d}", "urban_rural_code": code, "party": shop,
                })
    rows.sort(key=lambda r: (r["opened"], r["case_id"]))
    mismatches = _plant_mismatches(rows, rng)
    baseline = [{"place": f"市场{k + 1:03d}", "lon": f"{m['lon']:.6f}", "lat": f"{m['lat']:.6f}", "coord_sys": "wgs84",
                 "inspections": m["effort"]} for k, m in enumerate(markets)]
    truth = {
        "years": list(YEARS), "cases": len(rows),
        "hotspots": [{"name": f"{c}{t}", "county": c, "town": t, "setting": s,
                      "lon": round(places[(c, t)][0], 6), "lat": round(places[(c, t)][1], 6), "radius_km": r,
                      "rate_factor_by_year": list(f), "cases_by_year": per_year_planted[f"{c}{t}"],
                      "trend": "rising" if f[-1] > 1.5 * f[0] else "falling" if f[0] > 1.5 * f[-1] else "steady"}
                     for c, t, s, f, r, _ in PLANTED],
        "county_mismatches": mismatches,
    }
    return rows, baseline, truth


def _plant_mismatches(rows: list[dict], rng: random.Random) -> list[dict]:
    """A few rows typed with a wrong county name: the point lies elsewhere (a data-entry slip)."""
    planted = []
    others = {"川汇区": "商水县", "淮阳区": "郸城县", "项城市": "沈丘县"}
    for row in rows:
        if len(planted) >= 3:
            break
        if row["county"] in others and row["coord_sys"] == "wgs84" and rng.random() < 0.05:
            row["county"] = others[row["county"]]
            planted.append({"case_id": row["case_id"], "county_named": row["county"], "cause": "typo"})
    return planted
