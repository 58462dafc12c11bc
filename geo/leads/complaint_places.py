"""Place leads on their county (县/区) from the address as written, offline; a point where the export has one.

An address is the only place most 12315 exports carry.  cpca (offline, ~25 µs an address) reads
full division names; its table dates from about 2016-18, so renamed counties (淮阳县 -> 淮阳区, 2019)
and short names (鹿邑玄武镇) are resolved against the current county index of :mod:`geo.counties`.
Exports repeat addresses (one shop, many complaints), so each distinct address is read once.

A lead whose address names no county is kept: ``placed`` is False and ``unplaced`` says why
(``no_address``, ``no_county``, ``ambiguous``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.coords import normalise_coord_sys, to_wgs84
from geo.counties import SUFFIXES, county_index

__all__ = ["PLACE_COLUMNS", "place_addresses", "place_complaints"]

PLACE_COLUMNS = ("adcode", "province", "city", "county_name", "placed", "place_method", "unplaced", "lon_wgs",
                 "lat_wgs", "has_point")
_TOWNISH = re.compile(r"^.{0,8}?(镇|乡|街道|村|社区|办事处|集|路|街|大道|市场)")
_SPACE = re.compile(r"\s")
PREFIX = 20  # characters of an address read for its county (河南省周口市川汇区: 9; 新疆维吾尔自治区伊犁哈萨克自治州…: 17)


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, list[int]], dict[str, list[int]], pd.DataFrame]:
    """Full and short county names -> rows of the county index (several where a name repeats nationwide)."""
    idx = county_index()
    full: dict[str, list[int]] = {}
    short: dict[str, list[int]] = {}
    for k, name in enumerate(idx["name"].astype(str)):
        full.setdefault(name, []).append(k)
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                short.setdefault(name[: -len(suffix)], []).append(k)
                break
    return full, short, idx


@lru_cache(maxsize=1)
def _codes() -> np.ndarray:
    return county_index()["adcode"].astype(str).to_numpy(object)


def _within(rows: list[int], prefix: str, idx: pd.DataFrame) -> list[int]:
    if not prefix:
        return rows
    codes = _codes()
    return [k for k in rows if codes[k].startswith(prefix)]


def _search(text: str, prefix: str) -> tuple[int, str]:
    """(row of the county index, '') for the county named at the start of ``text``, or (-1, reason)."""
    full, short, idx = _names()
    ambiguous = False
    for size in range(min(8, len(text)), 1, -1):
        head = text[:size]
        for table, need_town in ((full, False), (short, True)):
            rows = _within(table.get(head, []), prefix, idx)
            if not rows:
                continue
            if need_town and not _TOWNISH.match(text[size:]):
                continue  # a short name must be followed by a town, road or market, not be a word of a shop name
            if len(rows) == 1:
                return rows[0], ""
            ambiguous = True
    return -1, "ambiguous" if ambiguous else "no_county"


def _cpca(values: list[str]) -> pd.DataFrame:
    from safeio.cpca_loader import load_cpca

    return load_cpca().transform(values)


def place_addresses(addresses, within: str = "") -> pd.DataFrame:
    """County of each distinct address: adcode, province, city, county_name, unplaced reason ('' when placed).

    Parameters
    ----------
    addresses : sequence of str, each read once (pass distinct values for speed).
    within : an adcode prefix (``41`` Henan, ``4116`` 周口) that breaks ties between counties of one
        name when the address names no province or city (朝阳区 is in Beijing and in Changchun).

    Returns
    -------
    DataFrame
        One row per input, in order; ``adcode`` is '' where no single current county is named.
    """
    values = [_SPACE.sub("", unicodedata.normalize("NFKC", str(a or ""))) for a in addresses]
    full, _, idx = _names()
    all_codes = _codes()
    codes = set(all_codes)
    position = {c: k for k, c in enumerate(all_codes)}
    out = {"adcode": [], "unplaced": []}
    frame = _cpca(values) if values else pd.DataFrame(columns=["省", "市", "区", "地址", "adcode"])
    for text, (_prov, _city, county, rest, code) in zip(values, frame.itertuples(index=False, name=None), strict=True):
        code = "" if code is None or code != code else str(code)
        if not text:
            out["adcode"].append("")
            out["unplaced"].append("no_address")
            continue
        if county == county and county and code in codes:
            if not text.startswith(str(county)) or len(full.get(str(county), [])) < 2:
                out["adcode"].append(code)
                out["unplaced"].append("")
                continue
            code = within  # cpca picks one of several counties of that name: use the bureau's region or none
        prefix = code[:4] if code and not code.endswith("0000") else code[:2] if code else within
        if county == county and county:  # a county cpca knows under an old name or code: 淮阳县 -> 淮阳区
            tail = str(county) + ("" if rest != rest or rest is None else str(rest))
        else:
            tail = "" if rest != rest or rest is None else str(rest)
            if not tail or not prefix:
                tail = text
        k, reason = _search(tail, prefix)
        if k < 0 and tail != text and not prefix:
            k, reason = _search(text, "")
        out["adcode"].append(all_codes[k] if k >= 0 else "")
        out["unplaced"].append(reason if k < 0 else "")
    result = pd.DataFrame(out)
    rows = result["adcode"].map(position).fillna(-1).to_numpy(int)
    for column, source in (("province", "province"), ("city", "city"), ("county_name", "name")):
        values = np.append(idx[source].astype(str).to_numpy(object), "")  # row -1 -> ""
        result[column] = values[rows]
    return result


def place_complaints(frame: pd.DataFrame, within: str = "") -> pd.DataFrame:
    """Add each lead's county and, where the export gives coordinates, its WGS-84 point.

    Parameters
    ----------
    frame : leads with at least ``address``; ``county`` (a county written in its own column),
        ``lon``, ``lat`` and ``coord_sys`` are used when present.
    within : see :func:`place_addresses`.

    Returns
    -------
    DataFrame
        A copy with the columns of :data:`PLACE_COLUMNS`: ``place_method`` is ``address``,
        ``county_column`` or ``none``; ``unplaced`` is '' for a placed lead, else ``no_address``,
        ``no_county`` or ``ambiguous``.  Every row of the input is kept.
    """
    out = frame.copy(deep=False)  # new columns only: the text columns are shared, not copied
    n = len(out)
    address = out["address"].astype(str).to_numpy(object) if "address" in out else np.full(n, "", dtype=object)
    # the county is named within the first characters: one read per distinct beginning, not per address
    # (up to the house number, at most PREFIX characters; in pyarrow, so a million take a second)
    heads = (pd.Series(address, dtype="str").str.slice(0, PREFIX)
             .str.replace(r"[0-9０-９#＃].*$", "", regex=True).to_numpy(object))
    codes, distinct = pd.factorize(heads, sort=False)
    placed = place_addresses(list(distinct), within)
    retry = np.flatnonzero((placed["adcode"] == "").to_numpy() & (np.char.str_len(distinct.astype(str)) >= PREFIX))
    if len(retry):  # a long province or city name pushed the county past the beginning: read those in full
        hit = np.isin(codes, retry)
        full_codes, full_distinct = pd.factorize(address[hit], sort=False)
        again = place_addresses(list(full_distinct), within)
        base = len(placed)
        placed = pd.concat([placed, again], ignore_index=True)
        codes = codes.copy()
        codes[hit] = full_codes + base
    for column in ("adcode", "province", "city", "county_name", "unplaced"):
        # categories, not a million strings: pandas makes each str column cell by cell
        values, inverse = pd.factorize(placed[column].to_numpy(object))
        out[column] = pd.Categorical.from_codes(values[codes] if len(values) else np.zeros(n, int),
                                                categories=inverse if len(inverse) else [""])
    out["place_method"] = pd.Categorical(np.where(out["adcode"] != "", "address", "none"))
    if "county" in out:
        missing = ((out["adcode"] == "") & (out["county"].astype(str) != "")).to_numpy()
        if missing.any():
            for column in ("adcode", "province", "city", "county_name", "unplaced", "place_method"):
                out[column] = out[column].astype(object)
            ccodes, cdistinct = pd.factorize(out.loc[missing, "county"].astype(str))
            by_county = place_addresses(list(cdistinct), within)
            for column in ("adcode", "province", "city", "county_name"):
                out.loc[missing, column] = by_county[column].to_numpy(dtype=object)[ccodes]
            now = missing & (out["adcode"] != "").to_numpy()
            out.loc[now, "place_method"] = "county_column"
            out.loc[now, "unplaced"] = ""
    out["placed"] = out["adcode"] != ""
    lon = pd.to_numeric(out.get("lon", pd.Series(np.nan, index=out.index)), errors="coerce").to_numpy(float)
    lat = pd.to_numeric(out.get("lat", pd.Series(np.nan, index=out.index)), errors="coerce").to_numpy(float)
    systems = out.get("coord_sys", pd.Series("", index=out.index)).astype(str)
    canon = systems.map({s: normalise_coord_sys(s) or "wgs84" for s in systems.unique()}).to_numpy(object)
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90) & ((lon != 0) | (lat != 0))
    wlon, wlat = np.full(n, np.nan), np.full(n, np.nan)
    if ok.any():
        wlon[ok], wlat[ok] = to_wgs84(lon[ok], lat[ok], canon[ok])
    out["lon_wgs"], out["lat_wgs"], out["has_point"] = wlon, wlat, ok
    return out
