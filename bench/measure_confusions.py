"""Which characters the OCR engines really read for which: the table behind evidence.labels.confusions.

Draws random codes (EAN-13 digits, credit-code characters, SC numbers) in the fonts a label uses,
degrades them as a phone photo does (small size, blur, JPEG, slight tilt), reads each line with
RapidOCR's recogniser and Tesseract, and counts the substitutions between what was drawn and what
was read (equal-length readings, position by position).  Prints each pair seen with its count;
``--table`` prints the pairs as the Python literal evidence/labels/confusions.py holds.

    python bench/measure_confusions.py --n 400 --table
"""

from __future__ import annotations

import argparse
import io
import random
import time
from collections import Counter

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]


def _fonts() -> list[tuple[str, int]]:
    import os

    from casebook.fonts import cjk_font_file

    found = [(f, 0) for f in FONTS if os.path.exists(f)]
    path, index = cjk_font_file(False)
    return [*found, (str(path), index)]


def _draw(text: str, rng: random.Random, fonts) -> Image.Image:
    path, index = rng.choice(fonts)
    size = rng.choice([14, 16, 18, 22, 28])
    font = ImageFont.truetype(path, size, index=index)
    width = int(font.getlength(text)) + 2 * size
    image = Image.new("RGB", (width, int(size * 1.8)), (255, 255, 255))
    ImageDraw.Draw(image).text((size, int(size * 0.3)), text, font=font, fill=(25, 25, 25))
    if rng.random() < 0.6:
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.1)))
    if rng.random() < 0.4:
        image = image.rotate(rng.uniform(-2, 2), resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=rng.randint(30, 80))
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def _codes(rng: random.Random, n: int) -> list[str]:
    out = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            out.append("".join(rng.choice("0123456789") for _ in range(13)))
        elif kind == 1:
            out.append("91" + "".join(rng.choice(ALPHABET) for _ in range(16)))
        else:
            out.append("SC1" + "".join(rng.choice("0123456789") for _ in range(13)))
    return out


def measure(n: int, seed: int) -> tuple[Counter, dict]:
    from evidence.labels.ocr import available_engines, get_engine

    rng = random.Random(seed)
    fonts = _fonts()
    codes = _codes(rng, n)
    images = [_draw(code, rng, fonts) for code in codes]
    pairs: Counter = Counter()
    stats = {}
    for name in available_engines():
        engine = get_engine(name)
        start = time.perf_counter()
        read = same = 0
        for code, image in zip(codes, images, strict=True):
            w, h = image.size
            line = engine.read_lines(image, [((0, 0), (w, 0), (w, h), (0, h))], upscale=1.0)[0]
            text = "".join((line.text if line else "").split()).upper()
            if len(text) != len(code):
                continue
            read += 1
            same += text == code
            for a, b in zip(code, text, strict=True):
                if a != b:
                    pairs[(a, b)] += 1
        stats[name] = {"equal_length": read, "exact": same, "seconds": round(time.perf_counter() - start, 1)}
    return pairs, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    pairs, stats = measure(args.n, args.seed)
    print(f"{args.n} codes; per engine: {stats}")
    for (a, b), count in pairs.most_common():
        print(f"  drawn {a} read {b}: {count}")
    if args.table:
        print("MEASURED_PAIRS = (" + ", ".join(f'"{a}{b}"' for (a, b), c in pairs.most_common() if c >= 2) + ")")


if __name__ == "__main__":
    main()
