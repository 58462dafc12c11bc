"""Copies read as the genuine mark: how many are held for review, how many genuine labels are, at what CPU.

evidence.labels.mark_doubts holds a label for review (``needs_review``, what ``mark_alternative``) when a
registered mark is read while the recogniser's scores show a lookalike kept a share.  Three sets, read
by the whole label pipeline (evidence.labels.label_report.report_from_ocr on RapidOCR):
  copies   every one-character shape copy of a registered mark in bench/data/copycats_own.json and in
           bench/hidden_labels.py (glyph and radical families), rendered as a label title in six installed
           CJK fonts (a plain label layout); only those RapidOCR reads as the genuine mark count (the
           others are read as printed and screened as copies anyway).  A copy whose character is not in
           the recogniser's alphabet (牜) can never be seen this way: counted apart.
  genuine  the genuine marks of those copies, rendered the same way in the same fonts: any hold is false.
  hidden   bench/hidden_labels.py's generator (harsh photos, other layouts) at --seed: any hold on a label
           that prints its genuine mark is false.
Printed: held / looked-at per set, the CPU of the second look (time.process_time around each call, median
and mean per call, and per photo of the set) beside the anchor (CPU of RapidOCR's own reading of the
photo, median), and peak RSS.  Fonts missing on the machine are skipped.

    python bench/bench_mark_doubts.py                      # all three sets, hidden seed 7 (200 labels)
    python bench/bench_mark_doubts.py --sets hidden --seed 11 --hidden 150
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "bench")]

FONTS = [("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2), ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
         ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2), ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
         ("/usr/share/fonts/truetype/arphic/uming.ttc", 0), ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)]
# a product word for the title, by the registry's category (the screener reads the mark before it)
WORD = {"food": "食品", "toiletries": "洗发水", "drinks": "饮料", "liquor": "白酒", "snacks": "饼干", "small_appliances": "电饭煲",
        "bakery": "面包", "dairy": "纯牛奶", "condiments": "酱油", "fertilizer": "复合肥料", "toys": "积木玩具",
        "medicine": "感冒灵颗粒", "electrical": "插座", "instant_noodles": "方便面", "meat": "火腿肠", "tea": "绿茶",
        "beer": "啤酒", "edible_oil": "花生油", "detergents": "洗衣液", "sweets": "奶糖", "daily_chemicals": "洗洁精"}


def one_character_copies() -> list[tuple[str, str]]:
    """(genuine, copy): one Han character replaced, a shape trick by the registry's own comparison."""
    import hidden_labels

    from evidence.labels.brands import default_registry
    from evidence.labels.hanzi import is_han
    from evidence.labels.mark_tricks import SHAPE_TRICKS

    registry = default_registry()
    own = json.loads((REPO / "bench" / "data" / "copycats_own.json").read_text(encoding="utf-8"))["copycats"]
    pairs = [(g, c) for g, copies in own.items() for c in copies]
    pairs += hidden_labels.HIDDEN_COPIES["glyph"] + hidden_labels.HIDDEN_COPIES["radical"]
    out = []
    for genuine, copy in dict.fromkeys(pairs):
        if genuine not in registry or len(genuine) != len(copy) or not all(is_han(c) for c in genuine + copy):
            continue
        if sum(a != b for a, b in zip(genuine, copy, strict=True)) != 1:
            continue
        look = registry.compare(genuine, copy)
        if look is not None and {t.kind for t in look.tricks} & SHAPE_TRICKS:
            out.append((genuine, copy))
    return out


def rendered(title: str, font_file: str, index: int):
    from PIL import Image, ImageDraw, ImageFont

    picture = Image.new("RGB", (900, 420), "white")
    draw = ImageDraw.Draw(picture)
    draw.text((40, 30), title, font=ImageFont.truetype(font_file, 56, index=index), fill="black")
    small = ImageFont.truetype(font_file, 30, index=index)
    for k, line in enumerate(["配料：水、大豆、小麦、食用盐", "净含量：500毫升", "生产商：周口市某某食品有限公司",
                              "地址：河南省周口市川汇区建设路8号"]):
        draw.text((40, 130 + 60 * k), line, font=small, fill="black")
    return picture


