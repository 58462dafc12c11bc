"""The dossier's HTML fragments, from the macros of ``casebook/templates/dossier_parts.html``.

Case data and OCR text are untrusted; pandas' ``Styler`` does not escape by default and markdown
outputs pass raw HTML through nbconvert, so the dossier writes its own ``text/html``, through the
application's one jinja2 environment (:mod:`casebook.html_pages`, autoescape on).  Each function
returns the fragment as a plain ``str``; a fragment handed back in (a section's body, a map) is
taken as markup, everything else as text.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence

from markupsafe import Markup

from casebook.html_pages import template

__all__ = ["STYLE", "SUMMARY_MIME", "Html", "cover_page", "error_box", "frame_table", "heading", "key_values",
           "labelled", "lookalike_pair", "map_views", "note", "paragraph", "photo_block", "plain_cell", "png_img",
           "review_block", "section", "split_hex", "table"]

# The MIME type of the dossier's summary inside the executed notebook (read by casebook.dossier).
SUMMARY_MIME = "application/vnd.casebook.summary+json"

STYLE = """
<style>
.cb-section { margin: 0 0 1.2em 0; font-size: 13px; line-height: 1.55; }
.cb-section h2 { font-size: 18px; border-bottom: 2px solid #8b0000; padding-bottom: 3px; margin: 0.6em 0 0.5em; }
.cb-section h3 { font-size: 15px; margin: 0.8em 0 0.3em; }
.cb-cover { border: 3px double #333; padding: 18px 24px; margin-bottom: 1.5em; }
.cb-cover h1 { text-align: center; font-size: 24px; letter-spacing: 0.3em; margin: 0.2em 0 0.8em; }
.cb-section table.cb-kv, .cb-section table.cb-table { border-collapse: collapse; width: 100%;
  table-layout: auto !important; margin: 0.3em 0 0.8em !important; }
.cb-section table.cb-kv th, .cb-section table.cb-kv td, .cb-section table.cb-table th,
.cb-section table.cb-table td { text-align: left !important; vertical-align: top !important;
  white-space: pre-wrap !important; overflow-wrap: anywhere; line-height: 1.45 !important; }
.cb-section table.cb-kv th { width: 10em; color: #444; font-weight: 600; padding: 3px 6px !important; }
.cb-section table.cb-kv td { padding: 3px 6px !important; }
.cb-section table.cb-table { font-size: 11px; }
.cb-section table.cb-table th, .cb-section table.cb-table td { border: 1px solid #bbb !important;
  padding: 2px 4px !important; }
.cb-section table.cb-table th { background: #f1f1f1; white-space: nowrap !important; }
.cb-section table.cb-table td.cb-nw { white-space: nowrap !important; }
.cb-section table.cb-table td.cb-hash { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 9px;
  white-space: pre !important; }
tr.cb-bad td, .cb-bad { color: #b00000; font-weight: 600; }
tr.cb-warn td, .cb-warn { color: #9a6000; }
.cb-ok { color: #1d6b1d; font-weight: 600; }
.cb-note { background: #f6f6f6; border-left: 4px solid #999; padding: 6px 10px; margin: 0.4em 0; }
.cb-error { background: #fff0f0; border-left: 4px solid #b00000; padding: 6px 10px; margin: 0.4em 0;
  white-space: pre-wrap; }
.cb-photo { display: flex; gap: 12px; align-items: flex-start; break-inside: avoid; margin-bottom: 0.6em; }
.cb-photo img { max-width: 200px; max-height: 200px; border: 1px solid #ccc; }
.cb-photo .cb-photo-body { flex: 1; min-width: 0; }
.cb-pair { display: inline-flex; gap: 18px; align-items: center; }
.cb-pair div { border: 1px solid #ccc; padding: 4px 10px; font-size: 16px; }
.cb-map img { max-width: 100%; }
</style>
"""


class Html:
    """A displayable HTML fragment (Jupyter calls ``_repr_html_``); the text is already escaped."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def _parts():
    return template("dossier_parts.html").module


def _text(value: object) -> str:
    """A value as the page shows it: ``None`` as empty."""
    return "" if value is None else str(value)


def section(anchor: str, title: str, body: str) -> Html:
    return Html(str(_parts().section(_text(anchor), _text(title), Markup(body))))


def cover_page(heading_text: str, body: str) -> Html:
    """The cover: the dossier's style, then its heading and ``body`` (a fragment of these builders)."""
    return Html(STYLE + str(_parts().cover(_text(heading_text), Markup(body))))


def key_values(pairs: Iterable[tuple[str, object]]) -> str:
    return str(_parts().key_values([(_text(k), _text(v)) for k, v in pairs]))


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], *, row_classes: Sequence[str] | None = None,
          hash_columns: Iterable[str] = ()) -> str:
    """A table; ``row_classes`` marks rows (``cb-bad`` shows a tampered item in red)."""
    hash_names = set(hash_columns)
    hash_idx = {i for i, h in enumerate(headers) if h in hash_names}
    shaped = []
    for i, row in enumerate(rows):
        css = row_classes[i] if row_classes and i < len(row_classes) and row_classes[i] else ""
        shaped.append((css, [("cb-hash" if j in hash_idx else "cb-nw" if len(str(v)) <= 6 else "", _text(v))
                             for j, v in enumerate(row)]))
    return str(_parts().table([_text(h) for h in headers], shaped))


def frame_table(df, *, row_classes: Sequence[str] | None = None, hash_columns: Iterable[str] = ()) -> str:
    """A pandas DataFrame as an escaped table (never ``Styler``/``to_html(escape=False)``)."""
    if df is None or len(df) == 0:
        return ""
    rows = [[plain_cell(v) for v in record] for record in df.itertuples(index=False, name=None)]
    return table([str(c) for c in df.columns], rows, row_classes=row_classes, hash_columns=hash_columns)


def plain_cell(value: object) -> object:
    try:
        import pandas as pd

        if value is not None and not isinstance(value, list | tuple | dict) and pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return value


def split_hex(value: object, width: int = 32) -> str:
    """A long digest in lines of ``width`` characters, so a 10-column list fits on A4 portrait."""
    text = "" if value is None else str(value)
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def note(text: str) -> str:
    return str(_parts().note(_text(text)))


def error_box(text: str) -> str:
    return str(_parts().error_box(_text(text)))


def heading(text: str, *, level: int = 3, css: str = "") -> str:
    return str(_parts().heading(_text(text), level, css))


def paragraph(*lines: object, css: str = "") -> str:
    """One paragraph of ``lines`` (broken with ``<br>``)."""
    return str(_parts().paragraph([_text(line) for line in lines], css))


def labelled(label: str, text: str) -> str:
    """One paragraph: a bold label, then the text (a brief's line saying why a part is missing)."""
    return str(_parts().labelled(_text(label), _text(text)))


def map_views(interactive_html: str, static_html: str) -> str:
    """The interactive map for the screen and its picture for print (both fragments: folium's, :func:`png_img`)."""
    return str(_parts().map_views(Markup(interactive_html), Markup(static_html)))


def png_img(data: bytes | None, alt: str, *, css_class: str = "") -> str:
    if not data:
        return ""
    src = "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")
    return str(_parts().image(src, _text(alt), css_class))


def photo_block(thumb: str, fields_title: str, fields: str) -> str:
    """A label photo's thumbnail (:func:`png_img`) beside the fields it shows (a :func:`table`)."""
    return str(_parts().photo(Markup(thumb), _text(fields_title), Markup(fields)))


def review_block(suspected: str, held: str, readings_word: str, readings: Iterable[object], alternatives_word: str,
                 alternatives: Iterable[object]) -> str:
    """A held-back accusation with every reading of its characters and the repairs."""
    return str(_parts().review(_text(suspected), _text(held), _text(readings_word), [_text(r) for r in readings],
                               _text(alternatives_word), [_text(a) for a in alternatives]))


def lookalike_pair(matched: str, genuine: str, detail: str, signals_word: str, signals: str) -> str:
    """The name on the label beside the genuine mark it imitates, why, and the signals that agree."""
    return str(_parts().lookalike(_text(matched), _text(genuine), _text(detail), _text(signals_word), _text(signals)))
