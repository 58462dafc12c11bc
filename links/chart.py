"""The chains as one offline HTML page: a link chart per chain (SVG), filters, and every source on click.

Drawn by hand as SVG with a networkx layout rather than with a vendored JavaScript graph library:
a chain has a handful of nodes, a fixed layout prints and reads the same everywhere, and the page
stays small and auditable.  Everything from case data is escaped for HTML, node details travel as
JSON that cannot close its ``<script>`` and are shown with ``textContent``, and a Content Security
Policy with the hash of the page's one script refuses any other script and every request.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Mapping

import networkx as nx

from links.analysis import LinkResult
from links.graph import Chain
from safeio.escaping import esc as _esc

__all__ = ["ROLE_COLOURS", "WORD_KEYS", "chain_page", "chain_svg", "notebook_chart"]

ROLE_COLOURS = {"maker": "#b2182b", "wholesaler": "#ef8a62", "retailer": "#2166ac", "": "#6b6b6b"}
KIND_COLOURS = {"phone": "#1b9e77", "wechat": "#33a02c", "qq": "#66a61e", "account": "#e7298a",
                "credit_code": "#7570b3", "licence": "#a6761d", "name": "#d95f02", "address": "#666666",
                "person": "#999999", "barcode_prefix": "#bbbbbb", "region": "#cccccc"}
# The words a page shows, by key; the application hands them in (casebook.words.chart_words), the
# default shows the keys themselves.
WORD_KEYS = ("title", "chains", "county", "kind", "all", "score", "cases", "counties", "roles", "maker", "wholesaler",
             "retailer", "sources", "none", "hint", "upstream", "entity", "file", "where", "text", "weight", "links",
             "case_no", "case_title", "party", "bureau", "labels", "photo", "line", "sha256", "claim", "source", "copied",
             "claim_one", "leads", "reason", "best", "lead_kind", "value")
WIDTH, HEIGHT = 640, 420
LABEL_WIDTH, LINE_GAP = 150, 34  # a node's label: about ten characters wide, two lines high, and a circle

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:10px 16px;background:#fff;border-bottom:2px solid #8b0000;position:sticky;top:0;z-index:2}
header h1{font-size:18px;margin:0 0 6px}
header label{margin-right:14px;font-size:13px}
main{display:flex;gap:12px;padding:12px}
#cb-chains{flex:1;min-width:0}
.cb-chain{background:#fff;border:1px solid #ccc;border-radius:4px;margin-bottom:14px;padding:8px 10px}
.cb-chain h2{font-size:15px;margin:2px 0 4px}
.cb-chain .cb-meta{font-size:12px;color:#555;margin-bottom:4px;white-space:pre-wrap}
.cb-chain svg{width:100%;height:auto;max-height:460px;border:1px solid #eee;background:#fff;cursor:grab}
.cb-chain svg text{font-size:11px}
.cb-node{cursor:pointer}
.cb-node.cb-dim,.cb-edge.cb-dim{opacity:.15}
aside{width:380px;flex:none;background:#fff;border:1px solid #ccc;border-radius:4px;padding:8px 10px;
  position:sticky;top:92px;align-self:flex-start;max-height:80vh;overflow:auto;font-size:12px}
aside h3{font-size:14px;margin:4px 0}
aside table,details table{border-collapse:collapse;width:100%;font-size:11px}
aside td,aside th,details td,details th{border:1px solid #ddd;padding:2px 4px;text-align:left;vertical-align:top;
  overflow-wrap:anywhere}
.cb-legend span{display:inline-block;margin-right:10px;font-size:12px}
.cb-legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:3px}
.cb-copied{color:#8a5a00}.cb-source{color:#8b0000;font-weight:600}
img.cb-thumb{max-width:120px;max-height:90px;border:1px solid #ccc}
td.cb-hash{font-family:monospace;font-size:10px;overflow-wrap:anywhere}
details{font-size:12px;margin-top:4px}
@media print{header{position:static}aside{display:none}}
"""

