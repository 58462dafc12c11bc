"""Finding a font that can draw Chinese, on Debian, Windows and macOS, without any download."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from safeio.errors import MissingDependencyError

# (file, face index) in order of preference; .ttc collections hold several faces.
_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc", 2),  # Debian fonts-noto-cjk: face 2 is SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-{weight}.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("C:/Windows/Fonts/msyh{win}.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
]


@lru_cache(maxsize=4)
def cjk_font_file(bold: bool = False) -> tuple[Path, int]:
    """The path and face index of an installed CJK font, or a clear error naming the package."""
    for pattern, index in _CANDIDATES:
        path = Path(pattern.format(weight="Bold" if bold else "Regular", win="bd" if bold else ""))
        if path.is_file():
            return path, index
    raise MissingDependencyError(
        "no font that can draw Chinese characters was found",
        hint="Install one: 'sudo apt-get install fonts-noto-cjk' on Debian/Ubuntu; "
        "on Windows, Microsoft YaHei (msyh.ttc) is normally present.",
    )
