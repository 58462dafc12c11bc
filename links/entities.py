"""The entity model: what was read where (mentions), and the entities they resolve to.

A *mention* is one identifier as one document states it: kind, the text as read, its canonical
key, and its source (case, file, row or line, column or field, the whole text).  An *entity* is
every mention that names the same thing: a phone number, a WeChat id, a credit code, a supplier
written five ways.  Identifiers resolve by exact key (two phones one digit apart stay two);
company names resolve by core, trade and place (:mod:`links.names`), then across spellings: a
leading county name dropped, the same pinyin (a homophone typed from speech), or a close spelling
by rapidfuzz.  Each variant keeps the evidence of its match.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from links.addresses import Address
from links.names import NameKey, pinyin_key

__all__ = ["KINDS", "CaseRecord", "Entity", "Mention", "Source", "record_of", "resolve"]

# kind -> what it is, in the words of a display table
KINDS = {
    "phone": "phone number", "wechat": "WeChat id", "qq": "QQ number", "account": "payment account",
    "credit_code": "unified social credit code", "licence": "licence number", "name": "company or shop name",
    "address": "address", "person": "person", "barcode_prefix": "barcode prefix", "region": "receiving region",
}
SAME_CORE = "same core after normalisation"
SIMILAR_CUTOFF = 85  # rapidfuzz ratio on "core+trades", for cores of 4 characters or more
PLACELESS_NAME = 0.8  # trust in a name that states no place
# A homophone or a close spelling between names that state no place is a guess: its score is scaled down so
# that on its own it cannot link (many cities have a 汇通 and a 惠通).
UNANCHORED_MATCH = 0.65
MAX_BLOCK = 3000  # names compared at once for close spellings (a bigger block is a list of near-identical names)


@dataclass(frozen=True)
class Source:
    """Where a mention was read: the case, the file (relative to the case folder), the row or line, the text."""

    case: str
    file: str
    origin: str  # case | label | ledger | chat | orders
    row: int | None = None
    line: int | None = None
    field: str = ""
    text: str = ""
    sha256: str = ""  # a label photo's SHA-256: the evidence a label-borne link rests on

    @property
    def where(self) -> str:
        """``evidence/进货台账.csv, row 7`` - the file and the row or line."""
        at = f", row {self.row}" if self.row is not None else f", line {self.line}" if self.line is not None else ""
        return f"{self.file}{at}"

    def to_dict(self) -> dict:
        data = {"case": self.case, "file": self.file, "origin": self.origin}
        if self.row is not None:
            data["row"] = self.row
        if self.line is not None:
            data["line"] = self.line
        if self.field:
            data["field"] = self.field
        data["text"] = self.text
        if self.sha256:
            data["sha256"] = self.sha256
        return data


@dataclass
class Mention:
    """One identifier as one document states it."""

    kind: str
    raw: str
    key: str
    source: Source
    role: str = ""  # party | supplier | maker | contact | buyer | seller | payee
    trust: float = 1.0  # 0.5 for what a label claims (a printed maker name may be invented or copied)
    valid: bool = True
    check: str = ""
    display: str = ""
    name: NameKey | None = None
    address: Address | None = None
    match: float = 1.0  # set by resolution: the weakest match joining this mention to its entity's value
    # whose identity a label prints (set by links.label_claims): "copied" (a genuine owner's, copied onto
    # fakes), "source" (no genuine owner's, on seized goods of several cases), "claim" (neither, yet)
    claim: str = ""
    owner: str = ""  # the genuine owner a copied identity belongs to


RECORD_ORIGINS = ("ledger", "orders", "label", "case")  # where one record describes one party


def record_of(mention: Mention) -> tuple | None:
    """The record a mention was read in, as far as one record describes one party: a ledger or order
    row, one label photo (one party of it), one case record, in one role.  None for a chat line."""
    source = mention.source
    if not mention.role or source.origin not in RECORD_ORIGINS:
        return None
    row = source.row if source.origin in ("ledger", "orders") else None
    party = source.field.split(".", 2)[1] if source.field.startswith("parties.") else ""
    return (source.case, source.file, row, mention.role, party)


@dataclass
class CaseRecord:
    """What the link analysis needs to know of a case beyond its documents."""

    case_id: str
    county: str = ""
    title: str = ""
    case_no: str = ""
    organ: str = ""
    party: str = ""
    address: str = ""
    adcode: str = ""  # the county's 6-digit code, from the party's address where it names one
    opened: str = ""
    lon: float | None = None
    lat: float | None = None
    coord_sys: str = "wgs84"
    casebook: str = ""  # the casebook (one bureau's or prefecture's) the case was read from


@dataclass
class Entity:
    """Everything the documents say about one phone, id, code, name or address, with every source."""

    id: str
    kind: str
    key: str
    value: str
    mentions: list[Mention] = field(default_factory=list)
    matches: dict[str, dict] = field(default_factory=dict)  # variant -> {"method", "score"}
    weight: float = 0.0
    reach: int = 0  # cases naming the party this entity belongs to (see links.graph.party_reach)
    population: int = 0  # the cases its rarity is counted among (those of the prefectures it appears in)
    _cases: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def cases(self) -> list[str]:
        """The cases naming this entity (computed once: an entity's mentions are final once resolved).

        Kept by hand: functools.cached_property takes a lock on every first access in Python 3.11.
        """
        if self._cases is None:
            self._cases = sorted({m.source.case for m in self.mentions})
        return self._cases

    @property
    def variants(self) -> list[str]:
        return sorted({m.raw for m in self.mentions})

    @property
    def valid(self) -> bool:
        return all(m.valid for m in self.mentions)

    @property
    def checks(self) -> list[str]:
        return sorted({m.check for m in self.mentions if m.check})

    @property
    def copied_from(self) -> list[str]:
        """The genuine owners whose identity this is, copied onto seized goods (empty when none)."""
        return sorted({m.owner for m in self.mentions if m.claim == "copied" and m.owner})

    @property
    def label_claim(self) -> str:
        """``copied`` (a genuine owner's identity printed on fakes), ``source`` (an unknown maker's, on seized
        goods of several cases), ``claim`` (printed on goods of one case) or "" when no label prints it."""
        claims = {m.claim for m in self.mentions if m.source.origin == "label"}
        return next((c for c in ("copied", "source", "claim") if c in claims), "")

    @property
    def roles(self) -> list[str]:
        return sorted({m.role for m in self.mentions if m.role})

    def case_trust(self, case: str) -> float:
        """How far this case's own documents can be taken at their word for this entity (best mention).

        A name that states no place counts for less: 汇通商贸 exists in many cities, 周口汇通商贸 in one.
        """
        return max((m.trust * self.match_score(m) * (PLACELESS_NAME if m.name is not None and not m.name.place.known
                                                     else 1.0)
                    for m in self.mentions if m.source.case == case), default=0.0)

    @staticmethod
    def match_score(mention: Mention) -> float:
        """How surely this mention names the entity (1 for the same key; less through a homophone or spelling)."""
        return mention.match

    def sources(self) -> list[dict]:
        seen, out = set(), []
        for m in sorted(self.mentions, key=lambda m: (m.source.case, m.source.file, m.source.row or 0,
                                                      m.source.line or 0)):
            item = m.source.to_dict()
            item["as_read"] = m.raw
            if m.role:
                item["role"] = m.role
            if m.claim:
                item["claim"] = m.claim
                if m.owner:
                    item["owner"] = m.owner
            marker = tuple(sorted((k, str(v)) for k, v in item.items()))
            if marker not in seen:
                seen.add(marker)
                out.append(item)
        return out

    def to_dict(self) -> dict:
        """The JSON shape of ``casebook link --json``."""
        data = {"id": self.id, "kind": self.kind, "value": self.value, "variants": self.variants,
                "cases": self.cases, "sources": self.sources(), "weight": round(self.weight, 3),
                "party_cases": self.reach, "population": self.population}
        if self.checks:
            data["checks"] = self.checks
        if self.label_claim:
            data["label_claim"] = self.label_claim
            if self.copied_from:
                data["copied_from"] = self.copied_from
        if self.matches:
            data["matches"] = [{"variant": k, **v} for k, v in sorted(self.matches.items())]
        return data


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _NameCluster:
    """Units of one name entity and the matches that joined them: (unit, unit, score, method)."""

    units: list[list[int]]
    edges: list[tuple[int, int, float, str]]


def _name_clusters(mentions: list[Mention], anchors: dict[int, set[tuple[str, str]]] | None = None
                   ) -> list[_NameCluster]:
    """Name mentions grouped into entities, with every match that joined two of their units.

    Mentions with the same core, trades and place are one *unit* (a regional distributor written
    the same way in 20,000 ledger rows is one unit), and units are what is compared.  ``anchors``
    gives, for a mention, the credit codes, licences and addresses read in the same record: names
    written beside one of them are one party, however differently spelt.
    """
    from rapidfuzz import fuzz, process

    unit_of: dict[tuple, int] = {}
    units: list[list[int]] = []
    keys: list[NameKey] = []  # one representative key per unit
    for i, m in enumerate(mentions):
        k = m.name
        signature = (k.core, k.trades, k.place.adcodes, k.place.town, k.alt_core)
        u = unit_of.get(signature)
        if u is None:
            u = unit_of[signature] = len(units)
            units.append([])
            keys.append(k)
        units[u].append(i)
    union = _Union(len(units))
    edges: list[tuple[int, int, float, str]] = []

    def compatible(a: list[int], b: list[int]) -> bool:
        """Places agree pairwise; trades agree as groups (汇通日化商贸 joins 汇通日化 and 汇通贸易)."""
        if not all(keys[i].place.compatible(keys[j].place) for i in a for j in b):
            return False
        ta = frozenset().union(*(keys[i].trades for i in a))
        tb = frozenset().union(*(keys[j].trades for j in b))
        return not ta or not tb or bool(ta & tb)

    cluster_units: dict[int, list[int]] = {u: [u] for u in range(len(units))}
    # the registered names (cores) of case parties in each cluster: two parties registered under two
    # different names are two parties, however alike the names (聚福坊平 and 聚福坊金 of one district)
    party_cores: dict[int, frozenset[str]] = {
        u: frozenset({keys[u].core}) if any(mentions[i].role == "party" for i in units[u]) else frozenset()
        for u in range(len(units))}

    def join(a: int, b: int, score: float, method: str) -> bool:
        """Merge the clusters of units a and b unless that would put conflicting places or trades, or two
        registered names, in one entity (a name without place must not bridge 兴隆超市 of two towns)."""
        ra, rb = union.find(a), union.find(b)
        if ra == rb:
            return True
        pa, pb = party_cores[ra], party_cores[rb]
        if pa and pb and pa != pb:
            return False
        if not compatible(cluster_units[ra], cluster_units[rb]):
            return False
        merged = cluster_units.pop(ra) + cluster_units.pop(rb)
        cores = party_cores.pop(ra) | party_cores.pop(rb)
        union.union(ra, rb)
        cluster_units[union.find(ra)] = merged
        party_cores[union.find(ra)] = cores
        edges.append((a, b, score, method))
        return True

    def anchored(group: list[int]) -> bool:
        return any(keys[u].place.known for u in group)

    # 1. one core: split where places or trades conflict; a unit that fits two groups stays apart
    by_core: dict[str, list[int]] = defaultdict(list)
    for u, k in enumerate(keys):
        by_core[k.core].append(u)
    groups: list[list[int]] = []
    for members in by_core.values():
        ordered = sorted(members, key=lambda u: (not (keys[u].place.adcodes or keys[u].place.town),
                                                 -len(keys[u].trades), u))
        local: list[list[int]] = []
        for u in ordered:
            fits = [g for g in local if compatible([u], g)]
            if len(fits) == 1:
                fits[0].append(u)
            else:
                local.append([u])
        groups.extend(local)
    for g in groups:
        for u in g[1:]:
            join(g[0], u, 100.0, SAME_CORE)
    group_of = {u: g for g in groups for u in g}
    groups_by_core: dict[str, list[list[int]]] = defaultdict(list)
    for g in groups:
        groups_by_core[keys[g[0]].core].append(g)

    # 2. a leading short county name that may be a place: "鹿邑恒昌" is 恒昌 when 恒昌 exists
    for u, k in enumerate(keys):
        if k.alt_core and k.alt_core in groups_by_core:
            targets = [g for g in groups_by_core[k.alt_core] if compatible(group_of[u], g)]
            if len(targets) == 1:
                dropped = k.core[: len(k.core) - len(k.alt_core)]
                join(targets[0][0], u, 95.0, f"leading place name {dropped} dropped")

    # 3. homophones: the same toneless pinyin, compatible places and trades (a leading short county
    # name that may be a place is left out: 台前茂富林商 sounds like 茂福林商)
    by_sound: dict[str, list[list[int]]] = defaultdict(list)
    for g in groups:
        by_sound[pinyin_key(keys[g[0]].alt_core or keys[g[0]].core)].append(g)
    for sound, sound_groups in by_sound.items():
        for a in range(len(sound_groups)):
            for b in range(a + 1, len(sound_groups)):
                ga, gb = sound_groups[a], sound_groups[b]
                if keys[ga[0]].core != keys[gb[0]].core:
                    score = 90.0 if anchored(ga) and anchored(gb) else round(90.0 * UNANCHORED_MATCH, 1)
                    join(ga[0], gb[0], score, f"same pinyin ({sound})")

    # 4. close spellings of longer names (an OCR or typing slip).  One slip leaves one half of the core
    # intact, so names are compared within blocks of (trades, length, one half): near-linear in the
    # number of names.  A leading short county name that may be a place is left out (颍上佳康 and
    # 颍上康宝 are not alike).
    blocks: dict[tuple, list[list[int]]] = defaultdict(list)
    for g in groups:
        k = keys[g[0]]
        core = k.alt_core or k.core
        if len(core) >= 4:
            trades = tuple(sorted(k.trades))
            half = len(core) // 2
            blocks[(trades, len(core), 0, core[:half])].append(g)
            blocks[(trades, len(core), 1, core[half:])].append(g)
    for block in blocks.values():
        if not 2 <= len(block) <= MAX_BLOCK:
            continue
        texts = [(keys[g[0]].alt_core or keys[g[0]].core) + "".join(sorted(keys[g[0]].trades)) for g in block]
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=SIMILAR_CUTOFF, dtype=np.uint8,
                               workers=1)
        np.fill_diagonal(scores, 0)
        for a, b in zip(*np.nonzero(scores), strict=True):
            ga, gb = block[a], block[b]
            if a < b and keys[ga[0]].core != keys[gb[0]].core:
                score = float(scores[a][b]) * (1.0 if anchored(ga) and anchored(gb) else UNANCHORED_MATCH)
                join(ga[0], gb[0], round(score, 1), "similar spelling (rapidfuzz ratio)")

    # 5. one party's identifier: names printed or written beside the same credit code, licence or address
    # (full legal name, bracketed region, short name) are one party where their places agree
    unit_of_mention = {i: u for u, members in enumerate(units) for i in members}
    first_unit: dict[tuple[str, str], int] = {}
    for i, found in sorted((anchors or {}).items()):
        u = unit_of_mention[i]
        for anchor in sorted(found):
            v = first_unit.setdefault(anchor, u)
            if v != u:
                what = {"credit_code": "credit code", "licence": "licence", "address": "address"}[anchor[0]]
                join(v, u, 95.0, f"same {what} {anchor[1].split('|')[-1]}")

    by_root: dict[int, list[int]] = defaultdict(list)
    for u in range(len(units)):
        by_root[union.find(u)].append(u)
    edges_of: dict[int, list] = defaultdict(list)
    for a, b, score, method in edges:
        edges_of[union.find(a)].append((a, b, score, method))
    out = []
    for root, members in by_root.items():
        local = {u: n for n, u in enumerate(members)}
        out.append(_NameCluster([units[u] for u in members],
                                [(local[a], local[b], score, method) for a, b, score, method in edges_of[root]]))
    return out


def _widest_paths(n_units: int, edges: list[tuple[int, int, float, str]], start: int) -> list[tuple[float, str]]:
    """For each unit, the best bottleneck match score on a path from ``start`` and the method of that bottleneck.

    A variant joined through a chain of matches is only as sure as the weakest of them: 刘记建茂福 is
    not 刘记美茂福 "by the same core" because each is one slip from a third spelling.
    """
    import heapq

    neighbours: dict[int, list[tuple[int, float, str]]] = defaultdict(list)
    for a, b, score, method in edges:
        neighbours[a].append((b, score, method))
        neighbours[b].append((a, score, method))
    best: list[tuple[float, str]] = [(-1.0, "")] * n_units
    best[start] = (100.0, SAME_CORE)
    heap = [(-100.0, start, SAME_CORE)]
    while heap:
        negative, u, method = heapq.heappop(heap)
        if -negative < best[u][0]:
            continue
        for v, score, edge_method in neighbours[u]:
            width = min(-negative, score)
            bottleneck = edge_method if score < -negative else method
            if width > best[v][0]:
                best[v] = (width, bottleneck)
                heapq.heappush(heap, (-width, v, bottleneck))
    return best


def _name_value(mentions: list[Mention]) -> str:
    """The name to show: a case party's registered name if there is one, else the most common spelling."""
    party = [m.raw for m in mentions if m.role == "party"]
    pool = party or [m.raw for m in mentions if m.trust >= 1.0] or [m.raw for m in mentions]
    return Counter(pool).most_common(1)[0][0]


def _normalisation_note(m: Mention, value: str) -> str:
    """What normalisation dropped for a variant of the same core as the entity's value."""
    dropped = [x for x in (m.name.place.text, *m.name.forms) if x] if m.name is not None else []
    return SAME_CORE + (f" (dropped {', '.join(dropped)})" if dropped else "")


def _anchors(items: list[Mention], others: list[Mention], skip: set[tuple[str, str]]) -> dict[int, set[tuple[str, str]]]:
    """For each name mention, the valid credit codes, licences and precise addresses of its record."""
    of_record: dict[tuple, set[tuple[str, str]]] = defaultdict(set)
    for m in others:
        if m.kind in ("credit_code", "licence", "address") and m.valid and m.key and (m.kind, m.key) not in skip:
            record = record_of(m)
            if record is not None:
                of_record[record].add((m.kind, m.key))
    out = {}
    for i, m in enumerate(items):
        record = record_of(m)
        if record is not None and record in of_record:
            out[i] = of_record[record]
    return out


def _name_entities(items: list[Mention], anchors: dict[int, set[tuple[str, str]]] | None = None) -> list[Entity]:
    from rapidfuzz import fuzz

    entities = []
    seen_ids: Counter = Counter()
    for cluster in _name_clusters(items, anchors):
        members = [items[i] for unit in cluster.units for i in unit]
        value = _name_value(members)
        start = next(n for n, unit in enumerate(cluster.units) if any(items[i].raw == value for i in unit))
        paths = _widest_paths(len(cluster.units), cluster.edges, start)
        main = Counter(m.name.key for m in members if m.raw == value).most_common(1)[0][0]
        base = f"name:{main}"
        seen_ids[base] += 1
        entity = Entity(base if seen_ids[base] == 1 else f"{base}#{seen_ids[base]}", "name", main, value, members)
        for n, unit in enumerate(cluster.units):
            score, method = paths[n]
            for i in unit:
                m = items[i]
                m.match = score / 100.0
                if m.raw == value:
                    continue
                note = {"method": _normalisation_note(m, value) if method == SAME_CORE else method,
                        "score": round(score, 1), "spelling": round(fuzz.ratio(m.raw, value), 1)}
                if m.raw not in entity.matches or entity.matches[m.raw]["score"] < note["score"]:
                    entity.matches[m.raw] = note
        entities.append(entity)
    return entities


def resolve(mentions: Iterable[Mention], *, not_anchors: Iterable[tuple[str, str]] = ()) -> list[Entity]:
    """Mentions -> entities: exact keys for identifiers, core/place/trade and spellings for names.

    Parameters
    ----------
    mentions : every mention read from every case.
    not_anchors : (kind, key) of identifiers that do not make names beside them one party (a genuine
        owner's code, copied onto fakes beside whatever name the workshop prints).

    Returns
    -------
    list of Entity
        Sorted by kind and id; each with its mentions and, for names, the evidence of each variant
        (the weakest match on the best path from the entity's value, with its method and score).
    """
    by_kind: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_kind[m.kind].append(m)
    entities: list[Entity] = []
    for kind, items in by_kind.items():
        if kind == "name":
            others = [m for k in ("credit_code", "licence", "address") for m in by_kind.get(k, ())]
            entities += _name_entities(items, _anchors(items, others, set(not_anchors)))
            continue
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in items:
            groups[m.key].append(m)
        for key, members in groups.items():
            shown = Counter(m.display or m.raw for m in members).most_common(1)[0][0]
            entities.append(Entity(f"{kind}:{key}", kind, key, shown, members))
    entities.sort(key=lambda e: (e.kind, e.id))
    return entities