_SCRIPT = r"""
(function(){
  var data = JSON.parse(document.getElementById('cb-data').textContent);
  var panel = document.getElementById('cb-detail');
  function cell(row, text, tag){var c=document.createElement(tag||'td');c.textContent=text==null?'':String(text);row.appendChild(c);}
  function show(id){
    var node = data.nodes[id]; if(!node) return;
    panel.textContent='';
    var h=document.createElement('h3'); h.textContent=node.label; panel.appendChild(h);
    var t=document.createElement('table');
    node.facts.forEach(function(f){var r=document.createElement('tr');cell(r,f[0],'th');cell(r,f[1]);t.appendChild(r);});
    panel.appendChild(t);
    if(node.sources && node.sources.length){
      var s=document.createElement('h3'); s.textContent=data.text.sources; panel.appendChild(s);
      var st=document.createElement('table'); var hr=document.createElement('tr');
      [data.text.cases,data.text.file,data.text.where,data.text.text].forEach(function(x){cell(hr,x,'th');});
      st.appendChild(hr);
      node.sources.forEach(function(src){var r=document.createElement('tr');
        cell(r,src.case);cell(r,src.file);cell(r,src.where);cell(r,src.text);st.appendChild(r);});
      panel.appendChild(st);
    }
  }
  function highlight(svg, id){
    var near={}; near[id]=true;
    svg.querySelectorAll('.cb-edge').forEach(function(e){
      if(e.dataset.a===id||e.dataset.b===id){near[e.dataset.a]=true;near[e.dataset.b]=true;}});
    svg.querySelectorAll('.cb-node').forEach(function(n){n.classList.toggle('cb-dim', !near[n.dataset.id]);});
    svg.querySelectorAll('.cb-edge').forEach(function(e){
      e.classList.toggle('cb-dim', !(e.dataset.a===id||e.dataset.b===id));});
  }
  document.querySelectorAll('.cb-chain svg').forEach(function(svg){
    var vb=svg.viewBox.baseVal, drag=null;
    svg.addEventListener('wheel', function(ev){ev.preventDefault();
      var k=ev.deltaY>0?1.15:1/1.15, r=svg.getBoundingClientRect();
      var px=vb.x+(ev.clientX-r.left)/r.width*vb.width, py=vb.y+(ev.clientY-r.top)/r.height*vb.height;
      vb.x=px-(px-vb.x)*k; vb.y=py-(py-vb.y)*k; vb.width*=k; vb.height*=k;}, {passive:false});
    svg.addEventListener('mousedown', function(ev){drag={x:ev.clientX,y:ev.clientY,vx:vb.x,vy:vb.y};});
    window.addEventListener('mouseup', function(){drag=null;});
    svg.addEventListener('mousemove', function(ev){ if(!drag) return; var r=svg.getBoundingClientRect();
      vb.x=drag.vx-(ev.clientX-drag.x)/r.width*vb.width; vb.y=drag.vy-(ev.clientY-drag.y)/r.height*vb.height;});
    svg.querySelectorAll('.cb-node').forEach(function(n){
      n.addEventListener('click', function(ev){ev.stopPropagation(); show(n.dataset.id); highlight(svg, n.dataset.id);});});
    svg.addEventListener('dblclick', function(){svg.querySelectorAll('.cb-dim').forEach(function(x){x.classList.remove('cb-dim');});});
  });
  var county=document.getElementById('cb-county'), kind=document.getElementById('cb-kind');
  function filter(){
    var shown=0;
    document.querySelectorAll('.cb-chain').forEach(function(c){
      var chain=data.chains[c.dataset.chain];
      var ok=(!county.value||chain.counties.indexOf(county.value)>=0)&&(!kind.value||chain.kinds.indexOf(kind.value)>=0);
      c.style.display=ok?'':'none'; if(ok) shown++;});
    document.getElementById('cb-count').textContent=String(shown);
  }
  county.addEventListener('change', filter); kind.addEventListener('change', filter); filter();
})();
"""


