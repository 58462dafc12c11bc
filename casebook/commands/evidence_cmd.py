"""``casebook evidence ...``: hash, verify, export and custody of electronic evidence.

JSON output (``--json``) is one object on stdout; human output is short lines.  Exit codes follow
the contract: 0 done, 1 done but something failed or does not verify, 2 unusable input.
"""

from __future__ import annotations

from pathlib import Path

import click

from casebook.commands.acquire_cmd import acquire as acquire_cmd
from casebook.commands.capture_cmd import capture as capture_cmd
from safeio.errors import InputError, IntegrityError, UnsafePathError
from safeio.limits import terminal_json, terminal_text


def _emit(data: dict) -> None:
    click.echo(terminal_json(data, indent=1))


def _printable(text: str) -> str:
    return terminal_text(text)


class _Progress:
    """Bytes hashed so far on stderr, for people at a terminal (hours on a disk image otherwise look hung)."""

    def __init__(self, enabled: bool) -> None:
        import sys
        import threading

        self.bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="B", unit_scale=True, desc="hashing", file=sys.stderr, leave=False)
        self.seen: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, path: str, nbytes: int) -> None:
        with self.lock:
            delta = nbytes - self.seen.get(path, 0)
            self.seen[path] = nbytes
            self.bar.update(delta)

    @property
    def callback(self):
        return self if self.bar is not None else None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _is_case_folder(folder: Path) -> bool:
    return (folder / "case.yml").is_file() or (folder / "evidence").is_dir() or (folder / "labels").is_dir()


def _refuse_inside(target: Path, root: Path, include: list[str] | None, what: str) -> None:
    """Nothing is ever written into the evidence tree."""
    target = target.resolve()
    roots = [root.resolve() / name for name in include] if include else [root.resolve()]
    for tree in roots:
        if target == tree or tree in target.parents:
            raise UnsafePathError(f"the {what} would be written inside the evidence tree {tree}", path=target,
                                  hint=f"Write the {what} outside the folder being hashed (evidence is never written).")


@click.group()
def evidence() -> None:
    """Hash, seal, verify and export electronic evidence; keep the custody log."""


evidence.add_command(capture_cmd)
evidence.add_command(acquire_cmd)


@evidence.command("hash")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--case", "case_id", help="Case id recorded in the manifest (a case folder uses its name).")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Manifest to write (outside DIR). Without it DIR must be a case folder: writes DIR/manifest.json.")
@click.option("--algorithms", default="sha256,sm3", show_default=True, help="sha256,sm3[,md5]")
@click.option("--custody", "custody", type=click.Path(path_type=Path),
              help="Custody log for the 'hashed' event (default: custody.jsonl beside the manifest).")
@click.option("--actor", default="casebook", show_default=True, help="Who is hashing (recorded in the custody log).")
@click.option("--tsa", "tsa_url", help="RFC 3161 timestamp authority URL: timestamp the Merkle root.")
@click.option("--reseal", is_flag=True,
              help="Seal again although the evidence or the manifest changed (old manifest kept, change recorded).")
