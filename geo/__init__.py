"""geo: where cases happen - loading, coordinate systems, settings, hot spots, clusters, maps.

A library: it returns data (GeoDataFrames, dataclasses) and knows nothing of notebooks or the CLI.
Entry points: ``load_cases``, ``hotspots``, ``map`` (folium), ``maps.offline_html``,
``maps.notebook_view``, ``case_context`` (dossiers), and the display tables in :mod:`geo.tables`.
"""

from geo import maps, static, tables
from geo.cases import CaseTable, load_cases
from geo.context import CaseContext, case_context
from geo.hotspots import HotspotResult, hotspots, write_summary
from geo.maps import map  # the public name the notebooks call: geo.map(...)
from geo.settlement import Rings
from geo.tables import categories, filter_cases, months

__all__ = ["CaseContext", "CaseTable", "HotspotResult", "Rings", "case_context", "categories", "filter_cases",
           "hotspots", "load_cases", "map", "maps", "months", "static", "tables", "write_summary"]
