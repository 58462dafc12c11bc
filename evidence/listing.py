"""The electronic-data list (电子数据清单) as a table for the dossier.

法发〔2016〕22号 第十四条 asks for each item's 类别, 文件格式 and 完整性校验值; the SAMR evidence list
adds 来源 and 提取时间.  Here 提取时间 is when the manifest fixed the item (its hashing time, shown in
Asia/Shanghai); 大小 is in bytes, exact, because an integrity list must not round.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from evidence.model import Entry, printable

if TYPE_CHECKING:
    import pandas

    from evidence.model import Manifest
    from evidence.verify import VerifyReport

# China has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database
# (zoneinfo has none on a bare Windows Python).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")

COLUMNS = {
    "zh": ["序号", "名称", "类别", "格式", "大小", "SHA-256", "SM3", "提取时间", "来源", "状态"],
    "en": ["No.", "Name", "Category", "Format", "Size", "SHA-256", "SM3", "Extracted", "Source", "Status"],
}
# Hand-written: mimetypes knows MIME types, not the categories an evidence list uses (聊天记录, 磁盘镜像).
_CATEGORIES = {
    "image": ({"jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif"}, "图片", "image"),
    "video": ({"mp4", "mov", "avi", "mkv", "flv", "wmv", "3gp", "m4v"}, "视频", "video"),
    "audio": ({"mp3", "wav", "amr", "m4a", "aac", "silk", "ogg", "flac"}, "音频", "audio"),
    "document": ({"pdf", "doc", "docx", "txt", "rtf", "odt", "wps", "md"}, "文档", "document"),
    "sheet": ({"xls", "xlsx", "csv", "ods", "et", "tsv"}, "表格", "spreadsheet"),
    "web": ({"html", "htm", "mht", "mhtml", "warc", "har"}, "网页", "web page"),
    "chat": ({"db", "sqlite", "sqlite3", "json", "jsonl", "eml", "msg"}, "聊天记录/数据", "chat log / data"),
    "archive": ({"zip", "rar", "7z", "tar", "gz", "bz2", "xz", "tgz"}, "压缩包", "archive"),
    "image_disk": ({"e01", "ex01", "dd", "img", "raw", "iso", "vmdk", "vhd", "vhdx", "aff", "aff4", "dmg"},
                   "磁盘镜像", "disk image"),
}
_SOURCES = {"evidence": ("电子数据", "electronic data"), "labels": ("扣押商品标签照片", "seized label photos")}
_STATUS = {
    None: ("已登记", "recorded"),
    "matched": ("一致", "matches"),
    "metadata_changed": ("一致（修改时间变化）", "matches (mtime changed)"),
    "modified": ("已修改", "modified"),
    "missing": ("缺失", "missing"),
    "added": ("新增", "added"),
    "moved": ("移动", "moved"),
    "skipped": ("跳过（无内容）", "skipped (no content)"),
    "unverifiable": ("未能校验", "not verifiable"),
    "problem": ("未能计算校验值", "not hashed"),
}


def _lang_index(lang: str) -> int:
    return 1 if str(lang).lower().startswith("en") else 0


def category(entry: Entry, lang: str = "zh") -> str:
    i = _lang_index(lang)
    if entry.type == "symlink":
        return ("符号链接", "symbolic link")[i]
    if entry.type != "file":
        return ("特殊文件", "special file")[i]
    suffix = PurePosixPath(entry.path).suffix.lower().lstrip(".")
    for extensions, zh, en in _CATEGORIES.values():
        if suffix in extensions:
            return (zh, en)[i]
    return ("其他", "other")[i]


def file_format(entry: Entry) -> str:
    return PurePosixPath(entry.path).suffix.lstrip(".").upper()


def shanghai_time(utc_text: str | None) -> str:
    """A stored UTC ISO time shown in Asia/Shanghai, as dossiers print it."""
    if not utc_text:
        return ""
    moment = datetime.fromisoformat(utc_text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _source(entry: Entry, manifest: Manifest, lang: str) -> str:
    i = _lang_index(lang)
    if manifest.include:
        top = entry.path.split("/", 1)[0]
        if top in _SOURCES:
            return _SOURCES[top][i]
        return top
    return PurePosixPath(manifest.root).name or manifest.root


def evidence_list(manifest: Manifest, report: VerifyReport | None = None, lang: str = "zh") -> pandas.DataFrame:
    """One row per manifest item (plus, with a report, one per added item), dossier-ready."""
    import pandas  # imported here: hashing and verifying from the CLI need no pandas

    i = _lang_index(lang)
    status = report.status_by_path() if report is not None else {}
    extracted = shanghai_time(manifest.created_utc)
    rows = []
    for entry in manifest.entries:
        key = entry.to_dict().get("path_b64") or entry.path
        if report is not None:
            list_name, item = status.get(key, ("missing", {}))
            state = _STATUS[list_name][i]
            if list_name == "moved":
                state = f"{state} → {printable(item['to'])}"
        else:
            state = _STATUS["problem" if entry.problem else None][i]
        rows.append([printable(entry.path), category(entry, lang), file_format(entry), entry.size,
                     entry.digests.get("sha256", ""), entry.digests.get("sm3", ""), extracted,
                     _source(entry, manifest, lang), state])
    for item in report.added if report is not None else []:
        added = Entry.from_dict({**item, "problem": item.get("problem")})
        rows.append([printable(added.path), category(added, lang), file_format(added), added.size,
                     added.digests.get("sha256", ""), added.digests.get("sm3", ""), "",
                     _source(added, manifest, lang), _STATUS["added"][i]])
    frame = pandas.DataFrame(rows, columns=COLUMNS["zh" if i == 0 else "en"][1:])
    frame.insert(0, COLUMNS["zh" if i == 0 else "en"][0], range(1, len(frame) + 1))
    frame[frame.columns[4]] = frame[frame.columns[4]].astype("Int64")
    return frame
