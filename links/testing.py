"""Scoring a link analysis against planted truth, for tests and benchmarks (as geopandas ships its asserts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from links.graph import Chain

__all__ = ["ChainScore", "assert_chains_match", "score_chains"]


@dataclass
class ChainScore:
    """How found chains compare with planted ones: exact matches, misses, extras, decoy pairs linked, role errors."""

    planted: int
    exact: int
    missed: list[list[str]] = field(default_factory=list)
    extra: list[list[str]] = field(default_factory=list)
    decoy_links: list[dict] = field(default_factory=list)
    role_errors: list[str] = field(default_factory=list)

    @property
    def perfect(self) -> bool:
        return (self.exact == self.planted and not self.missed and not self.extra and not self.decoy_links
                and not self.role_errors)

    def to_dict(self) -> dict:
        return {"planted": self.planted, "exact": self.exact, "missed": self.missed, "extra": self.extra,
                "decoy_links": self.decoy_links, "role_errors": self.role_errors, "perfect": self.perfect}


def score_chains(chains: list[Chain], planted: list[dict], decoys: list[dict] = ()) -> ChainScore:
    """Compare chains with planted ones (``{"cases": [...], "roles": {...}}``) and decoys (``{"kind", "cases"}``).

    A decoy is *linked* when two of its cases end up in one chain that no planted chain explains.
    """
    found = {frozenset(c.cases): c for c in chains}
    want = {frozenset(p["cases"]): p for p in planted}
    score = ChainScore(planted=len(want), exact=len(found.keys() & want.keys()))
    score.missed = [sorted(k) for k in want.keys() - found.keys()]
    score.extra = [sorted(k) for k in found.keys() - want.keys()]
    for key in found.keys() & want.keys():
        got, expected = found[key].roles, want[key].get("roles")
        if expected is not None and got != expected:
            score.role_errors.append(f"{sorted(key)}: roles {got}, planted {expected}")
    explained = set(want)
    for decoy in decoys:
        for chain in chains:
            if frozenset(chain.cases) in explained:
                continue
            together = sorted(set(decoy["cases"]) & set(chain.cases))
            if len(together) >= 2:
                score.decoy_links.append({"kind": decoy["kind"], "cases": together, "chain": chain.id})
    return score


def assert_chains_match(chains: list[Chain], planted: list[dict], decoys: list[dict] = ()) -> ChainScore:
    """Assert that the chains are exactly the planted ones, with their roles, and that no decoy links."""
    score = score_chains(chains, planted, decoys)
    assert score.perfect, score.to_dict()
    return score
