"""casebook.inspection: 双随机、一公开 - a reproducible random draw of businesses and inspectors, and the public results.

:mod:`~casebook.inspection.draw_inputs` reads the businesses, the inspectors and the hot-spot
summary; :mod:`~casebook.inspection.random_draw` draws and pairs (method in its docstring and in
docs/domain.md); :mod:`~casebook.inspection.inspection_results` writes the draw and the
抽查结果公示 table.
"""