def _js_json(value) -> str:
    """JSON safe inside <script>: no '<', '>', '&' or line separators left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _short(text: str, size: int = 14) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _layout(chain: Chain, entity_ids: list[str]) -> tuple[dict[str, tuple[float, float]], int]:
    """Node positions in SVG units and the chart's height (taller for a crowded chain)."""
    graph = nx.Graph()
    for case in chain.cases:
        graph.add_node(f"case:{case}")
    for item in chain.via:
        if item["entity"] in entity_ids:
            for case in item["cases"]:
                graph.add_edge(f"case:{case}", item["entity"], weight=1.0 + item["weight"])
    positions = nx.kamada_kawai_layout(graph) if len(graph) > 2 else nx.circular_layout(graph)
    height = max(HEIGHT, LINE_GAP * len(graph))
    xs = [p[0] for p in positions.values()] or [0.0]
    ys = [p[1] for p in positions.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    # labels run to the right of their node: keep the right margin wide
    pos = {n: (40 + (p[0] - min(xs)) / span_x * (WIDTH - 230), 40 + (p[1] - min(ys)) / span_y * (height - 80))
           for n, p in sorted(positions.items())}
    return _spread(pos, height), height


def _spread(pos: dict[str, tuple[float, float]], height: int) -> dict[str, tuple[float, float]]:
    """Push apart, vertically, nodes whose labels would print over each other.

    Kamada-Kawai puts cases that share the same entities on one spot; networkx has no overlap removal.
    """
    xy = {n: list(p) for n, p in pos.items()}
    names = list(xy)
    for _ in range(60):
        moved = False
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                (ax, ay), (bx, by) = xy[a], xy[b]
                gap = LINE_GAP - abs(ay - by)
                if abs(ax - bx) < LABEL_WIDTH and gap > 0:
                    push = gap / 2 + 0.5
                    up, down = (a, b) if (ay, a) <= (by, b) else (b, a)
                    xy[up][1] = max(20.0, xy[up][1] - push)
                    xy[down][1] = min(height - 20.0, xy[down][1] + push)
                    moved = True
        if not moved:
            break
    return {n: (p[0], p[1]) for n, p in xy.items()}


def _words(words: Mapping[str, str] | None) -> dict:
    return {**{k: k for k in WORD_KEYS}, **(words or {})}


def chain_svg(result: LinkResult, chain: Chain, *, words: Mapping[str, str] | None = None) -> str:
    """One chain's link chart as an SVG element: cases (circles, coloured by role) and the entities that tie them."""
    t = _words(words)
    entity_ids = [v["entity"] for v in chain.via]
    pos, height = _layout(chain, entity_ids)
    parts = [f'<svg viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" role="img" '
             f'aria-label="{_esc(chain.id)}">']
    for item in chain.via:
        for case in item["cases"]:
            a, b = pos[f"case:{case}"], pos[item["entity"]]
            dash = "" if item["links"] else ' stroke-dasharray="4 3"'
            parts.append(f'<line class="cb-edge" data-a="{_esc("case:" + case)}" data-b="{_esc(item["entity"])}" '
                         f'x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" stroke="#888" '
                         f'stroke-width="{0.8 + 3 * item["weight"]:.2f}"{dash}/>')
    for item in chain.via:
        x, y = pos[item["entity"]]
        colour = KIND_COLOURS.get(item["kind"], "#888")
        claim = item.get("label_claim", "")
        # a copied genuine identity: hollow, dashed; an unknown maker on goods of several cases: a red ring
        mark = {"copied": f' fill-opacity="0.25" stroke="{colour}" stroke-dasharray="2 2"',
                "source": ' stroke="#8b0000" stroke-width="2.5"'}.get(claim, "")
        tag = {"copied": "⚠", "source": "★"}.get(claim, "")
        parts.append(f'<g class="cb-node" data-id="{_esc(item["entity"])}"><rect x="{x - 6:.1f}" y="{y - 6:.1f}" '
                     f'width="12" height="12" transform="rotate(45 {x:.1f} {y:.1f})" fill="{colour}"{mark}/>'
                     f'<text x="{x + 10:.1f}" y="{y + 4:.1f}">{_esc(tag + _short(str(item["value"]), 18))}</text></g>')
    for case in chain.cases:
        x, y = pos[f"case:{case}"]
        role = chain.roles.get(case, "")
        record = result.cases.get(case)
        label = f"{case} {record.county if record else ''}"
        role_text = f" · {t.get(role, role)}" if role else ""
        parts.append(f'<g class="cb-node" data-id="{_esc("case:" + case)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="13" '
                     f'fill="{ROLE_COLOURS.get(role, "#6b6b6b")}" stroke="#fff" stroke-width="2"/>'
                     f'<text x="{x + 16:.1f}" y="{y - 6:.1f}" font-weight="600">{_esc(label + role_text)}</text>'
                     f'<text x="{x + 16:.1f}" y="{y + 8:.1f}">{_esc(_short(record.party if record else "", 16))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _node_data(result: LinkResult, chains: list[Chain], t: dict) -> dict:
    nodes: dict[str, dict] = {}
    for chain in chains:
        inside = set(chain.cases)
        for case in chain.cases:
            record = result.cases.get(case)
            facts = [(t["cases"], case), (t["roles"], t.get(chain.roles.get(case, ""), chain.roles.get(case, "")))]
            if record is not None:
                facts += [(t["case_no"], record.case_no), (t["case_title"], record.title),
                          (t["county"], record.county), (t["party"], record.party)]
            holder = chain.holders.get(case, {})
            if holder.get("bureau"):
                facts.append((t["bureau"], holder["bureau"] + (f" ({holder['casebook']})" if holder.get("casebook") else "")))
            nodes[f"case:{case}"] = {"label": case, "facts": facts, "sources": []}
        for item in chain.via:
            entity = result.entity(item["entity"])
            sources = [{"case": s["case"], "file": s["file"],
                        "where": (f"row {s['row']}" if "row" in s else f"line {s['line']}" if "line" in s else "")
                        + (f" · SHA-256 {s['sha256']}" if s.get("sha256") else ""),
                        "text": s.get("text", "")} for s in entity.sources() if s["case"] in inside]
            facts = [(t["entity"], entity.id), (t["kind"], entity.kind), (t["weight"], f"{entity.weight:.3f}"),
                     (t["links"], "✓" if item["links"] else "—"), ("variants", " / ".join(entity.variants[:8]))]
            facts += [("check", c) for c in entity.checks]
            facts += [("match", f"{k}: {v['method']}") for k, v in list(entity.matches.items())[:6]]
            if entity.label_claim:
                words = {"source": t["source"], "copied": t["copied"], "claim": t["claim_one"]}
                facts.append((t["claim"], words[entity.label_claim]
                               + (f" ({'、'.join(entity.copied_from)})" if entity.copied_from else "")))
            nodes[entity.id] = {"label": str(entity.value), "facts": facts, "sources": sources}
    return nodes


def _label_table(result: LinkResult, chain: Chain, t: dict, photos: dict) -> str:
    """The label-borne sources of the entities that tie a chain: photo, line as read, SHA-256, whose identity."""
    rows = []
    for entity, mentions in result.chain_label_mentions(chain):
        for m in sorted(mentions, key=lambda m: (m.source.case, m.source.file)):
            thumb = photos.get((m.source.case, m.source.file), "")
            image = f'<img class="cb-thumb" alt="" src="{_esc(thumb)}"><br>' if thumb.startswith("data:image/") else ""
            claim = {"source": t["source"], "copied": t["copied"], "claim": t["claim_one"]}.get(m.claim, "")
            css = {"source": "cb-source", "copied": "cb-copied"}.get(m.claim, "")
            rows.append(f"<tr><td>{_esc(entity.kind)} {_esc(entity.value)}</td><td>{_esc(m.source.case)}</td>"
                        f"<td>{image}{_esc(m.source.file)}</td><td>{_esc(m.source.line or '')}</td>"
                        f"<td>{_esc(m.source.text)}</td><td class=\"cb-hash\">{_esc(m.source.sha256)}</td>"
                        f'<td class="{css}">{_esc(claim + (f" ({m.owner})" if m.owner else ""))}</td></tr>')
    if not rows:
        return ""
    head = "".join(f"<th>{_esc(t[k])}</th>" for k in ("entity", "cases", "photo", "line", "text", "sha256", "claim"))
    return f"<details open><summary>{_esc(t['labels'])}</summary><table><tr>{head}</tr>{''.join(rows)}</table></details>"


def _leads_table(result: LinkResult, t: dict, reasons: dict | None) -> str:
    if not result.leads:
        return ""
    rows = "".join(
        f"<tr><td>{_esc(lead['kind'])}</td><td>{_esc(lead['value'])}</td><td>{_esc('、'.join(lead['cases'][:12]))}"
        f"{' …' if len(lead['cases']) > 12 else ''}</td><td>{lead['best']:.2f}</td>"
        f"<td>{_esc((reasons or {}).get(lead['reason'], lead['reason']))}"
        f"{_esc(' (' + '、'.join(lead['copied_from']) + ')') if lead.get('copied_from') else ''}</td></tr>"
        for lead in result.leads[:200])
    head = "".join(f"<th>{_esc(t[k])}</th>" for k in ("lead_kind", "value", "cases", "best", "reason"))
    return (f'<section class="cb-chain"><h2>{_esc(t["leads"])}</h2><table><tr>{head}</tr>{rows}</table>'
            "</section>")


def chain_page(result: LinkResult, *, words: Mapping[str, str] | None = None, html_lang: str = "en",
               title: str = "", photos: dict | None = None, reasons: dict | None = None) -> str:
    """The whole page: filters by county and entity kind, one chart per chain, details and sources on click.

    Parameters
    ----------
    result : the link analysis.
    words : the page's own words by key (:data:`WORD_KEYS`); default: the keys themselves.
    html_lang : the language of the words, for the page's ``lang`` attribute.
    title : the page title (default: the ``title`` word).
    photos : (case, photo path) -> a ``data:image/...`` thumbnail of a label photo that ties a chain.
    reasons : lead reason code -> words (default: the code itself).

    Returns
    -------
    str
        A self-contained HTML document: no external file, font or request.
    """
    t = _words(words)
    chains = result.chains
    counties = sorted({c for chain in chains for c in chain.counties})
    kinds = sorted({v["kind"] for chain in chains for v in chain.via if v["links"]})
    data = {"nodes": _node_data(result, chains, t), "text": t,
            "chains": {c.id: {"counties": c.counties, "kinds": sorted({v["kind"] for v in c.via if v["links"]})}
                       for c in chains}}
    cards = []
    for chain in chains:
        roles = "，".join(f"{case} {t.get(role, role)}" for case, role in chain.roles.items())
        meta = (f"{t['cases']} {len(chain.cases)} · {t['counties']} {'、'.join(chain.counties)} · "
                f"{t['score']} {chain.score:.2f}" + (f"\n{t['roles']}: {roles}" if roles else ""))
        if chain.upstream:
            meta += f"\n{t['upstream']}: " + "；".join(str(result.entity(e).value) for e in chain.upstream)
        rows = "".join(
            f"<tr><td>{_esc(s['value'])}</td><td>{_esc(s['case'])}</td><td>{_esc(s['file'])}</td>"
            f"<td>{_esc(('row ' + str(s['row'])) if 'row' in s else ('line ' + str(s['line'])) if 'line' in s else '')}</td>"
            f"<td>{_esc(s.get('text', ''))}</td></tr>"
            for s in result.chain_sources(chain) if s["links"])
        table = (f"<details><summary>{_esc(t['sources'])}</summary><table><tr><th>{_esc(t['entity'])}</th>"
                 f"<th>{_esc(t['cases'])}</th><th>{_esc(t['file'])}</th><th>{_esc(t['where'])}</th>"
                 f"<th>{_esc(t['text'])}</th></tr>{rows}</table></details>")
        holders = {h["bureau"] for h in chain.holders.values() if h.get("bureau")}
        if len(holders) > 1:
            meta += f"\n{t['bureau']}: " + "；".join(f"{case} {h['bureau']}" for case, h in chain.holders.items())
        labels = _label_table(result, chain, t, photos or {})
        cards.append(f'<section class="cb-chain" data-chain="{_esc(chain.id)}"><h2>{_esc(chain.id)}</h2>'
                     f'<div class="cb-meta">{_esc(meta)}</div>{chain_svg(result, chain, words=words)}{labels}{table}'
                     "</section>")
    if not cards:
        cards.append(f"<p>{_esc(t['none'])}</p>")
    cards.append(_leads_table(result, t, reasons))
    options = lambda values: "".join(f'<option value="{_esc(v)}">{_esc(v)}</option>' for v in values)  # noqa: E731
    legend = "".join(f'<span><i style="background:{c}"></i>{_esc(t.get(r, r) or "?")}</span>'
                     for r, c in ROLE_COLOURS.items() if r)
    script_hash = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    heading = title or t["title"]
    return (
        "<!DOCTYPE html>\n<html lang=\"" + _esc(html_lang) + "\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<title>{_esc(heading)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_esc(heading)}</h1>"
        f'<label>{_esc(t["county"])} <select id="cb-county"><option value="">{_esc(t["all"])}</option>{options(counties)}'
        f'</select></label><label>{_esc(t["kind"])} <select id="cb-kind"><option value="">{_esc(t["all"])}</option>'
        f'{options(kinds)}</select></label><span id="cb-count"></span> {_esc(t["chains"])} · '
        f'<span class="cb-legend">{legend}</span><div style="font-size:12px;color:#555">{_esc(t["hint"])}</div></header>'
        f'<main><div id="cb-chains">{"".join(cards)}</div><aside id="cb-detail"></aside></main>'
        f'<script type="application/json" id="cb-data">{_js_json(data)}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )


def notebook_chart(result: LinkResult, *, words: Mapping[str, str] | None = None, html_lang: str = "en",
                   height: int = 640):
    """The page in a notebook: an iframe whose ``srcdoc`` holds the escaped page (no file, no server).

    Returns
    -------
    IPython.display.HTML
    """
    import warnings

    from IPython.display import HTML

    doc = html.escape(chain_page(result, words=words, html_lang=html_lang), quote=True)
    with warnings.catch_warnings():  # IPython suggests IFrame, which needs a URL: srcdoc is the point here
        warnings.simplefilter("ignore", UserWarning)
        return HTML(f'<iframe srcdoc="{doc}" sandbox="allow-scripts" style="width:100%;height:{int(height)}px;'
                    f'border:1px solid #ccc"></iframe>')
