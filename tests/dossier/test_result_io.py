"""The casebook's hot-spot analysis, saved once by a batch and loaded by every dossier."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geo
from geo.result_io import load_hotspots, save_hotspots
from safeio.errors import InputError


@pytest.fixture(scope="session")
def result():
    """A casebook of about 1,200 cases with clusters (whose cells hold lists and dicts)."""
    from tests.support.geo_synthetic import synthetic_casebook

    book = synthetic_casebook(1)
    found = geo.find_hotspots(book.cases, book.baseline)
    assert len(found.clusters) and isinstance(found.clusters.settings.iloc[0], dict)
    return found


def _same(a, b) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            pd.testing.assert_frame_equal(x, y)
        elif hasattr(x, "toarray"):
            assert (x != y).nnz == 0
        elif dataclasses.is_dataclass(x):
            _same(x, y)
        elif isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y)
        else:
            assert x == y, f.name


def test_round_trip_gives_the_same_context_and_map(result, tmp_path):
    loaded = load_hotspots(save_hotspots(result, tmp_path / "hotspots"))
    _same(result, loaded)
    lon, lat = float(result.cases.lon.iloc[0]), float(result.cases.lat.iloc[0])
    here, there = geo.case_context(result, lon, lat, "x"), geo.case_context(loaded, lon, lat, "x")
    assert here.to_dict() == there.to_dict() and here.static_map_png == there.static_map_png
    assert not list(tmp_path.glob(".*"))  # no temp folder left
    assert not list((tmp_path / "hotspots").glob("*.pkl"))


def test_saving_again_replaces_the_folder_whole(result, tmp_path):
    folder = save_hotspots(result, tmp_path / "hotspots")
    (folder / "stale.parquet").write_bytes(b"x")
    save_hotspots(result, folder)
    assert not (folder / "stale.parquet").exists() and load_hotspots(folder).summary == result.summary


def test_a_crafted_folder_is_refused(result, tmp_path):
    folder = save_hotspots(result, tmp_path / "hotspots")
    index = json.loads((folder / "result.json").read_text(encoding="utf-8"))
    for change, words in ((lambda i: i["result"]["fields"]["cells"].update(geoparquet="../../etc/passwd"), "may not"),
                          (lambda i: i["result"].update(dataclass="Popen"), "unknown type"),
                          (lambda i: i.update(format="pickle"), "no hot-spot analysis")):
        crafted = json.loads(json.dumps(index))
        change(crafted)
        (folder / "result.json").write_text(json.dumps(crafted), encoding="utf-8")
        with pytest.raises(InputError, match=words):
            load_hotspots(folder)
    with pytest.raises(InputError, match="no readable"):
        load_hotspots(tmp_path / "nowhere")


@pytest.fixture(scope="session")
def small_result(source_book):
    return geo.find_hotspots(geo.load_cases(source_book / "cases.csv"), source_book / "baseline.csv")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=st.dictionaries(st.text(max_size=10), json_values, max_size=5),
       isa=st.lists(st.tuples(st.floats(allow_nan=False), st.floats(allow_nan=False), st.floats(allow_nan=False)),
                    max_size=5),
       notes=st.lists(st.text(max_size=30), min_size=1, max_size=1),
       tags=st.lists(st.text(max_size=5), max_size=3))
def test_any_plain_values_and_text_survive(small_result, summary, isa, notes, tags):
    cells = small_result.cells.assign(note=notes[0], tags=[list(tags)] * len(small_result.cells))
    changed = dataclasses.replace(small_result, summary=summary, isa=isa, cells=cells)
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_hotspots(save_hotspots(changed, Path(tmp) / "h"))
    assert loaded.summary == summary and loaded.isa == isa
    assert list(loaded.cells.note) == list(cells.note)
    assert all(isinstance(v, list) and v == tags for v in loaded.cells.tags)  # lists stay lists
