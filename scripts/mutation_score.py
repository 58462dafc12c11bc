"""Print the mutation score per module from mutmut's results in mutants/ (after `make mutate`).

mutmut's own summary counts every module together; the integrity promise is per module.
Killed and timed-out mutants count as caught; survivors and mutants no test reaches do not.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's exit codes (mutmut.stats.status_by_exit_code): killed 1, 3; timeout 24, -24, 36, 152, 255;
# caught by the type checker 37; crashed -9, -11; survived 0; no test reached it 5, 33; not run None, 2, 34.
CAUGHT = {1, 3, 24, -24, 36, 152, 255, 37, -9, -11}
SURVIVED = {0, 5, 33}


def main(root: str = "mutants") -> int:
    metas = sorted(Path(root).rglob("*.py.meta"))
    if not metas:
        print("no mutmut results here: run `make mutate` first", file=sys.stderr)
        return 2
    print(f"{'module':32} {'caught':>7} {'survived':>9} {'not run':>8} {'score':>7}")
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = Counter("caught" if c in CAUGHT else "survived" if c in SURVIVED else "not run"
                         for c in codes.values())
        run = counts["caught"] + counts["survived"]
        score = f"{100 * counts['caught'] / run:.1f}%" if run else "-"
        module = meta.relative_to(root).as_posix().removesuffix(".meta")
        print(f"{module:32} {counts['caught']:7} {counts['survived']:9} {counts['not run']:8} {score:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
