"""Keep a sealed case sealed after casebook itself brought new evidence in.

If the case was sealed and the only changes since are the ones this run made (new files under
the given folders, the given records rewritten), the case is sealed again (the old manifest is
kept in ``manifests/`` and the custody log names both roots).  Any other change is left for a
person to look at: it is reported, never sealed over.
"""

from __future__ import annotations

from casebook.case import Case
from evidence.integrity.manifest import load_manifest, verify_manifest
from safeio.errors import CasebookError

__all__ = ["update_case_seal"]


def update_case_seal(case: Case, actor: str, *, added_under: list[str], rewritten: frozenset[str] = frozenset()) -> dict:
    """``{"state": "unsealed" | "unchanged" | "resealed" | "changed" | "refused", ...}``."""
    if not case.manifest_path.is_file():
        return {"state": "unsealed", "hint": f"seal the case with 'casebook evidence hash {case.root}'"}
    try:
        old = load_manifest(case.manifest_path)
        report = verify_manifest(old, case.root)
    except CasebookError as err:
        return {"state": "refused", "message": err.message}
    if report.ok:
        return {"state": "unchanged", "merkle_root": old.merkle_root}
    prefixes = tuple(prefix.rstrip("/") + "/" for prefix in added_under)
    ours = not (report.missing or report.moved or report.unverifiable) \
        and all(item["path"].startswith(prefixes) or item["path"] in rewritten for item in report.added) \
        and all(item["path"] in rewritten for item in report.modified)
    if not ours:
        return {"state": "changed", "counts": {k: v for k, v in report.counts().items() if v and k != "matched"},
                "hint": f"see what changed with 'casebook evidence verify {case.manifest_path}'"}
    from casebook.sealing import seal_case

    sealed = seal_case(case.root, actor, reseal=True)
    return {"state": "resealed", "merkle_root": sealed.manifest.merkle_root, "previous_merkle_root": old.merkle_root,
            "added": len(report.added)}
