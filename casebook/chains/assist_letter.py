"""协查函 drafts: for each chain, a request for assistance to the bureau of each other county it spans.

A lead handed across county lines must let the other bureau check it without casebook: the cases,
the entities that tie them, the file and row or line where each was read, and the evidence items
with their SHA-256 and SM3 as sealed in each case's ``manifest.json`` (docs/domain.md, Linking
cases).  The letter is a draft: the officer completes the requests, signs and stamps it.  No
article number is quoted: check the primary text before adding one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casebook.chains.link_views import CLAIMS_ZH, label_sources
from casebook.chains.linkage import Linkage
from links import Chain, LinkResult
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError
from safeio.escaping import esc as _e
from safeio.path_parts import child_path, safe_component

__all__ = ["AssistLetter", "draft_letters", "letter_html", "where_zh", "write_letters"]

KIND_ZH = {"phone": "电话", "wechat": "微信号", "qq": "QQ号", "account": "收付款账户", "credit_code": "统一社会信用代码",
           "licence": "许可证编号", "name": "名称", "address": "地址", "person": "人员", "barcode_prefix": "条码前缀",
           "region": "收货地区"}
ROLE_ZH = {"maker": "生产者", "wholesaler": "批发商", "retailer": "零售商"}


@dataclass
class AssistLetter:
    """One draft: from the requesting bureau to the bureau of one other county, about one chain."""

    chain: str
    from_county: str
    from_organ: str
    to_county: str
    to_organ: str
    cases: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    drafted_utc: str = ""
    labels: list[dict] = field(default_factory=list)  # label-borne sources: photo, line read, SHA-256, whose identity

    @property
    def name(self) -> str:
        # the county and chain come from case.yml: one safe file-name component, never a path
        return safe_component(f"协查函_{self.chain}_{self.to_county}")

    def to_dict(self) -> dict:
        return {"chain": self.chain, "from": {"county": self.from_county, "organ": self.from_organ},
                "to": {"county": self.to_county, "organ": self.to_organ}, "cases": self.cases,
                "entities": self.entities, "sources": self.sources, "labels": self.labels, "evidence": self.evidence,
                "notes": self.notes, "drafted_utc": self.drafted_utc}


def _organ(result: LinkResult, chain: Chain, county: str) -> str:
    organs = [result.cases[c].organ for c in chain.cases if c in result.cases and result.cases[c].county == county]
    return next((o for o in organs if o), f"{county}市场监督管理局")


def _requester(result: LinkResult, chain: Chain, requester: str) -> tuple[str, str]:
    """(county, organ) asking for help: the given county or organ, else the county of the earliest case."""
    if requester:
        if requester in chain.counties:
            return requester, _organ(result, chain, requester)
        return "", requester
    first = min(chain.cases, key=lambda c: (result.cases[c].opened if c in result.cases else "", c))
    county = result.cases[first].county if first in result.cases else ""
    return county, _organ(result, chain, county)


def _evidence_items(linkage: Linkage, chain: Chain, files_by_case: dict[str, set[str]]) -> tuple[list[dict], list[str]]:
    """The sealed digests of every file a shared entity was read from; a note for each case not sealed."""
    from evidence.integrity.manifest import load_manifest

    items, notes = [], []
    for case in chain.cases:
        wanted = files_by_case.get(case, set()) - {"case.yml"}
        if not wanted:
            continue
        path = linkage.case_folder(case) / "manifest.json"
        try:
            manifest = load_manifest(path)
        except CasebookError as err:
            notes.append(f"{case}: 证据未封存或封存清单不可用（{err.message}），以下文件无完整性校验值；"
                         f"请先运行 casebook evidence hash {linkage.case_folder(case)} --case {case}")
            items += [{"case": case, "file": f, "sha256": "", "sm3": "", "sealed_utc": "", "status": "not sealed"}
                      for f in sorted(wanted)]
            continue
        by_path = {entry.path: entry for entry in manifest.entries}
        for f in sorted(wanted):
            entry = by_path.get(f)
            if entry is None:
                items.append({"case": case, "file": f, "sha256": "", "sm3": "", "sealed_utc": manifest.created_utc,
                              "status": "not in manifest"})
                continue
            items.append({"case": case, "file": f, "sha256": entry.digests.get("sha256", ""),
                          "sm3": entry.digests.get("sm3", ""), "sealed_utc": manifest.created_utc, "status": "sealed"})
    return items, notes


def draft_letters(linkage: Linkage, *, requester: str = "", chains: list[Chain] | None = None) -> list[AssistLetter]:
    """One draft per chain and per county other than the requester's.

    Parameters
    ----------
    linkage : the casebook's link analysis.
    requester : the requesting county (one of the chain's) or organ; default: the county of each
        chain's earliest case.
    chains : the chains to write for (default: all).

    Returns
    -------
    list of AssistLetter
    """
    result = linkage.result
    drafted = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    letters = []
    for chain in result.chains if chains is None else chains:
        from_county, from_organ = _requester(result, chain, requester)
        sources = result.chain_sources_grouped(chain)
        files_by_case: dict[str, set[str]] = {}
        for s in sources:
            files_by_case.setdefault(s["case"], set()).add(s["file"])
        evidence, notes = _evidence_items(linkage, chain, files_by_case)
        cases = [{"case_id": c, "case_no": result.cases[c].case_no, "title": result.cases[c].title,
                  "county": result.cases[c].county, "organ": result.cases[c].organ, "party": result.cases[c].party,
                  "role": chain.roles.get(c, "")} for c in chain.cases if c in result.cases]
        entities = [{"id": v["entity"], "kind": v["kind"], "value": v["value"], "weight": v["weight"],
                     "cases": v["cases"], "links": v["links"], "label_claim": v.get("label_claim", ""),
                     "copied_from": list(v.get("copied_from", []))} for v in chain.via]
        labels = label_sources(result, chain)
        for county in chain.counties:
            if county == from_county:
                continue
            letters.append(AssistLetter(chain.id, from_county, from_organ, county, _organ(result, chain, county),
                                        cases, entities, sources, evidence, notes, drafted, labels))
    return letters


def where_zh(item: dict) -> str:
    """``第2、3、4行``: the rows of a table or the lines of a text where an entity was read."""
    return f"第{'、'.join(str(n) for n in item['at'])}行" if item["at"] else ""


def _table(headers: list[str], rows: list[list], *, mono: tuple[int, ...] = (), nowrap: tuple[int, ...] = ()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)

    def td(i: int, v: object) -> str:
        css = "mono" if i in mono else "nw" if i in nowrap else ""
        return f'<td class="{css}">{_e(v)}</td>' if css else f"<td>{_e(v)}</td>"

    body = "".join("<tr>" + "".join(td(i, v) for i, v in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", serif; font-size: 12.5px; line-height: 1.7;
  color: #111; max-width: 190mm; margin: 0 auto; }
h1 { text-align: center; font-size: 22px; letter-spacing: 0.4em; margin: 0.4em 0 0.2em; }
.draft { text-align: center; color: #b00000; font-size: 12px; margin-bottom: 1em; }
h2 { font-size: 14px; margin: 1em 0 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 10.5px; margin-bottom: 0.6em; table-layout: auto; }
th, td { border: 1px solid #777; padding: 2px 4px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; white-space: nowrap; }
td.nw { white-space: nowrap; }
td.mono { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 8.5px; }
.sign { margin-top: 2em; text-align: right; }
.note { color: #9a6000; }
"""


def _claim_zh(claim: str, owners: list[str]) -> str:
    text = CLAIMS_ZH.get(claim, "")
    return f"{text}（{'、'.join(owners)}）" if text and owners else text


def _label_part(letter: AssistLetter) -> list[str]:
    """The label photos a link rests on: photo, the line read, its SHA-256, and whose identity it prints."""
    if not letter.labels:
        return []
    return ["<p>下列关联依据印于查获货物的标签上：标明“源头线索”的，不属于任何正品企业，又见于多个案件查获的货物，"
            "可能指向同一生产源头；标明“冒用正品企业信息”的，系假冒货物抄印的正品企业信息，不据以认定关联。</p>",
            _table(["实体", "案件", "标签照片", "行", "所读文字", "照片 SHA-256", "标签身份"],
                   [[f"{KIND_ZH.get(s['kind'], s['kind'])} {s['value']}", s["case"], s["photo"], s["line"] or "",
                     s["text"], s["sha256"], _claim_zh(s["claim"], [s["owner"]] if s["owner"] else [])]
                    for s in letter.labels], mono=(5,), nowrap=(1,))]


def letter_html(letter: AssistLetter) -> str:
    """The draft as one escaped, self-contained HTML page (A4 when printed)."""
    case_ids = "、".join(c["case_id"] for c in letter.cases)
    ours = [c for c in letter.cases if c["county"] == letter.from_county]
    theirs = [c for c in letter.cases if c["county"] == letter.to_county]
    ours_text = "、".join(f"{c['case_no'] or c['case_id']}（{c['title']}）" for c in ours) or case_ids
    parts = [
        f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{_e(letter.name)}</title>"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<style>{_STYLE}</style></head><body>",
        "<h1>协查函</h1><div class=\"draft\">（草稿，由 casebook 依据案卷材料生成，须经办案人员核对、签发）</div>",
        f"<p><b>{_e(letter.to_organ)}</b>：</p>",
        f"<p>{_e(letter.from_organ)}在办理{_e(ours_text)}过程中，经对案卷中的进货台账、聊天记录、订单及标签等材料进行关联分析，"
        f"发现下列案件与贵辖区（{_e(letter.to_county)}）"
        + (f"的{_e('、'.join(c['case_id'] + ' ' + c['party'] for c in theirs))}" if theirs else "")
        + f"存在关联（关联链 {_e(letter.chain)}），可能属同一生产、销售链条。为查明违法事实、追溯货源，"
        "根据《市场监督管理行政处罚程序规定》关于案件协助调查的规定，请贵局协助核查以下事项。</p>",
        "<h2>一、关联案件</h2>",
        _table(["案件编号", "文号", "案件名称", "县区", "当事人", "链中角色", "办案机构"],
               [[c["case_id"], c["case_no"], c["title"], c["county"], c["party"], ROLE_ZH.get(c["role"], "—"),
                 c["organ"]] for c in letter.cases], nowrap=(0,)),
        "<h2>二、关联实体</h2>",
        _table(["类型", "值", "权重", "涉及案件", "是否构成关联", "标签身份"],
               [[KIND_ZH.get(e["kind"], e["kind"]), e["value"], f"{e['weight']:.2f}", "、".join(e["cases"]),
                 "是" if e["links"] else "佐证", _claim_zh(e.get("label_claim", ""), e.get("copied_from", []))]
                for e in letter.entities]),
        "<h2>三、关联依据（构成关联的每一实体的出处）</h2>",
        _table(["实体", "案件", "文件", "位置", "栏目", "原文（首条）"],
               [[f"{KIND_ZH.get(s['kind'], s['kind'])} {s['value']}", s["case"], s["file"], where_zh(s), s["field"],
                 s["text"]] for s in letter.sources], nowrap=(1,)),
        *_label_part(letter),
        "<h2>四、证据清单及完整性校验值（摘自各案封存清单 manifest.json）</h2>",
        _table(["案件", "文件", "SHA-256", "SM3", "封存时间（UTC）", "状态"],
               [[i["case"], i["file"], i["sha256"], i["sm3"], i["sealed_utc"],
                 {"sealed": "已封存", "not sealed": "未封存", "not in manifest": "不在封存清单中"}.get(i["status"], i["status"])]
                for i in letter.evidence], mono=(2, 3), nowrap=(0,)),
    ]
    parts += [f'<p class="note">{_e(n)}</p>' for n in letter.notes]
    parts += [
        "<h2>五、请协助事项</h2><ol>",
        "<li>核查上述名称、统一社会信用代码、电话、微信号、账户在贵辖区的登记、经营及实际控制人情况；</li>",
        "<li>核查相关主体的进货来源、销售去向及库存情况，必要时依法调取购销台账、票据；</li>",
        "<li>如发现涉嫌违法行为，请依法处理并将结果函告我局。</li></ol>",
        "<p>收到本函后可通过电子数据的 SHA-256 / SM3 值核对所附材料的完整性。</p>",
        "<p>联系人：＿＿＿＿＿＿　联系电话：＿＿＿＿＿＿</p>",
        f'<div class="sign">{_e(letter.from_organ)}（盖章）<br>　　年　　月　　日</div>',
        f'<p style="font-size:10px;color:#666">草稿生成时间（UTC）：{_e(letter.drafted_utc)}</p>',
        "</body></html>\n",
    ]
    return "".join(parts)


def write_letters(letters: list[AssistLetter], out_dir: str | Path, *, pdf: bool = False) -> list[Path]:
    """Write each draft as ``协查函_<chain>_<county>.html`` (and ``.pdf``) into ``out_dir``; returns the paths."""
    folder = Path(out_dir)
    written = []
    pages = []
    for letter in letters:
        page = write_text_atomic(child_path(folder, f"{letter.name}.html"), letter_html(letter))
        written.append(page)
        pages.append(page)
    if pdf and pages:
        from casebook.pdf import PdfPrinter

        with PdfPrinter() as printer:
            for page in pages:
                written.append(printer.print(page, page.with_suffix(".pdf")))
    return written
