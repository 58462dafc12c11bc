"""Dossiers for every case of a casebook: in parallel, failures isolated, resumable, with an index.

Each case runs in its own worker process (papermill's ``chdir`` is process-wide) with a fresh
kernel; the driver prints PDFs with one shared Chromium as results come in, writes
``OUT/index.html`` and ``OUT/batch-report.json``. With ``scheduler`` the cases go to a Dask
distributed cluster (``"local"`` starts a LocalCluster); the output folder must then be shared.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casebook.case import scan_casebook
from casebook.dossier import DossierOptions, DossierResult, add_pdf, render_html
from casebook.index import write_index
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError, InputError, MissingDependencyError


@dataclass
class BatchReport:
    casebook: str
    out: str
    results: list[dict] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    seconds: float = 0.0
    workers: int = 1
    scheduler: str | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)

    @property
    def failed(self) -> int:
        return self.count("failed")

    def to_dict(self) -> dict:
        return {
            "casebook": self.casebook, "out": self.out, "started": self.started, "finished": self.finished,
            "seconds": round(self.seconds, 3), "workers": self.workers, "scheduler": self.scheduler,
            "cases": len(self.results), "ok": self.count("ok"), "skipped": self.count("skipped"),
            "failed": self.failed,
            "failures": [{"case_id": r["case_id"], "error": r["error"]} for r in self.results
                         if r["status"] == "failed"],
            "results": self.results,
        }


def list_case_dirs(casebook_dir: str | Path) -> tuple[list[Path], list[dict]]:
    """The case folders to render, and a failed entry for each row whose id is unusable."""
    dirs, errors = scan_casebook(casebook_dir)
    return dirs, [_failed_entry(raw, err, linkable=False) for raw, err in errors]


def _failed_entry(case_id: str, err: CasebookError, *, linkable: bool = True) -> dict:
    return {"case_id": case_id, "status": "failed", "out_dir": "", "seconds": 0.0, "error": err.to_dict(),
            "outputs": {}, "summary": {}, "input_hash": "", "pdf_seconds": None, "linkable": linkable}


def render_task(case_dir: str, out_root: str, options: dict, casebook_dir: str, resume: bool) -> dict:
    """What a worker runs for one case: plain arguments and a plain dict back (picklable for Dask)."""
    try:
        result = render_html(case_dir, out_root, DossierOptions(**options), casebook_dir=casebook_dir,
                             resume=resume)
        return result.to_dict()
    except CasebookError as err:
        return _failed_entry(Path(case_dir).name, err, linkable=False)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _share_cores(threads: int) -> None:
    """Worker initializer: the kernels it starts inherit a fair share of the cores.

    N workers each running BLAS with one thread per core oversubscribe the machine (OpenBLAS
    busy-waits); Dask's nanny sets the same variables for its workers.
    """
    for name in _THREAD_VARS:
        os.environ.setdefault(name, str(threads))


class _PoolSubmitter:
    def __init__(self, workers: int) -> None:
        # spawn: workers must not inherit the driver's threads (tqdm, Playwright)
        threads = max(1, (os.cpu_count() or 1) // workers)
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_share_cores, initargs=(threads,))

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


def run_batch(casebook_dir: str | Path, out_dir: str | Path, options: DossierOptions | None = None, *,
              workers: int = 2, scheduler: str | None = None, pdf: bool = False, resume: bool = True,
              progress: bool = True) -> BatchReport:
    """Render every case; a failing case is recorded and the rest go on. Returns the batch report."""
    from tqdm import tqdm

    options = options or DossierOptions()
    started = time.perf_counter()
    book = Path(casebook_dir).resolve()
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    dirs, results = list_case_dirs(book)
    report = BatchReport(str(book), str(out), results, started=_now(), workers=workers, scheduler=scheduler)
    opts = {"lang": options.lang, "basemap": options.basemap, "ocr_engine": options.ocr_engine,
            "cell_timeout": options.cell_timeout, "template": str(options.template_path())}
    with ExitStack() as stack:
        printer = None
        if pdf:
            from casebook.pdf import PdfPrinter

            printer = stack.enter_context(PdfPrinter())
        submitter = _DaskSubmitter(scheduler, workers) if scheduler else _PoolSubmitter(workers)
        stack.callback(submitter.close)
        futures = {submitter.submit(str(d), str(out), opts, str(book), resume): d for d in dirs}
        bar = stack.enter_context(tqdm(total=len(dirs), desc="dossiers", unit="case", disable=not progress,
                                       file=sys.stderr))
        for future in submitter.as_completed(list(futures)):
            try:
                item = future.result()
            except Exception as err:  # the worker itself died (killed, out of memory): this case only
                item = _failed_entry(futures[future].name, CasebookError(f"the worker stopped: {err!r}"))
            if printer is not None and item["status"] in ("ok", "skipped"):
                try:
                    item = add_pdf(_as_result(item), printer).to_dict()
                except Exception as err:  # a PDF that cannot be printed fails this case, not the batch
                    item["status"] = "failed"
                    item["error"] = {"cell": None, "ename": "PdfError", "evalue": str(err)[:1000]}
            item.setdefault("linkable", True)
            results.append(item)
            bar.set_postfix_str(f"{item['case_id']} {item['status']}")
            bar.update(1)
    report.finished = _now()
    report.seconds = time.perf_counter() - started
    write_index(out, report.results, lang=options.lang)
    write_text_atomic(out / "batch-report.json",
                      json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str))
    return report


def _as_result(item: dict) -> DossierResult:
    known = set(DossierResult.__dataclass_fields__)
    return DossierResult(**{k: v for k, v in item.items() if k in known})
