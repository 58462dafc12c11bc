"""Benchmark: ``casebook link`` against a plain pandas self-join on normalised phones and names.

Data from ``bench/hidden_chains.py`` (the generator the tests never see): at scale, every county
of Henan and Anhui, 10,000 cases with ~50,000 ledger rows, chat logs, order exports and label
photos whose OCR readings sit in the reading cache (as after sealing or a dossier run, so no
photo is read again).  Both sides run in their own process, three times each; each reports wall
time and the peak RSS of its whole process tree (casebook's reading workers included), sampled
every 20 ms.  The anchor is what an analyst writes in pandas: read every ledger, keep digits of
phones and the name without place prefix and legal form, self-join on each, connected
components.  Both are scored against the planted chains.

Then accuracy on small hidden casebooks (80 cases, 5 chains each: three of ledgers, chats and orders,
two that live only on labels) from seeds never used while developing: exact chains, missed, extra,
decoy links (label decoys included: a genuine owner on every fake, one trade name in two counties,
two makers at two stalls of one market), role errors.

    python bench/bench_link.py                      # accuracy on 5 fresh seeds, then 10,000 cases
    python bench/bench_link.py --cases 2000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))


class _PeakRss:
    """Peak RSS of this process and all its children, sampled in a thread (psutil), in MiB."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for p in [self.proc, *self.proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# -- the anchor: pandas ---------------------------------------------------------------------------

PHONE_COLUMNS = ("电话", "手机", "联系方式")
NAME_COLUMNS = ("供货", "供应", "供方", "渠道")
_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省)?(?:[\u4e00-\u9fff]{2,4}市)?(?:[\u4e00-\u9fff]{1,4}[县区])?")
_FORM = re.compile(r"(?:有限责任公司|有限公司|经营部|批发部|商行|中心|厂)$")


def plain_pandas(book: Path) -> dict:
    """Ledgers -> one frame -> self-joins on phone digits and on stripped names -> components."""
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    frames = []
    for path in sorted(book.glob("*/evidence/*")):
        if path.suffix not in (".csv", ".xlsx") or "订单" in path.name:
            continue
        for header in (0, 1, 2):
            try:
                if path.suffix == ".xlsx":
                    df = pd.read_excel(path, header=header, dtype=str)
                else:
                    try:
                        df = pd.read_csv(path, header=header, dtype=str, encoding="utf-8-sig")
                    except UnicodeDecodeError:
                        df = pd.read_csv(path, header=header, dtype=str, encoding="gb18030")
            except Exception:  # a title row that pandas cannot parse as a header: try the next row
                continue
            cols = [str(c) for c in df.columns]
            phone = next((c for c in cols if any(k in c for k in PHONE_COLUMNS) and "厂" not in c), None)
            name = next((c for c in cols if any(k in c for k in NAME_COLUMNS)), None)
            if phone or name:
                frames.append(pd.DataFrame({"case": path.parent.parent.name,
                                            "phone": df[phone] if phone else None, "name": df[name] if name else None}))
                break
    rows = pd.concat(frames, ignore_index=True)
    digits = rows["phone"].fillna("").str.normalize("NFKC").str.replace(r"\D", "", regex=True)
    rows["phone"] = digits.str.replace(r"^(?:0086|86)(?=1\d{10}$)", "", regex=True).where(digits.str.len() >= 7)
    names = rows["name"].fillna("").str.normalize("NFKC").str.replace(r"[\s()（）]", "", regex=True)
    rows["name"] = names.str.replace(_PLACE, "", regex=True).str.replace(_FORM, "", regex=True).where(names.str.len() >= 2)
    pairs = []
    for key in ("phone", "name"):
        keyed = rows[["case", key]].dropna().drop_duplicates()
        joined = keyed.merge(keyed, on=key)
        pairs.append(joined.loc[joined.case_x < joined.case_y, ["case_x", "case_y"]])
    edges = pd.concat(pairs).drop_duplicates()
    cases = sorted(set(edges.case_x) | set(edges.case_y))
    index = {c: i for i, c in enumerate(cases)}
    a, b = edges.case_x.map(index).to_numpy(), edges.case_y.map(index).to_numpy()
    graph = coo_matrix(([1] * len(a), (a, b)), shape=(len(cases), len(cases)))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[str]] = {}
    for case, label in zip(cases, labels, strict=True):
        groups.setdefault(int(label), []).append(case)
    return {"rows": len(rows), "pairs": len(edges), "chains": [sorted(g) for g in groups.values()]}


def ours(book: Path, cache: Path) -> dict:
    from casebook.chains.linkage import link_casebook

    linkage = link_casebook(book, ocr=True, cache_dir=cache)
    return {"stats": linkage.stats, "chains": [c.cases for c in linkage.result.chains],
            "roles": [c.roles for c in linkage.result.chains]}


def _child(side: str, book: str, cache: str) -> None:
    """One timed run in this process; prints one JSON line."""
    import resource

    def cpu() -> float:  # this process and its finished children (the reading workers): load-independent
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    with _PeakRss() as rss:
        start, start_cpu = time.perf_counter(), cpu()
        result = ours(Path(book), Path(cache)) if side == "ours" else plain_pandas(Path(book))
        seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": rss.peak / 2**20, **result},
                     ensure_ascii=False))


