"""The words people read, kept at the edge: one module per presenting layer, each with its languages.

- :mod:`casebook.words.map_words`: hot-spot maps, pictures, tables and the brief
  (handed to geo as :class:`geo.map_labels.MapLabels`).
- :mod:`casebook.words.chart_words`: the linked-case chart (handed to :mod:`links.chart`).
- :mod:`casebook.words.finding_words`: the findings' messages (labels, listings, CCC certificates,
  claims), made from each finding's code and values wherever findings are shown.

The dossier's words are in :mod:`casebook.sections.dossier_words`, the index's in
:mod:`casebook.index`; the command line speaks English.
"""