@click.option("--workers", type=int, help="Hashing threads (default: one per core).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def hash_(directory: Path, case_id, out, algorithms, custody, actor, tsa_url, reseal, workers, as_json) -> int:
    """Hash every file of DIR into a sealed manifest and record a custody event."""
    from evidence.integrity.hashing import require_algorithms

    algorithms = require_algorithms(algorithms)
    if out is None:
        if not directory.is_dir() or not _is_case_folder(directory):
            from evidence.integrity.tree_hashing import check_root

            check_root(directory)  # a missing root or a file is reported as such first
            raise click.UsageError("give --out MANIFEST (outside DIR), or a case folder (with evidence/ or labels/)")
        from casebook.sealing import seal_case

        progress = _Progress(not as_json)
        try:
            result = seal_case(directory, actor, algorithms=algorithms, reseal=reseal, tsa_url=tsa_url,
                               workers=workers, progress=progress.callback)
        finally:
            progress.close()
        summary = result.to_dict()
    else:
        progress = _Progress(not as_json)
        try:
            summary = _hash_tree(directory, case_id, out, algorithms, custody, actor, tsa_url, reseal, workers,
                                 progress.callback)
        finally:
            progress.close()
    code = 1 if summary["problems"] else 0
    if as_json:
        _emit(summary)
        return code
    state = "sealed" if summary.get("created", True) else "unchanged, already sealed"
    click.echo(f"{summary['manifest']}: {state}; {summary['files']} files, {summary['bytes']} bytes; "
               f"Merkle root {summary['merkle_root']}")
    if summary.get("event"):
        click.echo(f"custody: event {summary['event']['seq']} 'hashed' recorded in {summary['custody']}")
    for item in summary["problems"]:
        click.echo(f"problem: {_printable(item['path'])}: {item['problem']}", err=True)
    if summary.get("timestamp"):
        click.echo(f"timestamp: {summary['timestamp']['gen_time_utc']} ({summary['timestamp']['path']})")
    return code


def _hash_tree(directory, case_id, out, algorithms, custody, actor, tsa_url, reseal, workers, progress) -> dict:
    from casebook.sealing import seal_tree
    from evidence.integrity.tree_hashing import check_root

    root = check_root(directory)
    _refuse_inside(out, root, None, "manifest")
    log_path = custody or out.parent / "custody.jsonl"
    _refuse_inside(log_path, root, None, "custody log")
    if not out.parent.is_dir():  # say so before hours of hashing, not after
        raise InputError("the folder for the manifest does not exist", path=out.parent,
                         hint="Create the folder first or choose another --out path.")
    result = seal_tree(root, out, actor, custody_path=log_path, case_id=case_id, algorithms=algorithms,
                       reseal=reseal, tsa_url=tsa_url, workers=workers, progress=progress,
                       first_note=f"hashed {root}")
    return result.to_dict()


def _record(sealed, actor: str, action: str, objects: list[dict], note: str = "") -> dict:
    """Append an event to the custody log beside the manifest (a case folder's custody.jsonl)."""
    from evidence.integrity.custody import CustodyLog

    return CustodyLog(sealed.path.parent / "custody.jsonl").append(actor, action, objects, note=note)


def _manifest_path(given: Path) -> Path:
    if given.is_dir() and (given / "manifest.json").is_file():
        return given / "manifest.json"
    return given


@evidence.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path), help="Tree to check (default: the manifest's case folder or recorded root).")
@click.option("--custody", type=click.Path(path_type=Path),
              help="Custody log whose last seal the manifest must match (default: custody.jsonl beside it).")