def _run(side: str, book: Path, cache: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", side, str(book), str(cache)], capture_output=True,
                          text=True, check=True, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _score(chains: list[list[str]], roles: list[dict] | None, truth: dict):
    from links.graph import Chain
    from links.testing import score_chains

    found = [Chain(f"c{i}", c, [], [], (roles[i] if roles else {}), 0.0) for i, c in enumerate(chains)]
    planted = truth["chains"] if roles else [{k: v for k, v in p.items() if k != "roles"} for p in truth["chains"]]
    return score_chains(found, planted, truth["link_decoys"])


def accuracy(seeds: list[int]) -> None:
    from hidden_chains import write_hidden

    from casebook.chains.linkage import link_casebook
    from evidence.labels.ocr import get_engine
    from links.testing import score_chains

    fingerprint = get_engine("auto").fingerprint
    print(f"accuracy on hidden casebooks (80 cases each, seeds {seeds[0]}-{seeds[-1]}, never used in development):")
    print(f"  {'seed':>4} {'planted':>7} {'exact':>5} {'missed':>6} {'extra':>5} {'decoy links':>11} {'role errors':>11}")
    totals = [0, 0, 0, 0, 0, 0]
    label_kinds = {"label_code": [0, 0], "label_name_address": [0, 0]}  # kind -> [planted, found exactly]
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            book = write_hidden(Path(tmp) / "book", n_cases=80, seed=seed, cache_dir=Path(tmp) / "cache",
                                fingerprint=fingerprint)
            linkage = link_casebook(book.root, ocr=True, cache_dir=Path(tmp) / "cache")
            s = score_chains(linkage.result.chains, book.truth["chains"], book.truth["link_decoys"])
            found = {frozenset(c.cases) for c in linkage.result.chains}
            for planted in book.truth["chains"]:
                if planted.get("kind") in label_kinds:
                    label_kinds[planted["kind"]][0] += 1
                    label_kinds[planted["kind"]][1] += frozenset(planted["cases"]) in found
        row = [s.planted, s.exact, len(s.missed), len(s.extra), len(s.decoy_links), len(s.role_errors)]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(f"  {seed:>4} {row[0]:>7} {row[1]:>5} {row[2]:>6} {row[3]:>5} {row[4]:>11} {row[5]:>11}")
        for problem in (*s.missed, *s.extra, *s.decoy_links, *s.role_errors):
            print(f"         {problem}")
    print(f"  {'all':>4} {totals[0]:>7} {totals[1]:>5} {totals[2]:>6} {totals[3]:>5} {totals[4]:>11} {totals[5]:>11}")
    for kind, (planted, exact) in label_kinds.items():
        print(f"  chains only on labels ({kind}): {exact}/{planted} exact")


def speed(n_cases: int, repeats: int) -> None:
    from hidden_chains import write_hidden

    from evidence.labels.ocr import get_engine

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        book = write_hidden(Path(tmp) / "book", n_cases=n_cases, n_chains=n_cases // 50, seed=7,
                            cache_dir=Path(tmp) / "cache", fingerprint=get_engine("auto").fingerprint,
                            rows_per_ledger=7)
        print(f"data: {book.n_cases} cases, {book.n_ledger_rows} ledger rows, {book.n_photos} label photos with "
              f"cached readings, {len(book.truth['chains'])} planted chains "
              f"(written in {time.perf_counter() - start:.0f} s)")
        runs: dict[str, list[dict]] = {"ours": [], "plain": []}
        for _ in range(repeats):
            for side in runs:
                runs[side].append(_run(side, book.root, Path(tmp) / "cache"))
        med = {side: statistics.median(r["seconds"] for r in rs) for side, rs in runs.items()}
        cpu = {side: statistics.median(r.get("cpu_seconds", 0.0) for r in rs) for side, rs in runs.items()}
        peak = {side: max(r["peak_mib"] for r in rs) for side, rs in runs.items()}
        ours_last, plain_last = runs["ours"][-1], runs["plain"][-1]
        print(f"stats of casebook link: {ours_last['stats']}")
        print(f"end to end on {n_cases} cases, median of {repeats} (peak RSS of the process tree):")
        print(f"  casebook link (2 reading workers)        {med['ours']:7.1f} s   {peak['ours']:7.0f} MiB   "
              f"[<= 60 s, <= 2048 MiB: {'ok' if med['ours'] <= 60 and peak['ours'] <= 2048 else 'ABOVE'}]")
        print(f"  pandas self-join on phones and names     {med['plain']:7.1f} s   {peak['plain']:7.0f} MiB   "
              f"({plain_last['rows']} rows, {plain_last['pairs']} linked pairs)")
        print(f"  ratio pandas / casebook                  {med['plain'] / med['ours']:7.2f}x")
        print(f"  CPU seconds (process tree, load-independent): casebook {cpu['ours']:.1f} s, pandas {cpu['plain']:.1f} s")
        for side, last in (("casebook link", ours_last), ("pandas self-join", plain_last)):
            s = _score(last["chains"], last.get("roles"), book.truth)
            print(f"  {side:<18} chains found {len(last['chains']):>5}: exact {s.exact}/{s.planted}, missed "
                  f"{len(s.missed)}, extra {len(s.extra)}, decoy links {len(s.decoy_links)}, role errors "
                  f"{len(s.role_errors)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seeds", type=int, nargs="*", default=[101, 102, 103, 104, 105])
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--child", nargs=3, metavar=("SIDE", "BOOK", "CACHE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} on {os.cpu_count()} cores")
    if not args.skip_accuracy:
        accuracy(args.seeds)
    speed(args.cases, args.repeats)
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
