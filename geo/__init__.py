"""geo: where cases happen - loading, coordinate systems, settings, hot spots, clusters, maps.

A library: it returns data (GeoDataFrames, dataclasses) and knows nothing of notebooks or the CLI.
Entry points: ``load_cases``, ``find_hotspots`` (chunked reading; ``scheduler=`` for Dask),
``hotspot_map`` (folium), ``hotspot_maps.offline_html``, ``hotspot_maps.notebook_view``, ``case_context`` (dossiers),
the data tables in :mod:`geo.brief_tables`, and :mod:`geo.result_io` to save an analysis once and load
it in every dossier (GeoParquet + JSON). Maps and pictures take their words as a
:class:`geo.map_labels.MapLabels` (default: the codes); the application's tables and words for people
are ``casebook.hotspot_display`` and ``casebook.words``.
"""

from geo import brief_tables, counties, hotspot_maps, map_labels, static
from geo.brief_tables import categories, filter_cases, months
from geo.cases import CaseTable, load_cases
from geo.context import CaseContext, case_context
from geo.hotspot_maps import hotspot_map
from geo.hotspots import HotspotResult, find_hotspots, write_hotspot_summary
from geo.settlement import Rings

__all__ = [
           "CaseContext",
           "CaseTable",
           "HotspotResult",
           "Rings",
           "brief_tables",
           "case_context",
           "categories",
           "counties",
           "filter_cases",
           "find_hotspots",
           "hotspot_map",
           "hotspot_maps",
           "load_cases",
           "map_labels",
           "months",
           "static",
           "write_hotspot_summary",
]
