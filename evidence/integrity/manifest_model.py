"""The manifest's data: entries, the sealed manifest, and their exact JSON form.

A manifest file is canonical JSON (``json.dumps(..., indent=1, ensure_ascii=False)`` plus a final
newline).  Its ``seal`` holds SHA-256 and SM3 digests of the same document without the seal, and
its ``merkle`` block a Merkle root over the entries.  Loading re-serialises what it parsed and
demands the very same bytes, so editing any byte (even whitespace) is refused, not just edits
that change a value.  To re-check a seal by hand::

    python3 -c "import json,sys,hashlib; d=json.load(open(sys.argv[1],encoding='utf-8')); s=d.pop('seal');
    b=(json.dumps(d,indent=1,ensure_ascii=False)+chr(10)).encode(); print(hashlib.sha256(b).hexdigest()==s['sha256'])" manifest.json
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from safeio.errors import IntegrityError
from safeio.limits import loads_json, terminal_text

__all__ = ["FORMAT", "SEAL_ALGORITHMS", "SPECIAL_TYPES", "Entry", "Manifest", "canonical_json", "display_name",
           "document_bytes", "entries_merkle_root", "is_utf8", "merkle_root", "ns_to_utc_iso", "parse_manifest_bytes",
           "printable", "seal_document", "utc_iso"]

FORMAT = "casebook-manifest/1"
SEAL_ALGORITHMS = ("sha256", "sm3")
SPECIAL_TYPES = frozenset({"fifo", "socket", "char-device", "block-device"})


def display_name(raw: bytes) -> str:
    """A readable form of a raw name: UTF-8 where it is, ``\\xNN`` for bytes that are not."""
    return raw.decode("utf-8", "backslashreplace")


def is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def printable(text: str) -> str:
    """One line for people: control and format characters (newline, BEL, 0x9B, RLO) shown escaped."""
    return terminal_text(text)


def utc_iso(moment: datetime | None = None) -> str:
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def ns_to_utc_iso(ns: int | None) -> str | None:
    if ns is None:
        return None
    try:
        moment = datetime.fromtimestamp(ns / 1e9, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: object) -> bytes:
    """Compact, key-sorted JSON: the byte form that digests (Merkle leaves, custody events) cover."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def document_bytes(document: dict) -> bytes:
    """The manifest file's exact bytes for a document (insertion order kept)."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Entry:
    """One item of the tree: a regular file with its digests, a link with its target, or a skipped thing.

    ``raw`` is the relative path as raw bytes with ``/`` separators (the identity of the entry).
    """

    raw: bytes
    type: str
    size: int | None = None
    mtime_ns: int | None = None
    digests: dict[str, str] = field(default_factory=dict)
    target: bytes | None = None
    problem: str | None = None

    @property
    def path(self) -> str:
        return display_name(self.raw)

    @property
    def has_content(self) -> bool:
        """A regular file whose digests were taken (a link's content is its target text)."""
        return self.type == "file" and bool(self.digests) and self.problem is None

    @property
    def failed(self) -> bool:
        """A problem that leaves content unchecked (not a FIFO or device, which simply has none)."""
        return bool(self.problem) and self.type not in SPECIAL_TYPES

    def content_key(self) -> tuple:
        return (self.type, self.size, tuple(sorted(self.digests.items())), self.target)

    def to_dict(self) -> dict:
        out: dict = {"path": self.path}
        if not is_utf8(self.raw):
            out["path_b64"] = base64.b64encode(self.raw).decode("ascii")
        out["type"] = self.type
        out["size"] = self.size
        out["mtime_utc"] = ns_to_utc_iso(self.mtime_ns)
        out["mtime_ns"] = self.mtime_ns
        out["digests"] = dict(self.digests)
        if self.target is not None:
            out["target"] = display_name(self.target)
            if not is_utf8(self.target):
                out["target_b64"] = base64.b64encode(self.target).decode("ascii")
        out["problem"] = self.problem
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Entry:
        raw = base64.b64decode(data["path_b64"]) if "path_b64" in data else data["path"].encode("utf-8")
        target = None
        if "target_b64" in data:
            target = base64.b64decode(data["target_b64"])
        elif data.get("target") is not None:
            target = data["target"].encode("utf-8")
        return cls(
            raw=raw,
            type=data["type"],
            size=data.get("size"),
            mtime_ns=data.get("mtime_ns"),
            digests=dict(data.get("digests") or {}),
            target=target,
            problem=data.get("problem"),
        )


def merkle_root(leaves: list[bytes]) -> str:
    """RFC 6962 Merkle tree hash (SHA-256): leaves prefixed 0x00, nodes 0x01, so no leaf poses as a node."""

    # Hand-written: no well-kept PyPI package offers RFC 6962 tree hashing without pulling a CT client.
    def tree(items: list[bytes]) -> bytes:
        if len(items) == 1:
            return hashlib.sha256(b"\x00" + items[0]).digest()
        split = 1
        while split * 2 < len(items):
            split *= 2
        return hashlib.sha256(b"\x01" + tree(items[:split]) + tree(items[split:])).digest()

    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    return tree(leaves).hex()


def entries_merkle_root(entries: list[Entry]) -> str:
    return merkle_root([canonical_json(entry.to_dict()) for entry in entries])


@dataclass
class Manifest:
    """A sealed manifest. ``document`` is the exact JSON document; the rest are views of it."""

    document: dict
    entries: list[Entry]
    path: Path | None = None

    @property
    def case_id(self) -> str | None:
        return self.document.get("case_id")

    @property
    def root(self) -> str:
        return self.document["root"]

    @property
    def include(self) -> list[str] | None:
        return self.document.get("include")

    @property
    def algorithms(self) -> tuple[str, ...]:
        return tuple(self.document["algorithms"])

    @property
    def created_utc(self) -> str:
        return self.document["created_utc"]

    @property
    def merkle_root(self) -> str:
        return self.document["merkle"]["root"]

    @property
    def seal(self) -> dict:
        return self.document["seal"]

    @property
    def totals(self) -> dict:
        return self.document["totals"]

    @property
    def problems(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.failed]

    def to_bytes(self) -> bytes:
        return document_bytes(self.document)

    def summary(self) -> dict:
        """What a custody event or a CLI line says about this manifest."""
        return {
            "manifest": str(self.path) if self.path else None,
            "case_id": self.case_id,
            "merkle_root": self.merkle_root,
            "seal_sha256": self.seal["sha256"],
            "seal_sm3": self.seal.get("sm3"),
            "files": self.totals["files"],
            "bytes": self.totals["bytes"],
        }


def seal_document(body: dict) -> dict:
    """Return ``body`` with its ``seal`` added last (digests of the body's canonical bytes)."""
    payload = document_bytes(body)
    sealed = dict(body)
    sealed["seal"] = {name: hashlib.new(name, payload).hexdigest() for name in SEAL_ALGORITHMS}
    return sealed


def parse_manifest_bytes(data: bytes, where: str | Path) -> Manifest:
    """Parse and check a manifest's bytes; refuse anything truncated, edited or re-formatted."""
    hint = ("The manifest was changed after sealing. Keep the original copy as evidence and re-check the "
            "tree with the original manifest; do not repair the file by hand.")
    try:
        document = loads_json(data, where=where, what="manifest")  # refuses deep nesting (InputError)
    except ValueError as err:  # not UTF-8, not JSON, or a number too long to be one casebook wrote
        raise IntegrityError(f"the manifest is damaged or truncated ({err})", path=where, hint=hint) from err
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise IntegrityError("this is not a casebook manifest (format field missing or unknown)", path=where,
                             hint="Give the manifest.json written by 'casebook evidence hash'.")
    if document_bytes(document) != data:
        raise IntegrityError("the manifest's bytes were edited (not in the exact form casebook wrote)",
                             path=where, hint=hint)
    seal = document.get("seal")
    body = {key: value for key, value in document.items() if key != "seal"}
    if not isinstance(seal, dict) or "sha256" not in seal:
        raise IntegrityError("the manifest carries no seal", path=where, hint=hint)
    payload = document_bytes(body)
    for name, expected in seal.items():
        if name not in SEAL_ALGORITHMS or hashlib.new(name, payload).hexdigest() != expected:
            raise IntegrityError(f"the manifest's {name} seal does not match its content", path=where, hint=hint)
    try:
        entries = [Entry.from_dict(item) for item in document["entries"]]
        recorded_root = document["merkle"]["root"]
    except (KeyError, TypeError, ValueError) as err:
        raise IntegrityError(f"the manifest's entries cannot be read ({err})", path=where, hint=hint) from err
    if entries_merkle_root(entries) != recorded_root:
        raise IntegrityError("the manifest's Merkle root does not match its entries", path=where, hint=hint)
    return Manifest(document=document, entries=entries, path=Path(where))
