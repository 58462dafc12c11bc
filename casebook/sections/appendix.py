"""6 附录: tool versions, template digest, parameters, manifest root and the time of rendering."""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import fields
from datetime import UTC, datetime

from casebook import __version__
from casebook.dossier_html import Html, key_values, section
from evidence.integrity.electronic_data_list import shanghai_time

__all__ = ["render"]


def shown_inputs(inputs) -> dict:
    """The inputs a reader of the dossier is shown: those that count by value (not derived data,
    caches or limits; the template is named with its digest on its own line)."""
    return {f.name: getattr(inputs, f.name) for f in fields(inputs)
            if f.metadata["digest"] in ("value", "file", "folder", "casebook")}


def render(d) -> Html:
    """What made this dossier: tool versions, the template and its digest, inputs, manifest root, time."""
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:  # metadata, not import: importing nbconvert in the kernel costs ~2 s
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    t = d.t
    now = datetime.now(UTC).replace(microsecond=0)
    d.summary["rendered_at"] = now.isoformat().replace("+00:00", "Z")
    versions = "; ".join([f"casebook {__version__}", *(f"{n} {v(n)}" for n in (
        "papermill", "nbconvert", "pandas", "geopandas", "esda", "rapidocr", "folium")),
        f"Python {platform.python_version()}"])
    template = ""
    if d.template and d.template.is_file():
        digest = hashlib.sha256(d.template.read_bytes()).hexdigest()
        template = f"{d.template.name} (SHA-256 {digest})"
    pairs = [
        (t["tool"], versions), (t["template"], template),
        (t["parameters"], json.dumps(shown_inputs(d.inputs), ensure_ascii=False, sort_keys=True)),
        (t["manifest_root"], d.summary.get("manifest_root") or "-"),
        (t["rendered"], f"{now.isoformat().replace('+00:00', 'Z')} (UTC) / "
                        f"{shanghai_time(now.isoformat())} (Asia/Shanghai)"),
    ]
    d.summary["sections"]["appendix"] = "ok"
    return section("appendix", t["appendix"], key_values(pairs))
