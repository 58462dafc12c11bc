"""Cases and entities in one graph; chains are the groups of cases that strong, rare entities tie together.

Weight of an entity = strength of its kind × rarity.  Rarity is an IDF normalised to 0-1:
``log(N / df) / log(N / 2)`` for an entity in ``df`` of ``N`` cases, 1 when two cases share it and
0 when all do, so a national brand's maker, a big regional distributor or the county's main market
weigh almost nothing.  ``df`` counts the cases of the entity's *party* (identifiers read together
in one record), ``N`` the cases of the prefectures where that party appears (a distributor in half
of one prefecture's cases is a hub, however many other prefectures the casebook holds).  Two cases are *linked* when one entity they share weighs at least
``LINK_THRESHOLD`` once each case's trust in its own mention is counted (a maker name printed on a
label is a claim, worth half a ledger row).  The strongest shared entity decides: three
identifiers of one hub (its phone, name and address) are still one hub, so weights are not added.

With a phone (strength 1) the threshold admits entities in up to ``sqrt(2N)`` cases: 7 of 30,
141 of 10,000, 1,414 of a million; a name (0.8) reaches about half as far.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from links.entities import PLACELESS_NAME, CaseRecord, Entity, record_of

__all__ = ["LEAD_FLOOR", "LINK_THRESHOLD", "STRENGTH", "Chain", "build_graph", "find_chains", "find_leads",
           "kind_strength", "rarity"]

LINK_THRESHOLD = 0.5
MIN_POPULATION = 20
# How much one shared value says that two cases involve the same party, before rarity.
STRENGTH = {
    "phone": 1.0, "wechat": 1.0, "qq": 0.9, "account": 1.0, "credit_code": 1.0, "licence": 0.9,
    "name": 0.8, "address": 0.8, "person": 0.3, "barcode_prefix": 0.3, "region": 0.0,
}
CORROBORATING = 0.2  # shared entities this heavy are listed with a chain even when they do not link
LEAD_FLOOR = 0.3  # a shared entity that does not link is a lead for review from this best pair weight
MAX_LEADS = 500
# kinds that do not identify a party: a shipping region, a common personal name, a barcode prefix
_NOT_POOLED = frozenset({"region", "person", "barcode_prefix"})


def rarity(df: int, n_cases: int) -> float:
    """IDF scaled to 0-1: 1 for an entity in two cases, 0 for one in every case.

    Below ``MIN_POPULATION`` cases, how common an entity is cannot be told from the casebook (three
    cases sharing a phone in a casebook of three say nothing of hubs), so N counts as that many.
    """
    if df <= 1:
        return 1.0
    n_cases = max(n_cases, MIN_POPULATION)
    value = math.log(n_cases / df) / math.log(n_cases / 2)
    return min(1.0, max(0.0, value))


def kind_strength(entity: Entity) -> float:
    """The strength of an entity's kind, lowered for a service line or an identifier whose check fails."""
    strength = STRENGTH.get(entity.kind, 0.0)
    if entity.kind == "phone" and entity.key.startswith(("400", "800")):
        strength = 0.3  # a company's national service line: printed on its genuine goods and copied onto fakes
    if entity.kind in ("credit_code", "licence", "account") and not entity.valid:
        strength *= 0.6
    return strength


@dataclass
class Chain:
    """A group of linked cases: counties spanned, roles where documents say so, score, the entities that tie it."""

    id: str
    cases: list[str]
    counties: list[str]
    via: list[dict]
    roles: dict[str, str]
    score: float
    upstream: list[str] = field(default_factory=list)  # suppliers / makers named by the chain with no case here
    edges: list[dict] = field(default_factory=list)  # case pairs with the entity that links them
    holders: dict[str, dict] = field(default_factory=dict)  # case -> the bureau, casebook and county holding it

    def to_dict(self) -> dict:
        """The JSON shape of ``casebook link --json``."""
        return {"id": self.id, "cases": self.cases, "counties": self.counties, "via": self.via,
                "roles": self.roles, "score": self.score, "upstream": self.upstream, "edges": self.edges,
                "holders": self.holders}


