"""The public version of a penalty decision (行政处罚信息公示) and a short 典型案例 text, with personal data removed.

What is published follows 《市场监督管理行政处罚信息公示规定》 (SAMR, 2021; docs/domain.md):
decisions made under the ordinary procedure are published, a warning alone is not (第二条); the
publication is the decision with a summary before it (第四条: 决定书文号, 当事人基本情况, 违法行为类型,
行政处罚内容, 作出决定的机关名称和日期); personal information is processed first (第六条), and
otherwise the text is the decision as served (第七条).

The decision comes from the ``decision`` block of case.yml (no, date, violation, basis, penalty,
facts, procedure, persons: other natural persons named in it), falling back on the case's own
fields.  A party that is a natural person (自然人) keeps the name and loses the address; a
business keeps its registered address.  Every text field goes through
:func:`casebook.notices.personal_data.scrub`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.case import Case
from casebook.notices.personal_data import scrub
from safeio.errors import InputError

__all__ = ["Notice", "build_notice"]

NATURAL_PERSON = ("自然人", "个人", "natural_person")


@dataclass
class Notice:
    """The fields of the public notice and the typical-case text, already scrubbed; ``removed`` says of what kinds."""

    case_id: str
    summary: dict
    decision_text: list[str]
    typical_case: str
    removed: list[str] = field(default_factory=list)
    publishable: bool = True
    reason: str = ""  # warning_only | simple_procedure when not publishable


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _violation(case: Case, party_name: str) -> str:
    title = case.title or ""
    if party_name and title.startswith(party_name):
        title = title[len(party_name):]
    return re.sub(r"案$", "", title)


def build_notice(case: Case) -> Notice:
    """The public notice of one case's penalty decision.

    Raises
    ------
    InputError
        When the decision has no penalty (``decision.penalty`` in case.yml) or no date.
    """
    decision = case.raw.get("decision") if isinstance(case.raw.get("decision"), dict) else {}
    party = case.party or {}
    party_name = _text(party.get("name"))
    persons = tuple(_text(p) for p in (decision.get("persons") or []) if _text(p))
    penalty = _text(decision.get("penalty"))
    when = _text(decision.get("date")) or _text(case.closed)
    if not penalty:
        raise InputError("the case has no penalty decision to publish", path=str(case.root / "case.yml"),
                         field="decision.penalty",
                         hint="Add a decision block to case.yml: decision: {date: 2024-10-14, penalty: 没收…，罚款…元, "
                              "basis: 《…》第…条, facts: …}.")
    if not when:
        raise InputError("the decision has no date", path=str(case.root / "case.yml"), field="decision.date",
                         hint="Add decision.date (the day the decision was made), e.g. 2024-10-14.")
    is_person = _text(party.get("type")) in NATURAL_PERSON
    removed: list[str] = []

    def clean(value) -> str:
        text, kinds = scrub(_text(value), names=persons)
        removed.extend(kinds)
        return text

    basic = {"name": clean(party_name), "type": clean(party.get("type")),
             "credit_code": "" if is_person else clean(party.get("credit_code")),
             "representative": "" if is_person else clean(party.get("legal_representative") or party.get("operator")),
             "address": "" if is_person else clean(party.get("address"))}
    violation = clean(decision.get("violation") or _violation(case, party_name))
    summary = {"decision_no": clean(decision.get("no") or case.case_no), "party": basic, "violation": violation,
               "penalty": clean(penalty), "organ": clean(decision.get("organ") or case.organ), "date": clean(when),
               "basis": clean(decision.get("basis"))}
    paragraphs = [clean(p) for p in re.split(r"\n\s*\n|\n", _text(decision.get("facts") or case.summary)) if p.strip()]
    typical = clean(f"{when}，{summary['organ']}对{party_name}{violation}一案作出行政处罚。"
                    + (f"经查，{paragraphs[0].rstrip('。')}。" if paragraphs else "")
                    + (f"依据{summary['basis']}，" if summary["basis"] else "")
                    + f"{summary['organ']}决定：{penalty.rstrip('。')}。")
    only_warning = re.fullmatch(r"(?:给予)?警告。?", penalty) is not None
    simple = _text(decision.get("procedure")) in ("simple", "简易程序")
    reason = "warning_only" if only_warning else "simple_procedure" if simple else ""
    return Notice(case.case_id, summary, paragraphs, typical, list(dict.fromkeys(removed)), not reason, reason)
