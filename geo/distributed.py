"""The case aggregation on a Dask cluster: one task per part of a partitioned Parquet or CSV table.

Each worker scans its part into compact arrays and keeps them (a Dask future), returns the small
first-pass summary (distinct places, period, sample, rejected rows), and later counts its cases
into the driver's plan (:func:`geo.aggregate.aggregate`).  The driver adds the partial counts and
runs the same statistics as the single-machine path, so both give the same z-scores.
"""

from __future__ import annotations

from functools import reduce
from pathlib import Path

import numpy as np
import pandas as pd

from geo.aggregate import Partial, Places, Plan, Survey, aggregate, survey
from geo.case_scan import CaseScan, scan_cases
from geo.reader import table_parts
from safeio.errors import InputError, MissingDependencyError

__all__ = ["DaskRun", "connect", "survey_and_aggregate"]


def connect(scheduler: str, workers: int = 2):
    """A Dask client: ``"local"`` starts a LocalCluster of ``workers`` processes; else an address.

    Returns
    -------
    (client, cluster or None)

    Raises
    ------
    MissingDependencyError
        dask.distributed is not installed.
    InputError
        The scheduler cannot be reached.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise MissingDependencyError("Dask distributed is not installed",
                                     hint="pip install 'casebook[distributed]'") from err
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="10s"), None
    except OSError as err:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}", field="--scheduler",
                         hint="Start one with 'dask scheduler' and 'dask worker ADDRESS', or use --scheduler local.") from err


def _scan_part(path: str, coord_sys, sample_size: int) -> CaseScan:
    return scan_cases(path, coord_sys=coord_sys, sample_size=sample_size)


def _survey_part(scan: CaseScan) -> Survey:
    return survey(scan)


class DaskRun:
    """Counts the kept scans into a plan on the workers; ``close()`` releases them (and a local cluster)."""

    def __init__(self, client, cluster, scans) -> None:
        self.client, self.cluster, self.scans = client, cluster, scans

    def __call__(self, plan: Plan) -> Partial:
        plan_future = self.client.scatter(plan, broadcast=True)
        partials = self.client.gather([self.client.submit(aggregate, s, plan_future) for s in self.scans])
        return reduce(lambda a, b: a + b, partials)

    def close(self) -> None:
        self.scans = []
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def survey_and_aggregate(cases, scheduler: str, *, coord_sys=None, sample_size: int = 50_000, workers: int = 2):
    """Scan every part on the cluster; return the merged first pass and a :class:`DaskRun` for the plan.

    Parameters
    ----------
    cases : str or Path
        A Parquet or CSV file, or a folder of parts (one task each).
    scheduler : str
        ``"local"`` or the address of a Dask scheduler (the workers must see the same paths).
    coord_sys : str, optional
        The coordinate system of the whole table.
    sample_size : int
        Case rows kept for maps and dossiers.
    workers : int
        Workers of a local cluster.

    Returns
    -------
    (Survey, DaskRun)
    """
    if isinstance(cases, pd.DataFrame):
        raise InputError("the Dask path reads files: give the path of a Parquet/CSV table or folder.",
                         field="--scheduler", hint="Write the table as Parquet parts, or leave out --scheduler.")
    parts = [str(p.resolve()) for p in table_parts(Path(cases))]
    client, cluster = connect(scheduler, workers)
    try:
        scans = [client.submit(_scan_part, p, coord_sys, sample_size, pure=False) for p in parts]
        firsts = client.gather([client.submit(_survey_part, s) for s in scans])
    except Exception:
        client.close()
        if cluster is not None:
            cluster.close()
        raise
    places = reduce(lambda a, b: a + b, [f.places for f in firsts], Places(np.empty(0, np.int64), np.empty(0, np.int64)))
    starts = [f.start for f in firsts if f.start is not None]
    ends = [f.end for f in firsts if f.end is not None]
    sample = pd.concat([f.sample for f in firsts if len(f.sample)], ignore_index=True) if any(
        len(f.sample) for f in firsts) else firsts[0].sample
    if len(sample) > sample_size:
        sample = sample.sample(sample_size, random_state=0).sort_values("row", kind="stable")
    rejected = pd.concat([f.rejected for f in firsts if len(f.rejected)], ignore_index=True) if any(
        len(f.rejected) for f in firsts) else firsts[0].rejected
    warnings = list(dict.fromkeys(w for f in firsts for w in f.warnings))
    first = Survey(places=places, n=sum(f.n for f in firsts), start=min(starts) if starts else None,
                   end=max(ends) if ends else None, has_dates=any(f.has_dates for f in firsts), sample=sample,
                   rejected=rejected, warnings=warnings, source=str(cases))
    return first, DaskRun(client, cluster, scans)
