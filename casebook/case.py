"""The case folder: ``case.yml`` plus ``labels/`` and ``evidence/`` (see docs/architecture.md).

``case.yml`` is read with YAML's base loader so that every scalar stays a string: a case number
``0012`` stays ``"0012"`` and a party called ``no`` stays ``"no"`` (PyYAML's safe loader would
give 12 and False).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from safeio.errors import InputError, UnsafePathError

SAFE_CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# 文号 such as 周市监处罚〔2024〕17号; ASCII and full-width brackets are accepted as variants.
CASE_NO = re.compile(
    r"(?P<organ>[\u4e00-\u9fff]{1,12}?)(?P<kind>市监[\u4e00-\u9fff]{1,6}?)"
    r"[〔\[［(（【](?P<year>\d{4})[〕\]］)）】](?P<number>\d{1,6})号"
)


def safe_case_id(text: object) -> str:
    """Return ``text`` if it is a safe folder name (letters, digits, ``-``, ``_``), else refuse it."""
    value = str(text).strip()
    if not SAFE_CASE_ID.fullmatch(value):
        raise UnsafePathError(
            f"'{value}' is not a usable case id",
            field="case_id",
            hint="Use only letters, digits, '-' and '_' (for example ZK-2024-017); "
            "the 文号 with its 〔〕 belongs in case.yml as case_no.",
        )
    return value


@dataclass(frozen=True)
class CaseNumber:
    """A parsed 文号: ``{organ}{kind}〔{year}〕{number}号``."""

    organ: str
    kind: str
    year: int
    number: int

    @property
    def canonical(self) -> str:
        return f"{self.organ}{self.kind}〔{self.year}〕{self.number}号"


def parse_case_no(text: str) -> CaseNumber:
    """Parse a 文号, accepting ASCII or full-width brackets; the canonical form uses 〔〕."""
    match = CASE_NO.fullmatch(str(text).strip().replace(" ", ""))
    if not match:
        raise InputError(
            f"'{text}' is not a case number of the form 周市监处罚〔2024〕17号",
            field="case_no",
            hint="Write the 文号 as organ abbreviation + 市监 + kind + 〔year〕 + number + 号.",
        )
    return CaseNumber(match["organ"], match["kind"], int(match["year"]), int(match["number"]))


@dataclass
class Case:
    """One case folder, as the dossier and the batch see it."""

    root: Path
    case_id: str
    case_no: str
    title: str
    organ: str = ""
    party: dict = field(default_factory=dict)
    investigators: list = field(default_factory=list)
    opened: str = ""
    closed: str = ""
    category: str = ""
    location: dict = field(default_factory=dict)
    summary: str = ""
    raw: dict = field(default_factory=dict)

    @property
    def labels_dir(self) -> Path:
        return self.root / "labels"

    @property
    def evidence_dir(self) -> Path:
        return self.root / "evidence"

    @property
    def manifest_path(self) -> Path:
        return self.root / "manifest.json"

    @property
    def custody_path(self) -> Path:
        return self.root / "custody.jsonl"

    def label_photos(self) -> list[Path]:
        """Every regular file in ``labels/``: a PDF or corrupt photo is listed so it gets its own error."""
        if not self.labels_dir.is_dir():
            return []
        return sorted(p for p in self.labels_dir.iterdir() if p.is_file() and not p.name.startswith("."))

    def evidence_files(self) -> list[Path]:
        if not self.evidence_dir.is_dir():
            return []
        return sorted(p for p in self.evidence_dir.rglob("*") if p.is_file() or p.is_symlink())

    def lon_lat(self) -> tuple[float, float, str] | None:
        """The case's position as written, with its coordinate system (not converted)."""
        try:
            return (float(self.location["lon"]), float(self.location["lat"]),
                    str(self.location.get("coord_sys") or "wgs84"))
        except (KeyError, TypeError, ValueError):
            return None


