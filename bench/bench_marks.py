"""Copycat names: recall, genuine pairs flagged, ordinary words flagged, time per name, peak memory.

Three matchers on the same registry (evidence/data/brands.csv) and the same names:
  casebook   evidence.labels.brands (drawn strokes, components, pinyin, order, edits)
  old        the matcher of the commit before the general measure (OLD_REV), loaded from git history
             (skipped when git or that commit is not at hand)
  rapidfuzz  the anchor: the registered mark with the best plain rapidfuzz ``fuzz.ratio``, a copy when
             that ratio reaches 50 (one character in two kept) and the name is not registered

Lists:
  own        bench/data/copycats_own.json: casebook's own copies and genuine pairs; the thresholds
             were chosen on it.  Its ``by_kind`` copies (two substitutions, added, dropped, homophone,
             romanised, reordered) are counted in it and their recall printed kind by kind
  dev        ../shared/labels/copycats_dev.json beside the repository (or under $CASEBOOK_SHARED),
             when present; never tuned on
  words      ordinary words of 2-4 characters from pypinyin's phrase list (fixed seed), none a
             registered mark: how often a name that copies nothing is flagged

Each matcher runs in its own process, so its peak RSS is its own.  Time per name is the median of
the warm pass (character caches filled by a first pass, as in a batch of labels); the first pass is
printed too.

    python bench/bench_marks.py                  # all three
    python bench/bench_marks.py --words 200      # fewer ordinary words
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OWN = REPO / "bench" / "data" / "copycats_own.json"
DEV = next((base / "labels" / "copycats_dev.json" for base in (REPO.parent / "shared", Path(os.environ.get(
    "CASEBOOK_SHARED", "/nonexistent"))) if (base / "labels" / "copycats_dev.json").is_file()),
           REPO.parent / "shared" / "labels" / "copycats_dev.json")
OLD_REV = "5acfaf3"  # the last commit with the hand-tuned matcher


def _old_package() -> Path | None:
    """The old brands/hanzi/marks modules, renamed into a package of their own, or None."""
    where = Path(tempfile.mkdtemp(prefix="oldmarks-"))
    package = where / "oldmarks"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in ("brands", "hanzi", "marks"):
        proc = subprocess.run(["git", "-C", str(REPO), "show", f"{OLD_REV}:evidence/labels/{name}.py"],
                              capture_output=True, text=True, check=False)
        if proc.returncode:
            return None
        text = proc.stdout.replace("from evidence.labels.", "from oldmarks.")
        (package / f"{name}.py").write_text(text, encoding="utf-8")
    return where


def _registry(side: str):
    if side == "old":
        from oldmarks.brands import BrandRegistry  # type: ignore[import-not-found]
    else:
        from evidence.labels.brands import BrandRegistry
    return BrandRegistry.load()


def _matcher(side: str):
    """A function name -> set of genuine marks the name is taken to copy, and the registry's names."""
    if side == "rapidfuzz":
        from rapidfuzz import fuzz, process

        from evidence.labels.brands import BrandRegistry, _squash_latin

        registry = BrandRegistry.load()
        names = list(registry.brands)
        latin = {_squash_latin(b.latin): b.name for b in registry.brands.values() if b.latin}

        def match(name: str) -> set[str]:
            if name in registry.brands or _squash_latin(name) in latin:
                return set()
            best = process.extractOne(name, names, scorer=fuzz.ratio)
            hits = {best[0]} if best and best[1] >= 50 else set()
            spelled = process.extractOne(_squash_latin(name), list(latin), scorer=fuzz.ratio)
            if spelled and spelled[1] >= 75:
                hits.add(latin[spelled[0]])
            return hits

        return match, registry
    registry = _registry(side)

    def match(name: str) -> set[str]:
        return {look.brand for look in registry.match(name).lookalikes}

    return match, registry


def _genuine_of(registry, mark: str) -> str:
    """A list names a mark by its Chinese name or its Latin one (Oreo for 奥利奥, which prints it);
    a hit on another mark of the same owner group counts too."""
    for brand in registry.brands.values():
        if brand.latin and brand.latin.upper() == mark.upper():
            return brand.name
    return mark


def _words(registry, count: int) -> list[str]:
    from pypinyin.phrases_dict import phrases_dict

    pool = sorted(w for w in phrases_dict if 2 <= len(w) <= 4 and w not in registry.brands)
    return random.Random(17).sample(pool, count)


