"""geo: where cases happen.

Case tables and Chinese coordinate systems, urban / peri-urban / rural settings, Getis-Ord Gi*
hot spots on H3 cells, point clusters, trends, and offline folium maps.  A library: it returns
data and knows nothing of notebooks or the command line.
"""
