"""geo: where cases happen - loading, coordinate systems, settings, hot spots, clusters, maps.

A library: it returns data (GeoDataFrames, dataclasses) and knows nothing of notebooks or the CLI.
"""

from geo.cases import CaseTable, load_cases
from geo.hotspots import HotspotResult, hotspots
from geo.settlement import Rings

__all__ = ["CaseTable", "HotspotResult", "Rings", "hotspots", "load_cases"]
