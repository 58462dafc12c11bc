"""Executed notebook -> one self-contained HTML file: no input cells, no CDN, prints well on A4.

nbconvert's ``lab`` template links require.js, MathJax, mermaid and the widget manager from CDNs
(unreachable offline and, for jsDelivr, in mainland China). We extend it and drop those blocks; the
dossier needs none of them (no LaTeX, no widgets). Its CSS is already inlined by nbconvert.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import DictLoader

from safeio.atomic import write_text_atomic

__all__ = ["OFFLINE_CSP", "html_exporter", "notebook_to_html"]

_TEMPLATE_NAME = "casebook_offline.html.j2"
# The print rules let one HTML serve the screen (interactive map) and the PDF (static map).
_TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
{%- if resources.casebook_csp %}
<meta http-equiv="Content-Security-Policy" content="{{ resources.casebook_csp }}">
{%- endif %}
<style type="text/css">
:root, body, .jp-Notebook, .jp-RenderedHTMLCommon {
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
               "WenQuanYi Micro Hei", sans-serif;
}
.cb-print-only { display: none; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  .cb-screen-only { display: none !important; }
  .cb-print-only { display: block !important; }
  .jp-OutputArea-child { break-inside: auto !important; }  /* long sections may span pages */
  .cb-section { break-inside: auto; }
  .cb-section h2, .cb-section h3 { break-after: avoid; }
  table { break-inside: auto; }
  tr { break-inside: avoid; }
  .jp-Cell { padding: 0 !important; }
}
</style>
{% endblock extra_css %}
"""


def html_exporter():
    """An nbconvert HTMLExporter that hides code and references nothing outside the file."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": ["remove_cell"]}})
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
    )
    exporter.template_file = _TEMPLATE_NAME
    return exporter


# Belt and braces for offline pages: even a reference that slipped through cannot reach the network.
OFFLINE_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
               "font-src data:; frame-src data: about:; child-src data: about:")


def notebook_to_html(notebook: str | Path, html: str | Path, *, title: str | None = None,
                     allow_network: bool = False) -> Path:
    """Write the HTML form of an executed notebook atomically: no code, nothing fetched from outside.

    Parameters
    ----------
    notebook, html : path
        The executed notebook and the HTML file to write.
    title : str, optional
        The page title.
    allow_network : bool
        Drop the Content-Security-Policy, for maps with an online basemap.

    Returns
    -------
    Path
        The HTML file.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    if title:
        nb.metadata["title"] = title
    resources = {"casebook_csp": "" if allow_network else OFFLINE_CSP}
    body, _ = html_exporter().from_notebook_node(nb, resources=resources)
    return write_text_atomic(html, body)


