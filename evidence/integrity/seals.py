"""Is this manifest the one that was sealed?  The custody log and the timestamp token say.

A manifest vouches only for itself: whoever can write ``manifest.json`` can write a new one whose
seal matches new content, and re-hashing the tree would then agree with it.  What fixes the
manifest to the moment of sealing lies outside it: the custody log's ``hashed`` event records its
Merkle root inside a hash chain, and an RFC 3161 token from an independent timestamp authority,
stored beside the manifest, covers the same root (docs/domain.md, "Electronic evidence").

:func:`check_seal` compares the manifest's root with the *last* seal the log records for a
manifest of that name, and with the token when there is one.  Statuses:

- ``sealed``: the last seal records this root (and the token, if any, covers it);
- ``seal_replaced``: the last seal, or the token, records another root: the manifest was
  replaced after sealing (an earlier seal put back counts too: a later one superseded it);
- ``unrecorded``: the log holds no seal for this manifest;
- ``no_custody_log``: there is no log to compare with;
- ``custody_broken``: the log does not verify, so none of its seals can be trusted;
- ``token_unreadable``: a token lies beside the manifest but cannot be read.

Only ``sealed`` is good.  Changing a seal on purpose is ``seal_case(..., reseal=True)``
(``casebook evidence hash --reseal``), which records the old and new roots in the log.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from evidence.integrity.custody import CustodyLog
from evidence.integrity.manifest_model import Manifest

__all__ = ["CUSTODY_NAME", "SEAL_ACTIONS", "SealCheck", "check_seal", "last_seal", "seal_events"]

CUSTODY_NAME = "custody.jsonl"
# Custody actions whose objects seal a manifest (its Merkle root); "verified" and "exported" only quote one.
# A web capture or an acquisition from seized media seals the manifest of its folder when it records it.
SEAL_ACTIONS = frozenset({"hashed", "captured", "acquired"})


@dataclass
class SealCheck:
    """The outcome of :func:`check_seal`: data for the CLI and the dossier to present."""

    status: str
    manifest_root: str
    sealed_root: str | None = None
    event_seq: int | None = None
    log: str | None = None
    reason: str | None = None
    timestamp: dict | None = None
    refused: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "sealed"

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def _names_manifest(item: object, manifest_path: Path, log_folder: Path) -> bool:
    """Does a custody object seal this manifest?  Its ``manifest`` is a path relative to the log's folder
    (``manifest.json`` in a case, ``evidence/web/<capture>/manifest.json`` for a web capture) or absolute."""
    if not (isinstance(item, dict) and item.get("merkle_root") and item.get("manifest")):
        return False
    named = Path(str(item["manifest"]))
    return (named if named.is_absolute() else log_folder / named).resolve() == manifest_path.resolve()


def seal_events(events: list[dict], manifest_path: str | os.PathLike,
                log_folder: str | os.PathLike) -> list[tuple[dict, dict]]:
    """Every ``(event, object)`` that sealed the manifest at ``manifest_path``, oldest first.

    Parameters
    ----------
    events : the custody log's events.
    manifest_path : the manifest.
    log_folder : the folder of the custody log (object paths are relative to it).

    Returns
    -------
    list of (event, object)
    """
    path, folder = Path(manifest_path), Path(log_folder)
    return [(event, item) for event in events if event.get("action") in SEAL_ACTIONS
            for item in event.get("objects") or [] if _names_manifest(item, path, folder)]


def last_seal(events: list[dict], manifest_path: str | os.PathLike,
              log_folder: str | os.PathLike) -> tuple[dict, dict] | None:
    """The most recent ``(event, object)`` sealing the manifest at ``manifest_path``, or None."""
    seals = seal_events(events, manifest_path, log_folder)
    return seals[-1] if seals else None


def _token_check(manifest: Manifest, root: str) -> dict | None:
    """Compare the token beside the manifest (if any) with ``root``, without trusting its signer.

    The signature is checked only with trusted TSA certificates (``verify --tsa-ca``); the
    imprint alone already shows which root the token was issued for.
    """
    from evidence.integrity.timestamp import token_imprint, token_path

    token = token_path(manifest.path)
    if not os.path.lexists(token):
        return None
    try:
        imprint = token_imprint(token)
    except Exception as err:  # any decoding failure means the same thing here: unreadable
        return {"token": str(token), "status": "unreadable", "reason": str(err)[:200]}
    matches = imprint == hashlib.sha256(root.encode("ascii")).digest()
    return {"token": str(token), "status": "matches" if matches else "other_root"}


def check_seal(manifest: Manifest, custody: str | os.PathLike | CustodyLog | None = None) -> SealCheck:
    """Compare a loaded manifest with the last seal of its custody log and with its timestamp token.

    Parameters
    ----------
    manifest : a manifest loaded from a file (its name is how the log refers to it).
    custody : the custody log; default ``custody.jsonl`` beside the manifest.

    Returns
    -------
    SealCheck
        ``status`` as in the module docstring, with both roots when they differ.

    Raises
    ------
    InputError
        The log is larger than casebook accepts, or is a link.
    """
    root = manifest.merkle_root
    if manifest.path is None:
        return SealCheck("unrecorded", root, reason="the manifest was not read from a file, so no log names it")
    log = custody if isinstance(custody, CustodyLog) else CustodyLog(
        Path(custody) if custody is not None else manifest.path.parent / CUSTODY_NAME)
    where = str(log.path)
    if not os.path.lexists(log.path):
        return SealCheck("no_custody_log", root, log=where,
                         reason="there is no custody log to compare the manifest with, so its seal cannot be "
                         "confirmed")
    report = log.verify()
    if not report.ok:
        return SealCheck("custody_broken", root, log=where, refused=report.refused,
                         reason=f"the custody log does not verify ({report.reason}), so its seals cannot be trusted")
    seals = seal_events(log.events(), manifest.path, log.path.parent)
    if not seals:
        return SealCheck("unrecorded", root, log=where,
                         reason=f"the custody log records no seal of the manifest {manifest.path}")
    event, item = seals[-1]
    sealed_root = item["merkle_root"]
    if sealed_root != root:
        earlier = next((e["seq"] for e, i in seals if i["merkle_root"] == root), None)
        reason = (f"the custody log's last seal (event {event['seq']}) records Merkle root {sealed_root}, "
                  f"but this manifest has {root}: it was replaced after sealing")
        if earlier is not None:
            reason += f" (it is the manifest of event {earlier}, which event {event['seq']} superseded)"
        return SealCheck("seal_replaced", root, sealed_root, event["seq"], where, reason)
    stamp = _token_check(manifest, root)
    if stamp is not None and stamp["status"] == "other_root":
        return SealCheck("seal_replaced", root, sealed_root, event["seq"], where,
                         f"the timestamp token {stamp['token']} was issued for another Merkle root than this "
                         "manifest's: the manifest or the token was replaced", stamp)
    if stamp is not None and stamp["status"] == "unreadable":
        return SealCheck("token_unreadable", root, sealed_root, event["seq"], where,
                         f"the timestamp token {stamp['token']} cannot be read: {stamp['reason']}", stamp)
    if stamp is None and item.get("timestamp_utc"):
        stamp = {"token": None, "status": "missing"}  # recorded when sealed, gone now: said, not failed
    return SealCheck("sealed", root, sealed_root, event["seq"], where, None, stamp)