def photos(which: str, args) -> list[tuple[dict, object]]:
    from evidence.labels.brands import default_registry

    registry = default_registry()
    fonts = [f for f in FONTS if Path(f[0]).is_file()]
    word = {name: WORD.get(b.category, "产品") for name, b in registry.brands.items()}
    copies = one_character_copies()
    if which == "copies":
        return [({"genuine": g, "copy": c, "font": Path(f).name}, lambda c=c, g=g, f=f, i=i: rendered(c + word[g], f, i))
                for g, c in copies for f, i in fonts]
    if which == "genuine":
        return [({"genuine": g, "font": Path(f).name}, lambda g=g, f=f, i=i: rendered(g + word[g], f, i))
                for g in sorted({g for g, _ in copies}) for f, i in fonts]
    import hidden_labels
    from PIL import Image

    folder = Path(tempfile.mkdtemp(prefix="markdoubts-"))
    truth = hidden_labels.write_hidden_set(folder, n=args.hidden, seed=args.seed)
    return [({"copy": t["copy"], "image": t["image"]}, lambda p=folder / t["image"]: Image.open(p).convert("RGB"))
            for t in truth]


def run(which: str, args) -> dict:
    import evidence.labels.label_report as label_report
    from evidence.labels.ocr import get_engine

    engine = get_engine("rapidocr")
    calls: list[float] = []
    original = label_report.make_alternatives

    def timed(picture, eng):
        inner = original(picture, eng)
        if inner is None:
            return None

        def alternatives(line, mark):
            start = time.process_time()
            try:
                return inner(line, mark)
            finally:
                calls.append(time.process_time() - start)
        return alternatives

    label_report.make_alternatives = timed
    alphabet = set(engine._ocr._load_rec_model().postprocess_op.character)  # the characters it scores
    reads, looked, held, unreachable, copies_held, rows = [], 0, 0, 0, 0, []
    for meta, make in photos(which, args):
        picture = make()
        start = time.process_time()
        result = engine.read(picture)
        reads.append(time.process_time() - start)
        before = len(calls)
        report = label_report.report_from_ocr("bench.png", picture, result, engine, complete=True)
        if len(calls) == before:
            continue  # no registered mark read: nothing for the second look
        hits = [f.values for f in report.findings if f.code == "needs_review" and f.values.get("what") == "mark_alternative"]
        if which == "copies" and not set(meta["copy"]) <= alphabet:
            unreachable += 1
            continue
        if which == "hidden" and meta["copy"]:
            copies_held += bool(hits)  # a hidden copy read as its genuine mark: a hold is right
            continue
        looked += 1
        held += bool(hits)
        if hits or which == "copies":
            rows.append((meta, result.text.split("\n")[0], [(h["char"], h["other"], h["share"]) for h in hits]))
    label_report.make_alternatives = original
    return {"set": which, "looked": looked, "held": held, "unreachable": unreachable, "copies_held": copies_held, "calls": calls, "reads": reads,
            "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["copies", "genuine", "hidden"], choices=["copies", "genuine", "hidden"])
    parser.add_argument("--hidden", type=int, default=200, help="hidden labels (default 200)")
    parser.add_argument("--seed", type=int, default=7, help="hidden set seed (default 7, a dev seed)")
    parser.add_argument("--rows", action="store_true", help="print each looked-at copy and each hold")
    args = parser.parse_args(argv)
    for which in args.sets:
        out = run(which, args)
        calls, reads = out["calls"], out["reads"]
        what = "copies held (caught)" if which == "copies" else "genuine labels held (false)"
        print(f"{which:8} {what}: {out['held']}/{out['looked']} looked at"
              + (f" (+{out['unreachable']} whose character the recogniser does not know)" if which == "copies" else "")
              + (f"; hidden copies read as genuine and held: {out['copies_held']}" if which == "hidden" else ""))
        if calls:
            print(f"         second look: {1000 * statistics.median(calls):.0f} ms CPU median per call, "
                  f"{1000 * sum(calls) / len(reads):.0f} ms per photo of the set; anchor: RapidOCR's reading "
                  f"{1000 * statistics.median(reads):.0f} ms CPU median per photo "
                  f"(ratio {sum(calls) / len(reads) / statistics.median(reads):.2f})")
        if args.rows:
            for meta, text, hits in out["rows"]:
                print("        ", meta, text, hits)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
