"""The chain-of-custody log: append-only JSON lines, each event carrying the hash of the one before.

Each line is one event in canonical JSON (keys sorted, compact, UTF-8)::

    {"action":"hashed","actor":"张三","hash":"…","note":"","objects":[…],"prev":"…","seq":1,"time_utc":"…"}

``hash`` is the SHA-256 of the event's canonical JSON without ``hash``; ``prev`` is the previous
event's ``hash`` (64 zeros for the first).  Verification therefore finds an edited, deleted,
inserted or reordered event and names the first bad one.  A chain cannot show, from inside, that
its last events were cut off: keep the head hash elsewhere (the dossier prints it; a trusted
timestamp fixes it) and pass it as ``expected_head``.

Appending verifies the chain first and refuses to extend a broken one; the new log is written
atomically (temp file, fsync, rename) under a lock on the log's folder.

A log is at most :data:`MAX_LOG_BYTES` and a line at most :data:`MAX_LINE_BYTES`, nested no
deeper than :data:`~safeio.limits.MAX_JSON_DEPTH`; a line beyond these is hostile or damaged
input: the report says so (``refused``) and the CLI exits 2 (docs/domain.md, "Electronic evidence").
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence.integrity.manifest_model import canonical_json, printable, utc_iso
from safeio.atomic import write_bytes_atomic
from safeio.errors import InputError, IntegrityError
from safeio.limits import MAX_JSON_DEPTH, check_json_depth, read_capped

if TYPE_CHECKING:
    import pandas

__all__ = ["ACTIONS", "GENESIS", "MAX_LINE_BYTES", "MAX_LOG_BYTES", "TABLE_COLUMNS", "CustodyLog", "CustodyReport",
           "custody_table", "describe_object", "event_hash", "verify_bytes"]

ACTIONS = ("seized", "extracted", "captured", "acquired", "hashed", "transferred", "verified", "exported",
           "dossier")
GENESIS = "0" * 64
MAX_LOG_BYTES = 64 << 20  # some 100,000 events
MAX_LINE_BYTES = 1 << 20
TABLE_COLUMNS = ["seq", "time_utc", "actor", "action", "objects", "note", "chain", "problem"]
_FIELDS = {"seq": int, "time_utc": str, "actor": str, "action": str, "objects": list, "note": str, "prev": str,
           "hash": str}


@dataclass
class CustodyReport:
    ok: bool
    first_bad_index: int | None
    reason: str | None
    n_events: int
    head: str | None = None
    refused: bool = False

    @property
    def first_bad_line(self) -> int | None:
        return None if self.first_bad_index is None else self.first_bad_index + 1

    def to_dict(self) -> dict:
        return {**asdict(self), "first_bad_line": self.first_bad_line}


def event_hash(event: dict) -> str:
    return hashlib.sha256(canonical_json({k: v for k, v in event.items() if k != "hash"})).hexdigest()


class _Line(bytes):
    """One line of the log; ``complete`` is False for a last line without its newline."""

    complete = True


def _lines(data: bytes) -> list[_Line]:
    if not data:
        return []
    lines = [_Line(part) for part in data.split(b"\n")]
    if lines[-1] == b"":
        lines.pop()
    else:
        lines[-1].complete = False  # no final newline: the file was cut or the last write did not finish
    return lines


class _Refusal(str):
    """A problem that makes the line unusable input (too long, nested too deeply), not just a bad event."""


def _parse(line: _Line) -> tuple[dict | None, str | None]:
    if not line.complete:
        return None, "the line is incomplete (the file was cut or a write did not finish)"
    if len(line) > MAX_LINE_BYTES:
        return None, _Refusal(f"the line is longer than {MAX_LINE_BYTES} bytes (hostile or damaged input)")
    try:
        text = line.decode("utf-8")
        check_json_depth(text, max_depth=MAX_JSON_DEPTH)
        event = json.loads(text)
    except InputError:
        return None, _Refusal(f"the line nests deeper than {MAX_JSON_DEPTH} levels (hostile or damaged input)")
    except ValueError:  # not UTF-8, not JSON, or a number too long to be one casebook wrote
        return None, "the line is not a JSON event (edited or damaged)"
    if not isinstance(event, dict) or set(event) != set(_FIELDS):
        return None, "the line does not hold exactly the fields of a custody event"
    for name, kind in _FIELDS.items():
        if not isinstance(event[name], kind) or isinstance(event[name], bool):
            return None, f"field '{name}' has the wrong type"
    if canonical_json(event) != line:
        return event, "the line was edited (not in the exact form casebook wrote)"
    return event, None


def verify_bytes(data: bytes, expected_head: str | None = None) -> CustodyReport:
    """Check a whole log's bytes; the first failing event is the one named."""
    previous = GENESIS
    lines = _lines(data)
    for index, line in enumerate(lines):
        event, problem = _parse(line)
        if problem is None and event_hash(event) != event["hash"]:
            problem = "the event was edited (its hash does not match its content)"
        if problem is None and event["prev"] != previous:
            problem = ("the event does not follow the one before it "
                       "(an event was deleted, inserted or reordered here)")
        if problem is None and event["seq"] != index + 1:
            problem = f"the event is numbered {event['seq']} but stands at position {index + 1}"
        if problem is None and event["action"] not in ACTIONS:
            problem = f"unknown action '{event['action']}'"
        if problem is not None:
            return CustodyReport(False, index, f"line {index + 1}: {problem}", len(lines), None,
                                 refused=isinstance(problem, _Refusal))
        previous = event["hash"]
    head = previous if lines else None
    if expected_head is not None and expected_head not in _hashes(lines):
        return CustodyReport(False, len(lines), f"the event with hash {expected_head} recorded elsewhere is not "
                             "in the log (its end was cut off or replaced)", len(lines), head)
    return CustodyReport(True, None, None, len(lines), head)


