"""Write what ``casebook link`` and ``make demo`` leave in a chains folder.

The chart, the JSON an analyst can load and the 协查函 drafts come from one
linkage, so one writer keeps the command and the demo from drifting apart.
"""

from __future__ import annotations

import json
from pathlib import Path

from casebook.assist_letter import draft_letters, write_letters
from casebook.linkage import Linkage
from casebook.words.chart_words import chart_words, html_lang
from links.chart import chain_page
from safeio.atomic import write_text_atomic

__all__ = ["write_link_outputs"]


def write_link_outputs(linkage: Linkage, out: str | Path, *, lang: str = "zh", pdf: bool = False,
                       requester: str = "", all_entities: bool = False) -> list[Path]:
    """Write ``links.html`` (the offline chart), ``links.json`` and the 协查函 drafts under ``letters/``.

    Parameters
    ----------
    linkage : what :func:`link_casebook` returned.
    out : the folder to write into.
    lang : language of the chart, "zh" or "en".
    pdf : also print each letter to PDF (system Chromium).
    requester : the requesting county or bureau named in the letters (default: each chain's first county).
    all_entities : list every entity in links.json, not only those shared by cases.

    Returns
    -------
    list of Path
        Every file written.
    """
    out = Path(out)
    result = linkage.result
    data = linkage.to_dict() if not all_entities else {**result.to_dict(all_entities=True), "stats": linkage.stats}
    written = [write_text_atomic(out / "links.html", chain_page(result, words=chart_words(lang), html_lang=html_lang(lang))),
               write_text_atomic(out / "links.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")]
    return written + write_letters(draft_letters(linkage, requester=requester), out / "letters", pdf=pdf)
