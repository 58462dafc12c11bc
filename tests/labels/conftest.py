"""Fixtures for label reading: a few real rendered label photos, made once per session."""

from __future__ import annotations

import random
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rendered_labels(tmp_path_factory) -> list[tuple[Path, object]]:
    """Four label photos drawn and degraded by the sample casebook's own renderer, with their truth."""
    from casebook.sample.sample_labels import compose_label, draw_label

    folder = tmp_path_factory.mktemp("labels")
    rng = random.Random(7)
    out = []
    for k, (kind, problem) in enumerate([("food", "brand_lookalike"), ("food", None),
                                          ("appliance", "missing_ccc"), ("food", "bad_barcode_checksum")]):
        spec = compose_label(rng, kind, problem, "2024-03-15")
        path = folder / f"label_{k}.jpg"
        path.write_bytes(draw_label(spec, rng))
        out.append((path, spec.truth(path.name, "T-1")))
    return out


@pytest.fixture(scope="session")
def realdata() -> Path:
    """The shared real photos: ../shared beside the checkout (as in CI), or $CASEBOOK_SHARED."""
    import os

    for base in (Path(__file__).resolve().parents[3] / "shared", Path(os.environ.get("CASEBOOK_SHARED", "/nonexistent"))):
        if (base / "realdata" / "ocr").is_dir():
            return base / "realdata" / "ocr"
    pytest.skip("../shared/realdata/ocr is not beside this checkout (set CASEBOOK_SHARED to its folder)")
