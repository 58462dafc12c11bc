"""The extraction record (电子数据提取笔录) of one acquisition from seized media, as HTML and A4 PDF.

It says what the web capture's record says (casebook.extraction_record), for a medium instead of
an address: 案由, the object (the medium: description, model, serial, write blocker, read-only
mount), 提取时间 (UTC and Beijing time) and 提取地点, 提取人, the method (tool versions, steps), the
files with size and both digests, problems, whether the source's listing held still, the seal,
and lines for the signatures.  Every value from the medium or case.yml is untrusted text: jinja2
escapes it, and the page's Content-Security-Policy allows no script and no request.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from casebook.case import Case
from casebook.extraction_record import TEXT as CAPTURE_TEXT
from evidence.integrity.manifest_model import Manifest
from safeio.atomic import write_text_atomic
from safeio.errors import InputError

__all__ = ["render_acquisition_record", "write_acquisition_record"]

from casebook.html_pages import TEMPLATES as _TEMPLATES

MAX_ROWS = 2000  # a record to sign stays printable; the manifest lists every file

TEXT = {
    "zh": {"object": "提取对象（原始存储介质）", "description": "介质描述", "device_model": "设备型号",
           "serial": "序列号", "write_blocker": "写保护设备", "read_only": "只读挂载", "source_path": "挂载位置",
           "yes": "是", "no": "否", "unknown": "未说明", "problems": "未能提取的文件及原因", "path": "文件",
           "problem": "原因", "listing": "原始介质文件列表核对", "more": "另有 {n} 个文件，见封存清单。",
           "listing_same": "提取前后原始介质的文件列表（{n} 项：名称、大小、修改时间）一致，提取未改动原始介质。",
           "listing_changed": "提取前后原始介质的文件列表不一致（{n} 处变化，见下表及 acquisition.json）。",
           "change": "变化", "changes": {"added": "新增", "removed": "消失", "changed": "改变"},
           "steps": ["以只读方式打开原始介质（不跟随符号链接，不修改访问时间），记录提取前的文件列表。",
                     "逐一读取每个文件一次，在读取的同一数据上计算 {algos} 校验值，同时写入本案 {folder}/files/；"
                     "写入后同步到磁盘（fsync），再从磁盘读回与读取的数据比对，一致后方以原文件名保存。",
                     "读取中发生变化或无法读取的文件予以记录，不作为已提取文件保存，其余文件继续提取。",
                     "提取后再次记录原始介质的文件列表并与提取前比对。",
                     "生成封存清单 manifest.json（含各文件校验值及 Merkle 根），并记入本案监管链日志（custody.jsonl）。"],
           "note": "说明：文件名等取自介质的内容按原文作为文字记录。文件的校验值可用 casebook evidence verify、"
                   "sha256sum 或 cksum -a sm3 复核。"},
    "en": {"object": "Object (original medium)", "description": "Description", "device_model": "Device model",
           "serial": "Serial number", "write_blocker": "Write blocker", "read_only": "Mounted read-only",
           "source_path": "Mounted at", "yes": "yes", "no": "no", "unknown": "not stated",
           "problems": "Files not acquired, and why", "path": "File", "problem": "Reason",
           "listing": "Listing of the medium", "more": "{n} more files: see the manifest.",
           "listing_same": "The medium's listing before and after (names, sizes, times of {n} items) is the same: "
                           "the acquisition did not change the medium.",
           "listing_changed": "The medium's listing changed during the acquisition ({n} changes, below and in "
                              "acquisition.json).",
           "change": "Change", "changes": {"added": "added", "removed": "removed", "changed": "changed"},
           "steps": ["Opened the medium read-only (no link followed, access times untouched) and listed it.",
                     "Read each file once, computed {algos} on the bytes read while writing them to {folder}/files/; "
                     "flushed each copy to disk (fsync), read it back from disk and compared it with the bytes "
                     "read before giving it its final name.",
                     "Files that changed while read or could not be read were recorded, not kept; the rest went on.",
                     "Listed the medium again after the copy and compared both listings.",
                     "Sealed the copy in manifest.json (digests and Merkle root) and recorded the acquisition in the "
                     "case's custody log (custody.jsonl)."],
           "note": "Note: names read from the medium are recorded as text, as found. Re-check the digests with "
                   "casebook evidence verify, sha256sum or cksum -a sm3."},
}


@lru_cache(maxsize=1)
def _style() -> tuple[str, str]:
    css = (_TEMPLATES / "extraction_record.css").read_text(encoding="utf-8")
    return css, "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")


def _template():
    from casebook.html_pages import template

    return template("acquisition_record.html")


def _person(item) -> str:
    if isinstance(item, dict):
        name, badge = str(item.get("name", "")).strip(), str(item.get("badge", "")).strip()
        return f"{name}（{badge}）" if badge else name
    return str(item).strip()


def _place(location: dict) -> str:
    """The case's address, or what case.yml says of the place (county, town, market)."""
    if str(location.get("address") or "").strip():
        return str(location["address"]).strip()
    return "".join(str(location.get(key) or "") for key in ("province", "city", "county", "town", "market"))


