"""Dossiers for every case of a casebook: in parallel, failures isolated, resumable, with an index.

The driver computes the casebook's hot-spot analysis once (``OUT/hotspots/``) and hands it to
every dossier. Each case renders in a worker process with a fresh kernel of its own (the worker
starts the next case's kernel while the current one runs); the driver prints PDFs with one
shared Chromium as results come in, writes each case's ``summary.json`` (its only writer), then
``OUT/index.html`` and ``OUT/batch-report.json``. Workers die with the driver (Linux parent-death
signal), and their kernels with them, so a killed batch leaves nothing running and a rerun
renders every case that has no complete summary. A worker that dies mid-batch (killed, out of
memory) breaks its pool; the cases lost with it are rendered again in a fresh pool, then one at a
time, so that only a case that kills every worker it meets fails. With ``scheduler`` the cases go to a Dask
distributed cluster (``"local"`` starts a LocalCluster); the output folder must then be shared.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casebook.case import case_table, casebook_cases
from casebook.dossier import DossierResult, finish_case, render_case
from casebook.dossier_inputs import DossierInputs
from casebook.index import write_index
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError, InputError, MissingDependencyError

__all__ = ["HOTSPOTS", "BatchReport", "list_case_dirs", "render_task", "run_batch", "save_casebook_hotspots",
           "save_casebook_links"]

HOTSPOTS = "hotspots"  # OUT/hotspots/: the casebook's hot-spot analysis, as every dossier used it


@dataclass
class BatchReport:
    """What a batch did: one entry per case (``DossierResult.to_dict``), counts, times."""

    casebook: str
    out: str
    results: list[dict] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    seconds: float = 0.0
    workers: int = 1
    scheduler: str | None = None
    problems: list[dict] = field(default_factory=list)  # the casebook's own: case ids cases.csv gives twice

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)

    @property
    def failed(self) -> int:
        """Cases that did not give a complete dossier (failed or degraded): the batch exits 1."""
        return self.count("failed") + self.count("degraded")

    def to_dict(self) -> dict:
        return {
            "casebook": self.casebook, "out": self.out, "started": self.started, "finished": self.finished,
            "seconds": round(self.seconds, 3), "workers": self.workers, "scheduler": self.scheduler,
            "cases": len(self.results), "ok": self.count("ok"), "skipped": self.count("skipped"),
            "degraded": self.count("degraded"), "failed": self.count("failed"),
            "failures": [{"case_id": r["case_id"], "status": r["status"], "error": r["error"]}
                         for r in self.results if r["status"] in ("failed", "degraded")],
            "problems": self.problems,
            "results": self.results,
        }


def list_case_dirs(casebook_dir: str | Path) -> tuple[list[Path], list[dict]]:
    """The case folders to render, and a failed entry for each row whose id is unusable."""
    dirs, results, _ = _case_listing(casebook_dir)
    return dirs, results


def _case_listing(casebook_dir: str | Path) -> tuple[list[Path], list[dict], list[dict]]:
    """:func:`list_case_dirs`, and a problem for each case id that more than one row of cases.csv carries."""
    found = casebook_cases(casebook_dir)
    return (found.dirs, [_failed_entry(raw, err, has_folder=False) for raw, err in found.errors],
            found.duplicate_problems())


def _failed_entry(case_id: str, err: CasebookError, *, has_folder: bool = True) -> dict:
    """A case that gave no result; ``has_folder`` says whether the index may point at OUT/<case_id>/."""
    return {"case_id": case_id, "status": "failed", "out_dir": "", "seconds": 0.0, "error": err.to_dict(),
            "outputs": {}, "summary": {}, "input_hash": "", "pdf_seconds": None, "has_folder": has_folder}


def render_task(inputs: dict, out_root: str, resume: bool, warm_next: bool = False) -> dict:
    """What a worker runs for one case: plain arguments and a plain dict back (picklable for Dask).

    Parameters
    ----------
    inputs : dict
        The case's :class:`~casebook.dossier_inputs.DossierInputs`, as a dict.
    out_root : str
        The batch's output folder.
    resume : bool
        Skip the case when its complete dossier is up to date.
    warm_next : bool
        Start a kernel for this worker's next case now.

    Returns
    -------
    dict
        :meth:`DossierResult.to_dict`; an unusable case gives a ``failed`` entry, never an exception.
    """
    try:
        return render_case(DossierInputs.from_dict(inputs), out_root, resume=resume, warm_next=warm_next).to_dict()
    except CasebookError as err:
        return _failed_entry(Path(inputs.get("case_dir", "")).name, err, has_folder=False)


def save_casebook_hotspots(casebook_dir: Path, out: Path) -> str:
    """Compute the casebook's hot-spot analysis once and save it for the dossiers; "" when there is none.

    A casebook without cases.csv has no analysis; one whose cases.csv cannot be used gives ""
    too, and each dossier's location section then says why.
    """
    if case_table(casebook_dir) is None:
        return ""
    from casebook.casebook_hotspots import analyse_casebook
    from geo.result_io import save_hotspots

    try:
        result = analyse_casebook(casebook_dir)
    except CasebookError:
        return ""
    return str(save_hotspots(result, out / HOTSPOTS))


def save_casebook_links(casebook_dir: Path, out: Path, ocr_engine: str) -> str:
    """Link the casebook once (cached label readings only) and keep each case's view in ``OUT/links``.

    A casebook that cannot be linked gives "" and each dossier's linked section then says why.
    """
    from casebook.cachedir import reading_cache
    from casebook.chains.link_views import LINKS, save_case_views
    from casebook.chains.linkage import link_casebook

    readings = reading_cache(None)
    try:
        linkage = link_casebook(casebook_dir, ocr=False, engine=ocr_engine,
                                cache_dir=readings.folder if readings is not None else "")
    except CasebookError:
        return ""
    return str(save_case_views(linkage, out / LINKS, linkage.result.cases))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _start_worker(threads: int, parent: int) -> None:
    """Worker initializer: die with the driver, and give the kernels a fair share of the cores.

    A worker whose driver was killed must not go on rendering: a rerun would race with it (Linux:
    the parent-death signal; the kernels' guards then take their kernels down in turn). N workers
    each running BLAS with one thread per core oversubscribe the machine (OpenBLAS busy-waits);
    Dask's nanny sets the same variables for its workers.
    """
    from casebook.kernel.kernel_guard import parent_death_signal

    if parent_death_signal(signal.SIGKILL) and os.getppid() != parent:
        os._exit(1)  # the driver ended before the signal was armed
    for name in _THREAD_VARS:
        os.environ.setdefault(name, str(threads))


class _PoolSubmitter:
    def __init__(self, workers: int) -> None:
        # spawn: workers must not inherit the driver's threads (tqdm, Playwright)
        threads = max(1, (os.cpu_count() or 1) // workers)
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker, initargs=(threads, os.getpid()))

    def submit(self, *args):
        return self.pool.submit(render_task, *args)

    def as_completed(self, futures):
        return as_completed(futures)

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskSubmitter:
    def __init__(self, scheduler: str, workers: int) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as err:
            raise MissingDependencyError("Dask distributed is not installed",
                                         hint="pip install 'casebook[distributed]'") from err
        self.cluster = None
        if scheduler == "local":
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(scheduler, timeout="10s")
            except OSError as err:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler}", field="--scheduler",
                                 hint="Start one with 'dask scheduler' and 'dask worker ADDRESS', "
                                 "or use --scheduler local.") from err

    def submit(self, *args):
        return self.client.submit(render_task, *args, pure=False)

    def as_completed(self, futures):
        from dask.distributed import as_completed as dask_completed

        return dask_completed(futures)

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def run_batch(casebook_dir: str | Path, out_dir: str | Path, inputs: DossierInputs | None = None, *,
              workers: int = 2, scheduler: str | None = None, pdf: bool = False, resume: bool = True,
              progress: bool = True) -> BatchReport:
    """Render every case; a failing case is recorded and the rest go on.

    Parameters
    ----------
    casebook_dir, out_dir : path
        The casebook (cases.csv and one folder per case) and the output folder.
    inputs : DossierInputs, optional
        What every case is rendered with (its ``case_dir`` is set per case; the casebook, hot
        spots and links by the batch).
    workers : int
        Cases rendered at once.
    scheduler : str, optional
        A Dask scheduler address, or ``"local"`` for a LocalCluster.
    pdf : bool
        Also print each dossier to PDF (one shared Chromium).
    resume : bool
        Skip cases whose complete (``ok``) dossier is up to date; failed, degraded and unfinished
        cases are rendered again.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    BatchReport

    Raises
    ------
    InputError
        An unusable casebook, or a Dask scheduler that cannot be reached.
    """
    from tqdm import tqdm

    inputs = inputs or DossierInputs()
    started = time.perf_counter()
    book = Path(casebook_dir).resolve()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    dirs, results, problems = _case_listing(book)
    report = BatchReport(str(book), str(out), results, started=_now(), workers=workers, scheduler=scheduler,
                         problems=problems)
    inputs = inputs.with_case("", casebook_dir=str(book), template=str(inputs.template_path()),
                              hotspots=save_casebook_hotspots(book, out) if dirs else "",
                              links=save_casebook_links(book, out, inputs.ocr_engine) if dirs else "")
    with ExitStack() as stack:
        printer = None
        if pdf:
            from casebook.pdf import PdfPrinter

            printer = stack.enter_context(PdfPrinter())
        bar = stack.enter_context(tqdm(total=len(dirs), desc="dossiers", unit="case", disable=not progress,
                                       file=sys.stderr))
        pending, width, attempt = dirs, workers, 0
        while pending:
            submitter = _DaskSubmitter(scheduler, width) if scheduler else _PoolSubmitter(width)
            try:
                # each worker warms a kernel for its next case, except on its last one
                futures = {submitter.submit(inputs.with_case(d).to_dict(), str(out), resume,
                                            scheduler is None and i < len(pending) - width): d
                           for i, d in enumerate(pending)}
                broken: list[Path] = []
                for future in submitter.as_completed(list(futures)):
                    try:
                        item = future.result()
                    except BrokenProcessPool:
                        broken.append(futures[future])  # a worker died: every unfinished case lands here
                        continue
                    except Exception as err:  # the task itself could not run (Dask: the worker was lost)
                        item = _worker_lost(futures[future].name, err)
                    item = _finish_case(item, printer)
                    results.append(item)
                    bar.set_postfix_str(f"{item['case_id']} {item['status']}")
                    bar.update(1)
            finally:
                submitter.close()
            pending, width, culprit = _after_break(pending, broken, width, attempt)
            attempt += 1
            if culprit is not None:
                lost = BrokenProcessPool("its worker died each time it was rendered")
                item = _finish_case(_worker_lost(culprit.name, lost), printer)
                results.append(item)
                bar.update(1)
    report.finished = _now()
    report.seconds = time.perf_counter() - started
    write_index(out, report.results, lang=inputs.lang)
    write_text_atomic(out / "batch-report.json",
                      json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    return report


def _worker_lost(case_id: str, err: BaseException) -> dict:
    return _failed_entry(case_id, CasebookError(
        f"the worker rendering this case stopped ({type(err).__name__}: {err})",
        hint="Render the case alone with 'casebook dossier run' to see why."))


def _after_break(pending: list[Path], broken: list[Path], width: int, attempt: int
                 ) -> tuple[list[Path], int, Path | None]:
    """What to render next after a round in which a worker died, how wide, and the case to blame.

    A dead worker (killed, out of memory) breaks the whole pool: every case not yet finished fails
    with it, innocent or not. They are rendered again in a fresh pool. If a pool breaks again, the
    cases go one at a time; then the first unfinished case is the one that killed its worker, and
    only it fails.
    """
    order = sorted(broken, key=pending.index)
    if not order:
        return [], width, None
    if attempt == 0:
        return order, width, None
    if width > 1:
        return order, 1, None
    return order[1:], 1, order[0]


def _finish_case(item: dict, printer) -> dict:
    """The end of one case's render (:func:`casebook.dossier.finish_case`), kept as a plain dict."""
    item.setdefault("has_folder", True)
    if not item.get("out_dir") or not item.get("summary"):
        return item  # unusable case: nothing of it was written
    result = finish_case(_as_result(item), printer)
    return {**result.to_dict(), "has_folder": item["has_folder"]}


def _as_result(item: dict) -> DossierResult:
    known = set(DossierResult.__dataclass_fields__)
    return DossierResult(**{k: v for k, v in item.items() if k in known})