def _hashes(lines: list[_Line]) -> set[str]:
    out = set()
    for line in lines:
        event, _ = _parse(line)
        if event is not None:
            out.add(event["hash"])
    return out


def _clean_objects(objects: Iterable[dict | str] | dict | str) -> list[dict]:
    if isinstance(objects, dict | str | os.PathLike):
        objects = [objects]
    out = []
    for item in objects:
        if isinstance(item, str | os.PathLike):
            item = {"path": os.fspath(item)}
        if not isinstance(item, dict):
            raise InputError(f"a custody object must be a path or a mapping, not {type(item).__name__}",
                             field="objects")
        try:
            text = canonical_json(item).decode("utf-8")
            check_json_depth(text, max_depth=MAX_JSON_DEPTH - 2, what="custody object")  # event > objects > item
        except InputError as err:
            raise InputError(err.message, field="objects", hint=err.hint) from err
        except RecursionError as err:
            raise InputError("a custody object nests too deeply to be stored", field="objects") from err
        except (TypeError, ValueError) as err:
            raise InputError(f"a custody object cannot be stored as JSON: {err}", field="objects") from err
        out.append(json.loads(text))
    return out


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Serialise appenders in this process tree and others. Windows has no flock: no lock there."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class CustodyLog:
    """One ``custody.jsonl``. The file is created by the first :meth:`append`."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def _read(self) -> bytes:
        """The log's bytes (empty if there is none yet); never through a link, never more than the cap."""
        if not os.path.lexists(self.path):
            return b""
        return read_capped(self.path, MAX_LOG_BYTES, what="custody log",
                           hint="A custody log this large was not written by casebook; keep it as it is "
                           "and report it to the case supervisor.")

    def append(self, actor: str, action: str, objects: Iterable[dict | str] | dict | str, note: str = "",
               *, time_utc: str | None = None) -> dict:
        """Add one event, chained to the last, and return it.

        Parameters
        ----------
        actor : who did it (an officer's name, or the tool).
        action : one of :data:`ACTIONS`.
        objects : what it concerns: paths, or mappings such as a manifest's Merkle root or a file's digests.
        note : free text (where, to whom, why).
        time_utc : the event's time (default now), UTC ISO-8601.

        Returns
        -------
        dict
            The event as stored, with its ``seq``, ``prev`` and ``hash``.

        Raises
        ------
        InputError
            No actor, an unknown action, an object that is not JSON or nests too deeply, an event
            over :data:`MAX_LINE_BYTES`, or no folder for the log.
        IntegrityError
            The log does not verify: nothing is added to a broken chain.
        """
        actor = str(actor or "").strip()
        if not actor:
            raise InputError("a custody event needs an actor (who did it)", field="actor",
                             hint="Give the officer's name or the tool, e.g. --actor 张三.")
        if action not in ACTIONS:
            raise InputError(f"'{action}' is not a custody action", field="action",
                             hint="Use one of: " + ", ".join(ACTIONS) + ".")
        clean = _clean_objects(objects)
        if not self.path.parent.is_dir():
            raise InputError("the folder for the custody log does not exist", path=self.path.parent)
        with _folder_lock(self.path.parent):
            data = self._read()
            report = verify_bytes(data)
            if not report.ok:
                raise IntegrityError(
                    f"the custody log does not verify ({report.reason}); nothing was added to a broken chain",
                    path=self.path,
                    hint="Keep the log exactly as it is and report it to the case supervisor; "
                    "do not repair it by hand.",
                )
            event = {"seq": report.n_events + 1, "time_utc": time_utc or utc_iso(), "actor": actor,
                     "action": action, "objects": clean, "note": str(note or ""), "prev": report.head or GENESIS}
            event["hash"] = event_hash(event)
            line = canonical_json(event)
            if len(line) > MAX_LINE_BYTES:
                raise InputError(f"this event would be longer than {MAX_LINE_BYTES} bytes", field="objects",
                                 path=self.path, hint="Record a file by its digest, not its content.")
            write_bytes_atomic(self.path, data + line + b"\n")
        return json.loads(canonical_json(event))

    def events(self) -> list[dict]:
        """The events as stored; a line that is not an event raises IntegrityError naming it."""
        out = []
        for index, line in enumerate(_lines(self._read())):
            event, problem = _parse(line)
            if event is None:
                kind = InputError if isinstance(problem, _Refusal) else IntegrityError
                raise kind(f"line {index + 1}: {problem}", path=self.path,
                           hint="Keep the log as it is; check it with 'casebook evidence custody verify'.")
            out.append(event)
        return out

    def verify(self, expected_head: str | None = None) -> CustodyReport:
        return verify_bytes(self._read(), expected_head)

    def head(self) -> str | None:
        return self.verify().head

    def table(self) -> pandas.DataFrame:
        """The log as data (see :func:`custody_table`)."""
        return custody_table(self)