def load_case(case_dir: str | Path) -> Case:
    """Read ``case.yml`` of one case folder; every error names the file and the field."""
    root = Path(case_dir).resolve()
    path = root / "case.yml"
    if not root.is_dir():
        raise InputError("this case folder does not exist", path=root,
                         hint="Give the folder that holds case.yml, labels/ and evidence/.")
    if not path.is_file():
        raise InputError("case.yml is missing", path=path,
                         hint="Every case folder needs a case.yml with case_id, case_no and title.")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # BaseLoader builds no objects
    except UnicodeDecodeError as err:
        raise InputError("case.yml is not UTF-8 text", path=path,
                         hint="Save case.yml as UTF-8 (in Notepad: Save as, Encoding: UTF-8).") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(f"case.yml cannot be read: {getattr(err, 'problem', err)}", path=path, row=row,
                         hint="Fix the YAML at that line (a missing colon or a tab are the usual causes).") from err
    if not isinstance(data, dict):
        raise InputError("case.yml must hold 'key: value' lines", path=path)
    for required in ("case_id", "title"):
        if not str(data.get(required, "")).strip():
            raise InputError(f"case.yml has no {required}", path=path, field=required,
                             hint=f"Add a line '{required}: ...' to case.yml.")
    case_id = safe_case_id(data["case_id"])
    if case_id != root.name:
        raise InputError(f"case_id '{case_id}' does not match the folder name '{root.name}'", path=path,
                         field="case_id", hint="Rename the folder or correct case_id so they agree.")
    return Case(
        root=root,
        case_id=case_id,
        case_no=str(data.get("case_no", "")),
        title=str(data["title"]),
        organ=str(data.get("organ", "")),
        party=data.get("party") or {},
        investigators=data.get("investigators") or [],
        opened=str(data.get("opened", "")),
        closed=str(data.get("closed", "")),
        category=str(data.get("category", "")),
        location=data.get("location") or {},
        summary=str(data.get("summary", "")),
        raw=data,
    )


def scan_casebook(casebook_dir: str | Path) -> tuple[list[Path], list[tuple[str, UnsafePathError]]]:
    """The case folders of a casebook, and (raw id, error) for each row whose id is unusable.

    The rows of ``cases.csv`` if present (a case listed twice counts once; rows of kind ``register``
    have no folder and are skipped), else every folder with
    case.yml.  Ids are checked as folder names first, so a row ``../../etc`` is refused, on its own,
    before anything is opened; the other cases go on.
    """
    book = Path(casebook_dir).resolve()
    if not book.is_dir():
        raise InputError("this casebook folder does not exist", path=book,
                         hint="Give the folder that holds cases.csv and one folder per case.")
    table = book / "cases.csv"
    if not table.is_file():
        dirs = sorted(p.parent for p in book.glob("*/case.yml"))
        if not dirs:
            raise InputError("no cases.csv and no case folders here", path=book,
                             hint="Run 'casebook sample DIR' for an example casebook.")
        return dirs, []
    dirs: list[Path] = []
    errors: list[tuple[str, UnsafePathError]] = []
    with table.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            raw = str(row.get("case_id") or "")
            if str(row.get("kind") or "").strip() == "register":
                continue  # a register row: counted by the hot-spot analysis, no case folder to render
            try:
                folder = book / safe_case_id(raw)
            except UnsafePathError as err:
                errors.append((raw, UnsafePathError(err.message, path=table, row=number, field="case_id",
                                                    hint=err.hint)))
                continue
            if folder not in dirs:
                dirs.append(folder)
    return dirs, errors


def case_dirs(casebook_dir: str | Path) -> list[Path]:
    """The case folders of a casebook; the first unusable row of ``cases.csv`` is an error."""
    dirs, errors = scan_casebook(casebook_dir)
    if errors:
        raise errors[0][1]
    return dirs


def iter_cases(casebook_dir: str | Path) -> Iterator[Case | InputError]:
    """Each case of a casebook, or the error that stops it from loading (a batch goes on)."""
    for case_dir in case_dirs(casebook_dir):
        try:
            yield load_case(case_dir)
        except InputError as err:
            yield err
