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
from casebook.html_pages import render
from links import Chain, LinkResult
from safeio.atomic import write_text_atomic
from safeio.errors import CasebookError
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


def _claim_zh(claim: str, owners: list[str]) -> str:
    text = CLAIMS_ZH.get(claim, "")
    return f"{text}（{'、'.join(owners)}）" if text and owners else text


STATUS_ZH = {"sealed": "已封存", "not sealed": "未封存", "not in manifest": "不在封存清单中"}


def letter_html(letter: AssistLetter) -> str:
    """The draft as one self-contained HTML page (A4 when printed): ``templates/assist_letter.html``, every value escaped."""
    case_ids = "、".join(c["case_id"] for c in letter.cases)
    ours = [c for c in letter.cases if c["county"] == letter.from_county]
    theirs = [c for c in letter.cases if c["county"] == letter.to_county]
    return render(
        "assist_letter.html", title=letter.name, to_organ=letter.to_organ, from_organ=letter.from_organ,
        to_county=letter.to_county, chain=letter.chain, drafted_utc=letter.drafted_utc, notes=letter.notes,
        ours="、".join(f"{c['case_no'] or c['case_id']}（{c['title']}）" for c in ours) or case_ids,
        theirs="、".join(c["case_id"] + " " + c["party"] for c in theirs),
        cases=[[c["case_id"], c["case_no"], c["title"], c["county"], c["party"], ROLE_ZH.get(c["role"], "—"),
                c["organ"]] for c in letter.cases],
        entities=[[KIND_ZH.get(e["kind"], e["kind"]), e["value"], f"{e['weight']:.2f}", "、".join(e["cases"]),
                   "是" if e["links"] else "佐证", _claim_zh(e.get("label_claim", ""), e.get("copied_from", []))]
                  for e in letter.entities],
        sources=[[f"{KIND_ZH.get(s['kind'], s['kind'])} {s['value']}", s["case"], s["file"], where_zh(s), s["field"],
                  s["text"]] for s in letter.sources],
        labels=[[f"{KIND_ZH.get(s['kind'], s['kind'])} {s['value']}", s["case"], s["photo"], s["line"] or "",
                 s["text"], s["sha256"], _claim_zh(s["claim"], [s["owner"]] if s["owner"] else [])]
                for s in letter.labels],
        evidence=[[i["case"], i["file"], i["sha256"], i["sm3"], i["sealed_utc"], STATUS_ZH.get(i["status"], i["status"])]
                  for i in letter.evidence])


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
