"""Exports that independent tools re-check: hashdeep, sha256sum, sm3sum (coreutils), CASE JSON-LD.

- ``sha256sum``: ``sha256sum -c FILE`` run in the root passes.  Names holding ``\\``, a newline or
  a carriage return are escaped the way coreutils 9 writes them (the line starts with ``\\``).
- ``sm3sum``: the same layout with SM3 values; ``cksum -a sm3 --check FILE`` passes.
- ``hashdeep``: ``hashdeep -r -l -a -k FILE .`` run in the root (for a case manifest:
  ``hashdeep -r -l -a -k FILE evidence labels`` in the case folder) passes on the untouched tree.
  hashdeep has no escaping: a name with a newline, or ending in a carriage return, cannot be
  written.  Such names are left out, listed in a ``##`` comment and in the result, never written
  as a broken line.  hashdeep itself follows symlinks and hangs on FIFOs: the export says so
  when the tree holds any.
- ``case-jsonld``: see :mod:`evidence.integrity.caseuco`.

Names are written as raw bytes: a name that is not UTF-8 stays exactly as on disk.
Only regular files with digests are exported; links, FIFOs and unhashed files are reported.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from evidence.integrity.caseuco import case_graph
from evidence.integrity.manifest_model import Entry, Manifest, printable
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError

__all__ = ["FORMATS", "ExportResult", "coreutils_line", "export_manifest", "hashdeep_name_problem",
           "render_checksums", "render_hashdeep"]

FORMATS = ("hashdeep", "sha256sum", "sm3sum", "case-jsonld")


@dataclass
class ExportResult:
    format: str
    path: str
    written: int
    skipped: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _skip(entry: Entry, reason: str) -> dict:
    return {"path": entry.path, "reason": reason}


def _exportable(manifest: Manifest, algorithm: str, skipped: list[dict]) -> list[Entry]:
    out = []
    for entry in manifest.entries:
        if entry.type != "file":
            skipped.append(_skip(entry, f"a {entry.type} has no content to check"))
        elif entry.problem or algorithm not in entry.digests:
            skipped.append(_skip(entry, entry.problem or f"no {algorithm} value in the manifest"))
        else:
            out.append(entry)
    return out


def coreutils_line(digest: str, raw: bytes) -> bytes:
    """One ``sha256sum``-style line, escaped as coreutils 9 escapes ``\\``, newline and carriage return."""
    if raw == b"-":  # coreutils reads a file named '-' as standard input: name it by path instead
        raw = b"./-"
    if any(ch in raw for ch in (b"\\", b"\n", b"\r")):
        escaped = raw.replace(b"\\", b"\\\\").replace(b"\n", b"\\n").replace(b"\r", b"\\r")
        return b"\\" + digest.encode("ascii") + b"  " + escaped + b"\n"
    return digest.encode("ascii") + b"  " + raw + b"\n"


def render_checksums(manifest: Manifest, algorithm: str) -> tuple[bytes, list[dict]]:
    """The body of a ``sha256sum``/``cksum -a sm3 --untagged`` file and the entries left out."""
    if algorithm not in manifest.algorithms:
        raise InputError(f"this manifest holds no {algorithm} values", path=manifest.path,
                         hint=f"Hash the tree again with --algorithms including {algorithm}.")
    skipped: list[dict] = []
    lines = [coreutils_line(entry.digests[algorithm], entry.raw) for entry in _exportable(manifest, algorithm, skipped)]
    return b"".join(lines), skipped


def hashdeep_name_problem(raw: bytes) -> str | None:
    if b"\n" in raw:
        return "hashdeep cannot hold a name with a newline"
    if raw.endswith(b"\r"):
        return "hashdeep cannot hold a name ending in a carriage return (it reads it as a line end)"
    return None


def render_hashdeep(manifest: Manifest) -> tuple[bytes, list[dict], list[str]]:
    """A hashdeep known-file (``%%%% HASHDEEP-1.0``) with size, [md5,] sha256 and the name."""
    columns = ["size"] + [name for name in ("md5", "sha256") if name in manifest.algorithms] + ["filename"]
    if "sha256" not in columns:
        raise InputError("this manifest holds no sha256 values", path=manifest.path)
    skipped: list[dict] = []
    rows, unwritable = [], []
    prefix = b"" if manifest.include else b"./"
    for entry in _exportable(manifest, "sha256", skipped):
        problem = hashdeep_name_problem(entry.raw)
        if problem:
            unwritable.append(_skip(entry, problem))
            continue
        values = [str(entry.size)] + [entry.digests[name] for name in columns[1:-1]]
        rows.append(",".join(values).encode("ascii") + b"," + prefix + entry.raw + b"\n")
    where = " ".join(manifest.include) if manifest.include else "."
    notes = [f"audit in {manifest.root}: hashdeep -r -l -a -k FILE {where}"]
    kinds = {entry.type for entry in manifest.entries}
    if "symlink" in kinds:
        notes.append("the tree holds symbolic links: hashdeep follows them, casebook records them unfollowed")
    if kinds & {"fifo", "socket", "char-device", "block-device"}:
        notes.append("the tree holds FIFOs or devices: hashdeep may hang on them (casebook skipped them)")
    if unwritable:
        notes.append(f"{len(unwritable)} name(s) cannot be written in hashdeep format and were left out; "
                     "the audit will report those files as new")
    header = [b"%%%% HASHDEEP-1.0", b"%%%% " + ",".join(columns).encode("ascii"),
              f"## casebook export of manifest {manifest.path.name if manifest.path else ''} "
              f"(Merkle root {manifest.merkle_root})".encode()]
    header += [b"## " + printable(note).encode("utf-8") for note in notes]
    header += [b"## left out: " + printable(item["path"]).encode("utf-8") + b" (" + item["reason"].encode() + b")"
               for item in unwritable]
    header.append(b"## ")
    return b"\n".join(header) + b"\n" + b"".join(rows), skipped + unwritable, notes


def export_manifest(manifest: Manifest, fmt: str, out: str | os.PathLike,
                    custody_events: list[dict] | None = None) -> ExportResult:
    """Write ``manifest`` in format ``fmt`` to ``out`` (atomically) and say what was left out."""
    target = Path(out)
    if fmt not in FORMATS:
        raise InputError(f"unknown export format '{fmt}'", field="format", hint="Use one of: " + ", ".join(FORMATS))
    if not target.parent.is_dir():
        raise InputError("the folder for the export does not exist", path=target.parent)
    notes: list[str] = []
    if fmt == "sha256sum":
        body, skipped = render_checksums(manifest, "sha256")
        notes.append(f"check in {manifest.root}: sha256sum -c FILE")
    elif fmt == "sm3sum":
        body, skipped = render_checksums(manifest, "sm3")
        notes.append(f"check in {manifest.root}: cksum -a sm3 --check FILE")
    elif fmt == "hashdeep":
        body, skipped, notes = render_hashdeep(manifest)
    else:
        graph = case_graph(manifest, custody_events)
        body = (json.dumps(graph, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        skipped = [_skip(entry, entry.problem or f"a {entry.type} has no content") for entry in manifest.entries
                   if not entry.has_content]
        notes.append("validate: case_validate --ontology-graph evidence/data/uco-sm3.ttl FILE (declares SM3)")
    write_bytes_atomic(target, body)
    written = len(manifest.entries) - len(skipped)
    return ExportResult(format=fmt, path=str(target), written=written, skipped=skipped, notes=notes)