def _yes_no(value, t: dict) -> str:
    return t["unknown"] if value is None else t["yes"] if value else t["no"]


def render_acquisition_record(case: Case, record: dict, manifest: Manifest, *, folder: str, lang: str = "zh") -> str:
    """The record as one self-contained HTML page (no script, no request)."""
    if lang not in TEXT:
        raise InputError(f"unknown record language '{lang}'", field="lang", hint="Use zh or en.")
    t = {**CAPTURE_TEXT[lang], **TEXT[lang]}
    css, style_hash = _style()
    csp = (f"default-src 'none'; style-src '{style_hash}'; img-src 'none'; font-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    source = record["source"]
    party = case.party if isinstance(case.party, dict) else {"name": case.party}
    files = [{"name": entry.path.removeprefix("files/"), "bytes": entry.size, "sha256": entry.digests.get("sha256", ""),
              "sm3": entry.digests.get("sm3", ""), "link": entry.type == "symlink"} for entry in manifest.entries]
    listing = record["listing"]
    listing_text = (t["listing_same"].format(n=listing["entries_before"]) if listing["unchanged"]
                    else t["listing_changed"].format(n=len(listing["changes"])))
    algos = " 与 ".join(a.upper().replace("SHA256", "SHA-256") for a in record["algorithms"]) if lang == "zh" \
        else " and ".join(a.upper().replace("SHA256", "SHA-256") for a in record["algorithms"])
    return _template().render(
        lang_tag="zh-CN" if lang == "zh" else "en", csp=csp, style=css, t=t,
        case={"case_id": case.case_id, "case_no": case.case_no, "title": case.title,
              "cause": str(case.raw.get("cause") or case.category or "").strip() or case.title,
              "party": party.get("name", "")},
        record=record, place=record.get("place") or _place(case.location or {}),
        extractors=[p for p in (_person(i) for i in case.investigators) if p],
        tools=[f"casebook {record['tool'].get('version')}", f"Python {record['tool'].get('python')}",
               str(record["tool"].get("openssl"))],
        medium={"description": source.get("description") or t["unknown"],
                "device_model": source.get("device_model") or t["unknown"],
                "serial": source.get("serial") or t["unknown"], "path": source.get("path", ""),
                "write_blocker": _yes_no(source.get("write_blocker"), t),
                "read_only": _yes_no(source.get("read_only_mount"), t)},
        steps=[step.format(algos=algos, folder=folder) for step in t["steps"]],
        files=files[:MAX_ROWS], more=max(0, len(files) - MAX_ROWS), listing_text=listing_text,
        changes=[{**c, "change": t["changes"].get(c["change"], c["change"])} for c in listing["changes"][:MAX_ROWS]],
        problems=record["problems"][:MAX_ROWS],
        seal={"folder": folder, "manifest": f"{folder}/manifest.json", "merkle_root": manifest.merkle_root,
              "seal_sha256": manifest.seal.get("sha256", ""), "seal_sm3": manifest.seal.get("sm3", "")})


def write_acquisition_record(target: Path, case: Case, record: dict, manifest: Manifest, *, folder: str,
                             pdf: bool = True, lang: str = "zh") -> list[Path]:
    """Write ``record.html`` (and ``record.pdf``) into ``target``, each atomically; ``folder`` is its name in the case."""
    html_path = write_text_atomic(Path(target) / "record.html",
                                  render_acquisition_record(case, record, manifest, folder=folder, lang=lang))
    if not pdf:
        return [html_path]
    from casebook.pdf import PdfPrinter

    return [html_path, PdfPrinter(settle_ms=0).print(html_path, Path(target) / "record.pdf")]