def party_reach(entities: list[Entity]) -> dict[str, set[str]]:
    """For each entity, the cases that name the *party* it belongs to.

    Identifiers read together in one record (one ledger or order row, one label, one case record)
    and in one role describe one party: the regional distributor's name, phone and address in a
    ledger row.  Their cases are pooled, so an address that only four ledgers bother to write is
    still known as the address of a distributor that eighteen cases buy from.  Chat lines are not
    records of one party and are not pooled.
    """
    index = {e.id: i for i, e in enumerate(entities)}
    parent = list(range(len(entities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    for entity in entities:
        if entity.kind in _NOT_POOLED:
            continue
        i = index[entity.id]
        for m in entity.mentions:
            key = record_of(m)
            if key is None:
                continue
            j = first.setdefault(key, i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    pooled: dict[int, set[str]] = defaultdict(set)
    for entity in entities:
        pooled[find(index[entity.id])].update(entity.cases)
    return {e.id: pooled[find(index[e.id])] for e in entities}


def prefecture_of(county: str) -> str | None:
    """The 4-digit prefecture code of a county name, or None when unknown or ambiguous (新华区 is in five cities)."""
    from links.places import place_index

    codes = {c[:4] for c in place_index().full.get(county, ()) if not c.endswith("00")}
    return codes.pop() if len(codes) == 1 else None


def _region(record: CaseRecord) -> str | None:
    """The prefecture a case is counted in: from its adcode or county, else the casebook it came from."""
    if record.adcode:
        return record.adcode[:4]
    found = prefecture_of(record.county) if record.county else None
    if found is None and record.casebook:
        return f"casebook:{record.casebook}"  # one casebook is one bureau's, of one prefecture
    return found


def build_graph(entities: list[Entity], cases: dict[str, CaseRecord]) -> nx.Graph:
    """Bipartite graph: a node per case (``case:ID``) and per entity (its id); an edge per case naming an entity."""
    graph = nx.Graph()
    for case_id, record in cases.items():
        graph.add_node(f"case:{case_id}", type="case", case=case_id, county=record.county, title=record.title)
    for entity in entities:
        graph.add_node(entity.id, type="entity", kind=entity.kind, value=entity.value, weight=entity.weight)
        per_case: dict[str, int] = defaultdict(int)
        for m in entity.mentions:
            per_case[m.source.case] += 1
        for case_id, count in per_case.items():
            graph.add_edge(f"case:{case_id}", entity.id, mentions=count)
    return graph


def find_chains(entities: list[Entity], cases: dict[str, CaseRecord], *,
                threshold: float = LINK_THRESHOLD) -> tuple[list[Chain], nx.Graph]:
    """Weigh every entity, link cases, and return the chains (largest spread first) and the case graph.

    Parameters
    ----------
    entities : resolved entities (their ``weight`` is set here).
    cases : every case of the casebook (N for rarity, counties for the chains).
    threshold : the weight one shared entity needs to link two cases.

    Returns
    -------
    (list of Chain, networkx.Graph)
        The chains, and the graph of linked cases whose edges carry ``weight`` and ``entity``.
    """
    n_cases = len(cases)
    reach = party_reach(entities)
    region = {case: _region(record) for case, record in cases.items()}
    per_region = Counter(region.values())
    linked = nx.Graph()
    linking: dict[str, set[str]] = defaultdict(set)  # entity -> the cases it ties on its own
    for entity in entities:
        members = entity.cases
        pooled = reach.get(entity.id, set()) | set(members)
        entity.reach = len(pooled)
        regions = {region.get(c) for c in pooled}
        # how common among the cases of the prefectures where the party appears: a distributor in half
        # of one prefecture's cases is a hub there, however many other prefectures the casebook holds
        known = regions - {None}
        unplaced = sum(1 for c in pooled if region.get(c) is None)
        entity.population = sum(per_region[r] for r in known) + unplaced if known else n_cases
        base = kind_strength(entity) * rarity(entity.reach, entity.population)
        entity.weight = base
        if len(members) < 2 or base < threshold:
            continue  # a hub: the upper bound (full trust on both sides) cannot reach the threshold
        trust = {c: entity.case_trust(c) for c in members}
        strong = [c for c in members if base * trust[c] >= threshold]
        for i, a in enumerate(strong):
            for b in strong[i + 1:]:
                weight = base * trust[a] * trust[b]
                if weight < threshold:
                    continue
                linking[entity.id].update((a, b))
                if weight > linked.get_edge_data(a, b, {"weight": 0.0})["weight"]:
                    linked.add_edge(a, b, weight=weight, entity=entity.id)
    by_id = {e.id: e for e in entities}
    in_chain = set(linked.nodes)
    of_case: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        members = entity.cases
        if len(members) >= 2 and (entity.weight >= CORROBORATING or entity.id in linking):
            for case in members:
                if case in in_chain:
                    of_case[case].append(entity)
    chains = []
    for component in nx.connected_components(linked):
        members = sorted(component)
        candidates = {e.id: e for case in members for e in of_case.get(case, [])}
        chains.append(_chain(members, linked, linking, sorted(candidates.values(), key=lambda e: e.id), by_id, cases))
    chains.sort(key=lambda c: (-len(c.counties), -len(c.cases), -c.score, c.cases[0]))
    for number, chain in enumerate(chains, start=1):
        chain.id = f"chain-{number:03d}"
    return chains, linked


def _chain(members: list[str], linked: nx.Graph, linking: dict[str, set[str]], entities: list[Entity],
           by_id: dict[str, Entity], cases: dict[str, CaseRecord]) -> Chain:
    inside = set(members)
    tree = nx.maximum_spanning_tree(linked.subgraph(members), weight="weight")
    score = round(min((d["weight"] for _, _, d in tree.edges(data=True)), default=0.0), 3)
    via = []
    for entity in entities:
        shared = [c for c in entity.cases if c in inside]
        ties = len(linking.get(entity.id, set()) & inside) >= 2
        if len(shared) < 2 or (not ties and entity.weight < CORROBORATING):
            continue
        item = {"entity": entity.id, "kind": entity.kind, "value": entity.value, "cases": shared,
                "weight": round(entity.weight, 3), "links": ties}
        if entity.label_claim:
            item["label_claim"] = entity.label_claim
            if entity.copied_from:
                item["copied_from"] = entity.copied_from
        via.append(item)
    via.sort(key=lambda v: (not v["links"], -v["weight"], v["entity"]))
    edges = [{"cases": sorted((a, b)), "entity": d["entity"], "weight": round(d["weight"], 3)}
             for a, b, d in linked.subgraph(members).edges(data=True)]
    edges.sort(key=lambda e: e["cases"])
    roles, upstream = _roles(members, entities, by_id, via)
    counties = sorted({cases[c].county for c in members if c in cases and cases[c].county})
    holders = {c: {"bureau": cases[c].organ or (f"{cases[c].county}市场监督管理局" if cases[c].county else ""),
                   "casebook": cases[c].casebook, "county": cases[c].county} for c in members if c in cases}
    return Chain("", members, counties, via, roles, score, upstream, edges, holders)


def _roles(members: list[str], entities: list[Entity], by_id: dict[str, Entity],
           via: list[dict]) -> tuple[dict[str, str], list[str]]:
    """maker -> wholesaler -> retailer, only where a ledger row or a label says who supplied or made what.

    A case is the *maker* when its party is named as maker (a ledger's 生产厂家, a label's 生产者)
    in another case of the chain, the *wholesaler* when it is named as supplier (供货单位), and the
    *retailer* when its own documents name a supplier or maker of the chain.  A phone written in the
    same ledger row as a party's name stands for that party.  Any shared entity of the chain may
    say who supplied whom once the chain holds (a hub names no party of the chain, so it says
    nothing).  Suppliers and makers that tie the chain but have no case in it are *upstream*: the
    next leads.
    """
    inside = set(members)
    shared = [(by_id[item["entity"]], item["links"]) for item in via]
    party_of: dict[str, set[str]] = {
        e.id: {m.source.case for m in e.mentions if m.role == "party" and m.source.case in inside} for e, _ in shared}
    at_row: dict[tuple, set[str]] = defaultdict(set)
    for e, _ in shared:
        for m in e.mentions:
            if m.role in ("supplier", "maker"):
                at_row[(m.source.case, m.source.file, m.source.row, m.source.line, m.role)].add(e.id)
    for e, _ in shared:
        if not party_of[e.id]:
            for m in e.mentions:
                for other in at_row.get((m.source.case, m.source.file, m.source.row, m.source.line, m.role), ()):
                    party_of[e.id] |= {c for c in party_of[other] if c != m.source.case}
    makers, suppliers, buyers = set(), set(), set()
    upstream = []
    for e, ties in shared:
        naming = [m for m in e.mentions if m.source.case in inside and m.role in ("supplier", "maker")]
        for m in naming:
            others = party_of[e.id] - {m.source.case}
            if others:  # a case of the chain names another's party as its supplier or maker
                (makers if m.role == "maker" else suppliers).update(others)
                buyers.add(m.source.case)
        if ties and naming and not party_of[e.id]:
            # a supplier or maker that ties the chain but has no case here: a lead, and its buyers are retailers
            upstream.append(e.id)
            buyers.update(m.source.case for m in naming)
    roles = {}
    for case in members:
        if case in makers:
            roles[case] = "maker"
        elif case in suppliers:
            roles[case] = "wholesaler"
        elif case in buyers:
            roles[case] = "retailer"
    return roles, upstream


def find_leads(entities: list[Entity], chains: list[Chain], *, threshold: float = LINK_THRESHOLD) -> list[dict]:
    """Shared entities that almost link: below the threshold for every pair of their cases, with the reason.

    Listed when their best pair weighs at least :data:`LEAD_FLOOR` (or when a genuine owner's identity,
    copied onto goods of several cases, is rare enough that it would link were it nobody's) and their
    cases are not already one chain.  The reason is
    the factor that kept the weight down: ``copied_genuine``, ``common`` (rarity), ``weak_kind``,
    ``failed_check``, ``placeless_name``, ``uncertain_match``, ``label_claim`` (printed on goods of one
    case, or copied from goods into a ledger), else ``below_threshold``.
    """
    chain_of = {case: chain.id for chain in chains for case in chain.cases}
    leads = []
    for entity in entities:
        members = entity.cases
        if len(members) < 2 or entity.kind in _NOT_POOLED or entity.weight < LEAD_FLOOR:
            continue  # a region, a personal name or a barcode prefix; or too light whatever the trust (a hub)
        per_case: dict[str, float] = {}
        for m in entity.mentions:  # each case's best trust in one pass (Entity.case_trust is per case)
            trust_m = m.trust * m.match * (PLACELESS_NAME if m.name is not None and not m.name.place.known else 1.0)
            per_case[m.source.case] = max(per_case.get(m.source.case, 0.0), trust_m)
        trust = sorted(((t, c) for c, t in per_case.items()), reverse=True)
        best = entity.weight * trust[0][0] * trust[1][0]
        # a genuine owner's identity copied onto goods is listed where, were it nobody's, it would link
        copied = entity.label_claim == "copied" and entity.weight >= threshold
        if best >= threshold or (best < LEAD_FLOOR and not copied):
            continue
        held = {chain_of.get(c) for c in members}
        if len(held) == 1 and None not in held:
            continue  # its cases are one chain already
        reason = _lead_reason(entity, trust[0][1], trust[1][1], copied)
        lead = {"entity": entity.id, "kind": entity.kind, "value": entity.value, "cases": members,
                "best": round(best, 3), "weight": round(entity.weight, 3), "reason": reason,
                "rarity": round(rarity(entity.reach, entity.population), 3), "party_cases": entity.reach,
                "population": entity.population}
        if copied:
            lead["copied_from"] = entity.copied_from
        leads.append(lead)
    leads.sort(key=lambda item: (-item["best"], item["entity"]))
    return leads[:MAX_LEADS]


def _lead_reason(entity: Entity, a: str, b: str, copied: bool) -> str:
    if copied:
        return "copied_genuine"
    if kind_strength(entity) < 0.5:
        return "weak_kind"
    if entity.kind in ("credit_code", "licence", "account") and not entity.valid:
        return "failed_check"
    if rarity(entity.reach, entity.population) < 0.7:
        return "common"
    best = {c: max((m for m in entity.mentions if m.source.case == c),
                   key=lambda m: m.trust * m.match) for c in (a, b)}
    if any(m.match < 1.0 for m in best.values()):
        return "uncertain_match"
    if any(m.name is not None and not m.name.place.known for m in best.values()):
        return "placeless_name"
    if any(m.trust < 1.0 for m in best.values()):
        return "label_claim"
    return "below_threshold"
