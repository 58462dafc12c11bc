"""geo: where cases happen - loading, coordinate systems, settings, hot spots, clusters, maps.

A library: it returns data (GeoDataFrames, dataclasses) and knows nothing of notebooks or the CLI.
Entry points: ``load_cases``, ``find_hotspots`` (chunked reading; ``scheduler=`` for Dask),
``hotspot_map`` (folium), ``maps.offline_html``, ``maps.notebook_view``, ``case_context`` (dossiers),
the data tables in :mod:`geo.tables` and their Chinese/English display in :mod:`geo.display`, and
:mod:`geo.result_io` to save an analysis once and load it in every dossier (GeoParquet + JSON).
"""

from geo import counties, display, i18n, maps, static, tables
from geo.cases import CaseTable, load_cases
from geo.context import CaseContext, case_context
from geo.hotspots import HotspotResult, find_hotspots, write_hotspot_summary
from geo.maps import hotspot_map
from geo.settlement import Rings
from geo.tables import categories, filter_cases, months

__all__ = ["CaseContext", "CaseTable", "HotspotResult", "Rings", "case_context", "categories", "counties", "display",
           "filter_cases", "find_hotspots", "hotspot_map", "i18n", "load_cases", "maps", "months", "static", "tables",
           "write_hotspot_summary"]
