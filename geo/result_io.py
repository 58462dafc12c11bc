"""Save a hot-spot analysis once, load it in every dossier: GeoParquet and JSON, never pickle.

A batch computes the casebook's :class:`~geo.hotspots.HotspotResult` once and hands it to each
dossier kernel as a folder::

    hotspots/
      result.json      the structure: plain values, and which file holds each table or array
      cells.parquet    GeoParquet (geometry as WKB, CRS kept), one file per (Geo)DataFrame
      weights.npz      sparse matrices (scipy's format, read without pickle)
      *.npy            numpy arrays (read with ``allow_pickle=False``)

Loading rebuilds only the classes listed in :data:`KNOWN` - a name in ``result.json`` is looked up
there, never imported - so a crafted folder cannot run code. The layout follows the dataclass
fields, so a field added to ``HotspotResult`` is saved without changes here as long as it holds
tables, arrays, plain values or one of the known classes.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

from geo.cases import CaseTable
from geo.cells import Coverage
from geo.hotspots import HotspotResult
from geo.projection import LocalProjection
from geo.settlement import Rings
from safeio.errors import InputError

__all__ = ["FORMAT", "KNOWN", "load_hotspots", "save_hotspots"]

FORMAT = "casebook-hotspots/1"
KNOWN = {cls.__name__: cls for cls in (HotspotResult, CaseTable, Coverage, LocalProjection, Rings)}
_INDEX = "result.json"


def save_hotspots(result: HotspotResult, folder: str | os.PathLike) -> Path:
    """Write ``result`` into ``folder`` (replaced whole: a reader never sees half a result).

    Parameters
    ----------
    result : HotspotResult
        The analysis of :func:`geo.find_hotspots`.
    folder : path
        The folder to write; an existing one is replaced.

    Returns
    -------
    Path
        The folder.
    """
    target = Path(folder).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        names: set[str] = set()
        tree = _encode(result, work, "result", names)
        (work / _INDEX).write_text(json.dumps({"format": FORMAT, "result": tree}, ensure_ascii=False),
                                   encoding="utf-8")
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(work, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def load_hotspots(folder: str | os.PathLike) -> HotspotResult:
    """Read a result written by :func:`save_hotspots`.

    Parameters
    ----------
    folder : path
        The folder :func:`save_hotspots` wrote.

    Returns
    -------
    HotspotResult

    Raises
    ------
    InputError
        The folder is missing, of another format, or names a file or class it may not.
    """
    root = Path(folder).resolve()
    try:
        index = json.loads((root / _INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as err:
        raise InputError(f"no readable hot-spot analysis here ({err})", path=root / _INDEX,
                         hint="Let the batch write it again (it is recomputed from cases.csv).") from err
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise InputError("this folder holds no hot-spot analysis of this version", path=root / _INDEX,
                         hint="Let the batch write it again (it is recomputed from cases.csv).")
    result = _decode(index["result"], root)
    if not isinstance(result, HotspotResult):
        raise InputError("the saved analysis is not a hot-spot result", path=root / _INDEX)
    return result


def _file(names: set[str], stem: str, suffix: str) -> str:
    name = f"{stem}{suffix}"
    count = 1
    while name in names:
        count += 1
        name = f"{stem}-{count}{suffix}"
    names.add(name)
    return name


def _encode(value, work: Path, stem: str, names: set[str]):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, pd.DataFrame):
        name = _file(names, stem, ".parquet")
        frame, nested = _nested_as_json(value)
        frame.to_parquet(work / name)
        return {"geoparquet" if isinstance(value, gpd.GeoDataFrame) else "parquet": name, "json_columns": nested}
    if sparse.issparse(value):
        name = _file(names, stem, ".npz")
        sparse.save_npz(work / name, sparse.csr_matrix(value))
        return {"sparse": name}
    if isinstance(value, np.ndarray):
        name = _file(names, stem, ".npy")
        is_object = value.dtype.kind == "O"
        np.save(work / name, value.astype(str) if is_object else value, allow_pickle=False)
        return {"array": name, "object": is_object}
    if dataclasses.is_dataclass(value) and type(value).__name__ in KNOWN:
        fields = {f.name: _encode(getattr(value, f.name), work, f"{stem}.{f.name}" if stem != "result" else f.name,
                                  names) for f in dataclasses.fields(value)}
        return {"dataclass": type(value).__name__, "fields": fields}
    if isinstance(value, tuple):
        return {"tuple": [_encode(v, work, stem, names) for v in value]}
    if isinstance(value, list):
        return {"list": [_encode(v, work, stem, names) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _encode(v, work, f"{stem}.{k}", names) for k, v in value.items()}}
    raise TypeError(f"cannot save a {type(value).__name__} in a hot-spot result ({stem})")


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot save a {type(value).__name__} inside a table cell")


def _nested_as_json(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Columns of lists or dicts as JSON text: Parquet would give lists back as arrays and merge the
    keys of dicts into structs, so ``{'rural': 5}`` would come back as ``{'rural': 5.0, 'urban': None}``."""
    nested = [str(c) for c in frame.columns
              if frame[c].dtype == object and frame[c].map(lambda v: isinstance(v, list | tuple | dict | np.ndarray)).any()]
    if not nested:
        return frame, []
    frame = frame.copy()
    for column in nested:
        frame[column] = frame[column].map(
            lambda v: v if v is None or (isinstance(v, float) and np.isnan(v))
            else json.dumps(v, ensure_ascii=False, default=_plain))
    return frame, nested


def _json_back(frame: pd.DataFrame, nested: list[str]) -> pd.DataFrame:
    for column in nested:
        if column not in frame.columns:
            raise InputError(f"the saved analysis has no column {column!r}", field=column)
        frame[column] = frame[column].map(lambda v: json.loads(v) if isinstance(v, str) else v).astype(object)
    return frame


def _path(root: Path, name) -> Path:
    path = (root / str(name)).resolve()
    if path.parent != root or not path.is_file():
        raise InputError(f"the saved analysis names a file it may not: {name!r}", path=root / _INDEX)
    return path


def _decode(node, root: Path):
    if not isinstance(node, dict):
        return node
    if "geoparquet" in node:
        return _json_back(gpd.read_parquet(_path(root, node["geoparquet"])), node.get("json_columns", []))
    if "parquet" in node:
        return _json_back(pd.read_parquet(_path(root, node["parquet"])), node.get("json_columns", []))
    if "sparse" in node:
        return sparse.load_npz(_path(root, node["sparse"])).tocsr()
    if "array" in node:
        array = np.load(_path(root, node["array"]), allow_pickle=False)
        return array.astype(object) if node.get("object") else array
    if "dataclass" in node:
        cls = KNOWN.get(node["dataclass"])
        if cls is None:
            raise InputError(f"the saved analysis names an unknown type {node['dataclass']!r}", path=root / _INDEX)
        return cls(**{k: _decode(v, root) for k, v in node["fields"].items()})
    if "tuple" in node:
        return tuple(_decode(v, root) for v in node["tuple"])
    if "list" in node:
        return [_decode(v, root) for v in node["list"]]
    if "dict" in node:
        return {k: _decode(v, root) for k, v in node["dict"].items()}
    raise InputError("the saved analysis holds an entry of no known kind", path=root / _INDEX)
