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
import warnings
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


def _within(rows: list[int], prefix: str, idx: pd.DataFrame) -> list[int]:
    if not prefix:
        return rows
    return [k for k in rows if str(idx["adcode"].iat[k]).startswith(prefix)]


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports pkg_resources, which warns that it is deprecated
        import cpca

        return cpca.transform(values)


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
    codes = set(idx["adcode"].astype(str))
    position = {c: k for k, c in enumerate(idx["adcode"].astype(str))}
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
        out["adcode"].append(str(idx["adcode"].iat[k]) if k >= 0 else "")
        out["unplaced"].append(reason if k < 0 else "")
    result = pd.DataFrame(out)
    rows = result["adcode"].map(position)
    for column, source in (("province", "province"), ("city", "city"), ("county_name", "name")):
        result[column] = [str(idx[source].iat[int(r)]) if r == r else "" for r in rows]
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
    out = frame.copy()
    n = len(out)
    address = out["address"].astype(str) if "address" in out else pd.Series([""] * n, index=out.index)
    codes, distinct = pd.factorize(address, sort=False)
    placed = place_addresses(list(distinct), within)
    for column in ("adcode", "province", "city", "county_name", "unplaced"):
        values = placed[column].to_numpy(dtype=object)
        out[column] = values[codes] if len(values) else np.array([""] * n, dtype=object)
    out["place_method"] = np.where(out["adcode"] != "", "address", "none").astype(object)
    if "county" in out:
        missing = (out["adcode"] == "") & (out["county"].astype(str) != "")
        if missing.any():
            ccodes, cdistinct = pd.factorize(out.loc[missing, "county"].astype(str))
            by_county = place_addresses(list(cdistinct), within)
            for column in ("adcode", "province", "city", "county_name"):
                out.loc[missing, column] = by_county[column].to_numpy(dtype=object)[ccodes]
            now = missing & (out["adcode"] != "")
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
