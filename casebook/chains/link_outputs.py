"""Write what ``casebook link`` and ``make demo`` leave in a chains folder.

The chart, the JSON an analyst can load and the 协查函 drafts come from one
linkage, so one writer keeps the command and the demo from drifting apart.
"""

from __future__ import annotations

import json
from pathlib import Path

from casebook.chains.assist_letter import draft_letters, write_letters
from casebook.chains.linkage import Linkage
from casebook.words.chart_words import chart_words, html_lang
from links.chart import chain_page
from safeio.atomic import write_text_atomic

__all__ = ["label_thumbnails", "write_link_outputs"]

THUMB_SIDE = 160
MAX_PHOTO = 64 << 20
MAX_THUMBS = 400  # a chart stays light: beyond this many label photos, the path and hash say enough


def label_thumbnails(linkage: Linkage) -> dict[tuple[str, str], str]:
    """Small JPEG thumbnails (data URIs) of the label photos whose identities tie a chain, by (case, photo).

    A photo that cannot be read (gone, a link, not an image) has none: its path and SHA-256 still show.
    """
    import base64
    import io

    from evidence.labels.imageprep import load_image
    from safeio.errors import CasebookError
    from safeio.limits import read_capped

    wanted: set[tuple[str, str]] = set()
    for chain in linkage.result.chains:
        inside = set(chain.cases)
        for item in chain.via:
            if item["links"]:
                wanted |= {(m.source.case, m.source.file) for m in linkage.result.entity(item["entity"]).mentions
                           if m.source.origin == "label" and m.source.case in inside}
    out: dict[tuple[str, str], str] = {}
    for case, rel in sorted(wanted)[:MAX_THUMBS]:
        folder = linkage.case_folder(case)
        path = folder / rel
        try:
            if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
                continue  # never followed out of the case folder
            image = load_image(read_capped(path, MAX_PHOTO, what="label photo"), name=str(path))
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "JPEG", quality=70)
        except (CasebookError, OSError, ValueError):
            continue
        out[(case, rel)] = "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return out


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
    from casebook.chains.link_views import LEAD_REASONS_EN, LEAD_REASONS_ZH

    out = Path(out)
    result = linkage.result
    data = linkage.to_dict() if not all_entities else {**result.to_dict(all_entities=True), "stats": linkage.stats}
    page = chain_page(result, words=chart_words(lang), html_lang=html_lang(lang), photos=label_thumbnails(linkage),
                      reasons=LEAD_REASONS_EN if lang == "en" else LEAD_REASONS_ZH)
    written = [write_text_atomic(out / "links.html", page),
               write_text_atomic(out / "links.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")]
    return written + write_letters(draft_letters(linkage, requester=requester), out / "letters", pdf=pdf)