@click.option("--tsa-ca", "tsa_ca", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Trusted TSA root certificate(s): also check the manifest's .tsr timestamp token.")
@click.option("--workers", type=int, help="Hashing threads (default: one per core).")
@click.option("--record", "actor", help="Record a 'verified' custody event by this person (log beside the manifest).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def verify(manifest: Path, root, custody, tsa_ca, workers, actor, as_json) -> int:
    """Re-hash the tree and compare it with a sealed MANIFEST, and the MANIFEST with its custody log.

    Exit 0 only if all content matches and the manifest is the one the custody log sealed last
    (and its timestamp token, if any, covers it); a replaced manifest is ``seal_replaced``.
    """
    from evidence.integrity.manifest import load_manifest, verify_manifest

    path = _manifest_path(manifest)
    try:
        sealed = load_manifest(path)
    except IntegrityError as err:
        if as_json:
            _emit({"ok": False, "manifest": str(path), "refused": err.message})
            return 1
        raise
    report = verify_manifest(sealed, root, custody=custody if custody is not None else "auto", workers=workers)
    data = report.to_dict()
    seal = report.seal or {}
    token = None
    if tsa_ca:
        from evidence.integrity.timestamp import verify_manifest_timestamp

        try:
            token = verify_manifest_timestamp(sealed, roots=list(tsa_ca)).to_dict()
        except (IntegrityError, InputError) as err:
            token = {"ok": False, "error": err.message}
            data["ok"] = False
        data["timestamp"] = token
    unrecorded = _unrecorded_in_case(path, report.root)
    if unrecorded:  # a case seal that took in a capture custody never recorded does not verify
        data["unrecorded_captures"] = unrecorded
        data["ok"] = False
    code = 0 if data["ok"] else 2 if seal.get("refused") else 1
    if actor:
        counts = {name: n for name, n in report.counts().items() if n}
        data["event"] = _record(sealed, actor, "verified", [{
            "manifest": path.name, "merkle_root": sealed.merkle_root, "root": report.root,
            "result": "all content matches" if data["ok"] else "does not verify", "counts": counts}])
    if as_json:
        _emit(data)
        return code
    counts = report.counts()
    click.echo(f"{path}: {'OK, all content matches the sealed manifest' if data['ok'] else 'DOES NOT VERIFY'} "
               f"(root {report.root})")
    click.echo("  " + ", ".join(f"{name.replace('_', ' ')} {n}" for name, n in counts.items()))
    if seal.get("ok"):
        click.echo(f"  seal: sealed (custody event {seal['event_seq']}, Merkle root {seal['manifest_root']})")
    elif seal:
        click.echo(f"  seal: {seal['status'].upper()}: {_printable(seal['reason'] or '')}")
        if seal.get("sealed_root") and seal["sealed_root"] != seal["manifest_root"]:
            click.echo(f"    sealed root:   {seal['sealed_root']}\n    manifest root: {seal['manifest_root']}")
    for name in ("modified", "missing", "added", "moved", "unverifiable", "metadata_changed"):
        for item in getattr(report, name):
            extra = f" -> {_printable(item['to'])}" if name == "moved" else ""
            reason = f" ({item['reason']})" if item.get("reason") else ""
            click.echo(f"  {name}: {_printable(item['path'])}{extra}{reason}")
    for item in unrecorded:
        click.echo(f"  not recorded by custody: {_printable(item['path'])} ({item['reason']})")
    if token is not None:
        click.echo(f"  timestamp: {token.get('gen_time_utc') or token.get('error')}")
    return code


def _unrecorded_in_case(manifest_path: Path, root) -> list[dict]:
    """Capture folders of a case that custody never recorded (only for a case's own manifest)."""
    case = Path(root) if root else manifest_path.parent
    if manifest_path.name != "manifest.json" or not (case / "case.yml").is_file() \
            or manifest_path.resolve().parent != case.resolve():
        return []
    from casebook.sealing import unrecorded_case_captures

    return unrecorded_case_captures(case.resolve())


@evidence.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice(["hashdeep", "sha256sum", "sm3sum", "case-jsonld"]))
@click.option("--out", required=True, type=click.Path(path_type=Path), help="File to write (outside the evidence tree).")
@click.option("--custody", type=click.Path(path_type=Path),
              help="Custody log to include in case-jsonld (default: custody.jsonl beside the manifest).")
@click.option("--record", "actor", help="Record an 'exported' custody event by this person (log beside the manifest).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written and left out as JSON.")
def export(manifest: Path, fmt, out: Path, custody, actor, as_json) -> int:
    """Export a sealed MANIFEST for hashdeep, sha256sum, cksum -a sm3 or CASE/UCO tools."""
    from evidence.integrity.custody import CustodyLog
    from evidence.integrity.interop_exports import export_manifest
    from evidence.integrity.manifest import load_manifest
    from evidence.integrity.verify import default_root

    sealed = load_manifest(_manifest_path(manifest))
    _refuse_inside(out, default_root(sealed), sealed.include, "export")
    events = None
    if fmt == "case-jsonld":
        log_path = custody or sealed.path.parent / "custody.jsonl"
        events = CustodyLog(log_path).events() if log_path.is_file() else None
    result = export_manifest(sealed, fmt, out, custody_events=events)
    unwritable = [item for item in result.skipped if item["reason"].startswith("hashdeep cannot")]
    code = 1 if unwritable else 0
    data = result.to_dict()
    if actor:
        from evidence.integrity.hashing import hash_bytes

        data["event"] = _record(sealed, actor, "exported", [
            {"manifest": sealed.path.name, "merkle_root": sealed.merkle_root},
            {"path": str(out), "format": fmt, **hash_bytes(out.read_bytes())}],
            note=f"{len(result.skipped)} item(s) left out" if result.skipped else "")
    if as_json:
        _emit(data)
        return code
    click.echo(f"{result.path}: {result.written} entries written as {fmt}")
    for item in result.skipped:
        click.echo(f"  left out: {_printable(item['path'])} ({item['reason']})", err=bool(unwritable))
    for note in result.notes:
        click.echo(f"  note: {note}")
    return code


@evidence.group()
def custody() -> None:
    """Append to, verify and show a custody log (custody.jsonl)."""


def _object_for(text: str) -> dict:
    """A path to a file becomes its digests; a manifest its Merkle root; anything else a described item.

    A link is refused, not followed (its target could change after it was recorded).
    """
    from safeio.limits import refuse_link

    path = Path(text)
    refuse_link(path, "object")
    if path.is_file():
        from evidence.integrity.manifest import load_manifest

        try:
            sealed = load_manifest(path)
            return {"manifest": str(path), "merkle_root": sealed.merkle_root, "seal_sha256": sealed.seal["sha256"]}
        except (IntegrityError, InputError):
            pass
        import os

        from evidence.integrity.hashing import hash_fd
        from evidence.integrity.walk import FILE_FLAGS

        fd = os.open(path, FILE_FLAGS)
        try:
            digests, size = hash_fd(fd, ("sha256", "sm3"))
        finally:
            os.close(fd)
        return {"path": str(path), "size": size, **digests}
    return {"name": text}


@custody.command("append")
@click.argument("log", type=click.Path(path_type=Path))
@click.option("--actor", required=True, help="Who did it (officer's name).")
@click.option("--action", required=True,
              type=click.Choice(["seized", "extracted", "hashed", "transferred", "verified", "exported", "dossier"]))
@click.option("--object", "objects", multiple=True,
              help="A file (its digests are recorded), a manifest (its Merkle root) or a description. Repeatable.")
@click.option("--note", default="", help="Free text: where, to whom, why.")
@click.option("--json", "as_json", is_flag=True)
def custody_append(log: Path, actor, action, objects, note, as_json) -> None:
    """Add one event to LOG (refused if the log does not verify)."""
    from evidence.integrity.custody import CustodyLog

    event = CustodyLog(log).append(actor, action, [_object_for(text) for text in objects], note=note)
    if as_json:
        _emit(event)
    else:
        click.echo(f"{log}: event {event['seq']} '{action}' recorded (hash {event['hash']})")


@custody.command("verify")
@click.argument("log", type=click.Path(path_type=Path))
@click.option("--head", help="The last event hash recorded elsewhere (detects a log cut short).")
@click.option("--json", "as_json", is_flag=True)
def custody_verify(log: Path, head, as_json) -> int:
    """Check LOG's hash chain; name the first bad event."""
    from evidence.integrity.custody import CustodyLog

    if not log.is_file() and not log.is_symlink():
        raise InputError("this custody log does not exist", path=log)
    report = CustodyLog(log).verify(expected_head=head)
    if as_json:
        _emit({"log": str(log), **report.to_dict()})
    elif report.ok:
        click.echo(f"{log}: OK, {report.n_events} events, head {report.head}")
    else:
        click.echo(f"{log}: DOES NOT VERIFY: {report.reason}")
    return 0 if report.ok else 2 if report.refused else 1


@custody.command("show")
@click.argument("log", type=click.Path(exists=True, path_type=Path))
@click.option("--lang", default="zh", type=click.Choice(["zh", "en"]))
@click.option("--json", "as_json", is_flag=True, help="Print the events as stored.")
def custody_show(log: Path, lang, as_json) -> None:
    """Print LOG as a table (times in Asia/Shanghai)."""
    import pandas

    from casebook.sections.custody_log import custody_rows
    from casebook.sections.dossier_words import TEXT
    from evidence.integrity.custody import CustodyLog, custody_table

    if as_json:
        _emit({"log": str(log), "events": CustodyLog(log).events()})
        return
    head, rows, _ = custody_rows(custody_table(CustodyLog(log)), TEXT[lang])
    click.echo(pandas.DataFrame(rows, columns=head).to_string(index=False))
