"""geo.leads: 12315 complaints and reports as a layer of their own - placed on counties, counted, mapped.

A library like the rest of geo: it takes a table of leads (read by the application, see
docs/architecture.md), returns tables with codes, and knows nothing of notebooks or the CLI.

- :mod:`geo.leads.complaint_places`: each lead's county from its address (cpca and the county
  index, offline), and a point where the export gives one;
- :mod:`geo.leads.complaint_counts`: complaints per county, per 10,000 businesses, Gi* hot
  counties, and counties with many complaints and no case;
- :mod:`geo.leads.complaint_layer`: the layer on the folium hot-spot map.
"""

from geo.leads.complaint_counts import ComplaintSummary, summarise_complaints
from geo.leads.complaint_places import place_complaints

__all__ = ["ComplaintSummary", "place_complaints", "summarise_complaints"]