def run_side(side: str, words: int, dev: Path) -> dict:
    match, registry = _matcher(side)
    lists = {"own": OWN, **({"dev": dev} if dev.is_file() else {})}
    out: dict = {"side": side}
    names: list[str] = []
    def caught(genuine: str, copy: str) -> bool:
        return any(hit == genuine or registry.same_family(hit, genuine) for hit in match(copy))

    for label, path in lists.items():
        data = json.loads(path.read_text(encoding="utf-8"))
        pairs = [(_genuine_of(registry, g), c) for g, copies in data["copycats"].items() for c in copies]
        kinds = {kind: [(_genuine_of(registry, g), c) for g, c in rows] for kind, rows in data.get("by_kind", {}).items()}
        pairs += [pair for rows in kinds.values() for pair in rows]
        found = sum(1 for genuine, copy in pairs if caught(genuine, copy))
        flagged = [f"{x}~{y}" for a, b in data["genuine_pairs"] for x, y in ((a, b), (b, a)) if y in match(x)]
        out[label] = {"found": found, "of": len(pairs), "genuine_flagged": flagged,
                      "by_kind": {kind: {"found": sum(caught(g, c) for g, c in rows), "of": len(rows),
                                         "missed": [c for g, c in rows if not caught(g, c)]}
                                  for kind, rows in kinds.items()}}
        names += [c for _, c in pairs]
    ordinary = _words(registry, words)
    out["words"] = {"flagged": sum(1 for w in ordinary if match(w)), "of": len(ordinary)}
    names += ordinary
    started = time.perf_counter()
    for name in names:
        match(name)
    out["first_pass_ms"] = (time.perf_counter() - started) / len(names) * 1000
    times = []
    for name in names:
        t0 = time.perf_counter()
        match(name)
        times.append((time.perf_counter() - t0) * 1000)
    out["median_ms"] = statistics.median(times)
    out["p95_ms"] = sorted(times)[int(0.95 * (len(times) - 1))]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=600, help="ordinary words to screen (default 600)")
    parser.add_argument("--dev", type=Path, default=DEV, help=f"the development list (default {DEV})")
    parser.add_argument("--side", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side:
        print(json.dumps(run_side(args.side, args.words, args.dev), ensure_ascii=False))
        return
    if not args.dev.is_file():
        print(f"development list {args.dev} not found: measuring on casebook's own list only")
    old = _old_package()
    results = []
    for side in ("casebook", "old", "rapidfuzz"):
        if side == "old" and old is None:
            print("old matcher: git history not at hand, skipped")
            continue
        path = [str(REPO)] + ([str(old)] if side == "old" else [])
        env = {"PYTHONPATH": ":".join(path), "PATH": "/usr/bin:/bin"}
        proc = subprocess.run([sys.executable, __file__, "--side", side, "--words", str(args.words),
                               "--dev", str(args.dev)],
                              capture_output=True, text=True, env=env, check=False)
        if proc.returncode:
            print(f"{side}: failed\n{proc.stderr[-2000:]}")
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    header = f"{'matcher':<10} {'list':<5} {'recall':>14} {'genuine pairs flagged':<24} {'words flagged':>14}"
    print(header + f" {'ms/name warm (p95)':>19} {'first pass':>10} {'peak RSS':>9}")
    for r in results:
        for label in ("own", "dev"):
            if label not in r:
                continue
            lst = r[label]
            recall = f"{lst['found']}/{lst['of']} {lst['found'] / lst['of']:.3f}"
            flagged = ", ".join(lst["genuine_flagged"]) or "none"
            words = f"{r['words']['flagged']}/{r['words']['of']} {r['words']['flagged'] / r['words']['of']:.3f}"
            print(f"{r['side']:<10} {label:<5} {recall:>14} {flagged[:24]:<24} {words:>14} "
                  f"{r['median_ms']:>9.2f} ({r['p95_ms']:.1f}) {r['first_pass_ms']:>8.1f}ms {r['peak_rss_mb']:>7.0f}MB")
    for r in results:
        for label in ("own", "dev"):
            for kind, k in r.get(label, {}).get("by_kind", {}).items():
                print(f"  {r['side']:<10} {label:<5} {kind:<18} {k['found']:>3}/{k['of']:<3} missed: "
                      f"{', '.join(k['missed']) or '-'}")
    base = next((r for r in results if r["side"] == "rapidfuzz"), None)
    ours = next((r for r in results if r["side"] == "casebook"), None)
    if base and ours:
        print(f"time per name, casebook / rapidfuzz anchor: {ours['median_ms'] / max(base['median_ms'], 1e-6):.1f}x")


if __name__ == "__main__":
    main()
