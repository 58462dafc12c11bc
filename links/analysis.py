"""Mentions of a whole casebook -> entities, weights, chains: the result analysts, dossiers and letters read."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from links.entities import KINDS, CaseRecord, Entity, Mention, resolve
from links.extract import settle_addresses
from links.graph import LINK_THRESHOLD, Chain, build_graph, find_chains, find_leads
from links.label_claims import GenuineOwners, default_owners, weigh_label_claims

__all__ = ["LinkResult", "link_mentions"]


@dataclass
class LinkResult:
    """Entities with their sources, chains of linked cases, and the problems met while reading."""

    cases: dict[str, CaseRecord]
    entities: list[Entity]
    chains: list[Chain]
    case_graph: nx.Graph  # linked cases; edges carry the weight and the entity that links them
    problems: list[dict] = field(default_factory=list)
    threshold: float = LINK_THRESHOLD
    leads: list[dict] = field(default_factory=list)  # shared entities that almost link, with the reason

    @cached_property
    def by_id(self) -> dict[str, Entity]:
        return {e.id: e for e in self.entities}

    @property
    def shared_entities(self) -> list[Entity]:
        """Entities named in two cases or more: the only ones that can tie cases together."""
        return [e for e in self.entities if len(e.cases) >= 2 and e.kind != "region"]

    @cached_property
    def graph(self) -> nx.Graph:
        """The networkx graph of cases and shared entities (nodes ``case:ID`` and entity ids)."""
        return build_graph(self.shared_entities, self.cases)

    def entity(self, entity_id: str) -> Entity:
        return self.by_id[entity_id]

    def chain(self, chain_id: str) -> Chain:
        for chain in self.chains:
            if chain.id == chain_id:
                return chain
        raise KeyError(chain_id)

    def chains_of(self, case_id: str) -> list[Chain]:
        """The chains a case belongs to (none or one: chains do not overlap)."""
        return [c for c in self.chains if case_id in c.cases]

    def select(self, *, county: str = "", kind: str = "") -> list[Chain]:
        """Chains spanning ``county`` and tied by an entity of ``kind`` (either filter may be empty)."""
        out = []
        for chain in self.chains:
            if county and county not in chain.counties:
                continue
            if kind and not any(v["kind"] == kind and v["links"] for v in chain.via):
                continue
            out.append(chain)
        return out

    def chain_sources(self, chain: Chain) -> list[dict]:
        """Every source of every entity tying the chain, limited to the chain's cases: file, row or line, text."""
        inside = set(chain.cases)
        rows = []
        for item in chain.via:
            entity = self.by_id[item["entity"]]
            for source in entity.sources():
                if source["case"] in inside:
                    rows.append({"entity": entity.id, "kind": entity.kind, "value": entity.value,
                                 "links": item["links"], **source})
        return rows

    def chain_sources_grouped(self, chain: Chain, *, linking_only: bool = True) -> list[dict]:
        """The sources of a chain with one row per entity, case, file and column: the rows or lines as a
        list, and the first text as read (a supplier in twenty rows of one ledger is one row here)."""
        grouped: dict[tuple, dict] = {}
        for s in self.chain_sources(chain):
            if linking_only and not s["links"]:
                continue
            key = (s["entity"], s["case"], s["file"], s.get("field", ""))
            item = grouped.setdefault(key, {"entity": s["entity"], "kind": s["kind"], "value": s["value"],
                                            "case": s["case"], "file": s["file"], "field": s.get("field", ""),
                                            "unit": "row" if "row" in s else "line" if "line" in s else "",
                                            "at": [], "text": s.get("text", ""), "links": s["links"]})
            at = s.get("row", s.get("line"))
            if at is not None and at not in item["at"]:
                item["at"].append(at)
        return list(grouped.values())

    def chain_label_mentions(self, chain: Chain) -> list[tuple[Entity, list[Mention]]]:
        """Each entity that ties ``chain`` with its mentions read from label photos of the chain's cases
        (the chart, the dossiers and the letters show them with the photo, the line and its SHA-256)."""
        inside = set(chain.cases)
        found = []
        for item in chain.via:
            if not item["links"]:
                continue
            entity = self.entity(item["entity"])
            found.append((entity, [m for m in entity.mentions
                                   if m.source.origin == "label" and m.source.case in inside]))
        return found

    def chain_sources_table(self, chain: Chain):
        """The sources of the entities that tie a chain, one row each: entity, case, file, row or line, text."""
        import pandas as pd

        rows = [{"entity": f"{s['kind']} {s['value']}", "case": s["case"], "file": s["file"],
                 "where": f"row {s['row']}" if "row" in s else f"line {s['line']}" if "line" in s else "",
                 "field": s.get("field", ""), "text": s.get("text", "")}
                for s in self.chain_sources(chain) if s["links"]]
        return pd.DataFrame(rows, columns=["entity", "case", "file", "where", "field", "text"])

    def to_dict(self, *, all_entities: bool = False) -> dict:
        """``{"entities", "chains", "leads", "problems"}``: shared entities unless ``all_entities``."""
        entities = self.entities if all_entities else self.shared_entities
        return {"entities": [e.to_dict() for e in entities], "chains": [c.to_dict() for c in self.chains],
                "leads": self.leads, "problems": self.problems}

    def chains_table(self, chains: list[Chain] | None = None):
        """One row per chain: id, cases, counties, roles, score and the entities that tie it (English headers)."""
        import pandas as pd

        rows = []
        for c in self.chains if chains is None else chains:
            rows.append({"chain": c.id, "cases": len(c.cases), "counties": "、".join(c.counties),
                         "case_ids": ", ".join(c.cases),
                         "roles": ", ".join(f"{k}: {v}" for k, v in c.roles.items()),
                         "via": "; ".join(f"{v['kind']} {v['value']}" for v in c.via if v["links"]),
                         "score": c.score})
        return pd.DataFrame(rows, columns=["chain", "cases", "counties", "case_ids", "roles", "via", "score"])

    def entities_table(self, *, kind: str = "", county: str = ""):
        """One row per shared entity: kind, value, weight, cases, variants (English headers)."""
        import pandas as pd

        rows = []
        for e in self.shared_entities:
            if kind and e.kind != kind:
                continue
            if county and not any(self.cases.get(c, CaseRecord(c)).county == county for c in e.cases):
                continue
            rows.append({"entity": e.id, "kind": e.kind, "what": KINDS.get(e.kind, e.kind), "value": e.value,
                         "weight": round(e.weight, 3), "cases": len(e.cases), "case_ids": ", ".join(e.cases),
                         "variants": " / ".join(e.variants[:6])})
        frame = pd.DataFrame(rows, columns=["entity", "kind", "what", "value", "weight", "cases", "case_ids",
                                            "variants"])
        return frame.sort_values(["weight", "cases"], ascending=[False, False]).reset_index(drop=True)


def link_mentions(mentions: list[Mention], cases: dict[str, CaseRecord], *, problems: list[dict] | None = None,
                  threshold: float = LINK_THRESHOLD, owners: GenuineOwners | None = None) -> LinkResult:
    """Resolve mentions into entities, weigh them and find the chains.

    Parameters
    ----------
    mentions : every mention of every case (addresses may still be unparsed).
    cases : every case of the casebook, by id: N for rarity, counties for chains.
    problems : per-file problems met while reading, carried into the result.
    threshold : the weight one shared entity needs to link two cases.
    owners : the genuine owners an identity printed on a label is compared with (default: the shipped
        registry, :func:`links.label_claims.default_owners`).

    Returns
    -------
    LinkResult
    """
    settled = settle_addresses(mentions)
    owners = owners if owners is not None else default_owners()
    entities = resolve(settled, not_anchors=owners.identifiers)
    weigh_label_claims(entities, owners)
    chains, case_graph = find_chains(entities, cases, threshold=threshold)
    leads = find_leads(entities, chains, threshold=threshold)
    return LinkResult(cases, entities, chains, case_graph, list(problems or []), threshold, leads)