def describe_object(item: dict) -> str:
    """One short readable line for a custody object (a manifest root or a file with a digest)."""
    name = printable(str(item.get("manifest") or item.get("path") or item.get("name") or ""))
    if item.get("merkle_root"):
        return f"{name} (Merkle {item['merkle_root'][:16]}…)"
    for algorithm in ("sha256", "sm3", "md5"):
        if item.get(algorithm):
            return f"{name} ({algorithm.upper()} {item[algorithm][:16]}…)"
    return name


def custody_table(log: CustodyLog | str | os.PathLike) -> pandas.DataFrame:
    """The log as data for the dossier: one row per line, with where verification fails.

    Parameters
    ----------
    log : CustodyLog or path
        The custody log to read.

    Returns
    -------
    pandas.DataFrame
        Columns ``seq``, ``time_utc``, ``actor``, ``action`` (a code of :data:`ACTIONS`),
        ``objects`` (one readable line), ``note``, ``chain`` (``ok`` up to the first bad line,
        ``broken`` there, ``unconfirmed`` after it) and ``problem`` (why the line is bad).
        An unreadable line keeps its position with empty fields.
    """
    import pandas

    log = log if isinstance(log, CustodyLog) else CustodyLog(log)
    data = log._read()
    report = verify_bytes(data)
    rows = []
    for index, line in enumerate(_lines(data)):
        event, _ = _parse(line)
        if report.first_bad_index is None or index < report.first_bad_index:
            chain, problem = "ok", ""
        elif index == report.first_bad_index:
            chain, problem = "broken", report.reason or ""
        else:
            chain, problem = "unconfirmed", ""
        if event is None:
            rows.append([index + 1, "", "", "", "", "", chain, problem])
            continue
        objects = "; ".join(describe_object(item) for item in event["objects"] if isinstance(item, dict))
        rows.append([event["seq"], event["time_utc"], printable(event["actor"]), event["action"], objects,
                     printable(event["note"]), chain, problem])
    return pandas.DataFrame(rows, columns=TABLE_COLUMNS)
