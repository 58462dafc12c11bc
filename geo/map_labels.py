"""What maps, static images and tables call things: labels handed in by the presenting layer.

geo computes with codes (``food``, ``peri-urban``, ``intensifying``, Gi* bins -3..3). A map or a
picture needs words; it takes them as one :class:`MapLabels` argument, which the application builds
in the reader's language (``casebook.words.map_words``). The default shows the codes themselves,
so geo draws without knowing any language. Unknown codes pass through unchanged, so a register
that already writes its categories in words shows them as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CODES", "MapLabels"]

_BIN_CODES = {3: "hot 99%", 2: "hot 95%", 1: "hot 90%", 0: "not significant", -1: "cold 90%", -2: "cold 95%",
              -3: "cold 99%"}


@dataclass(frozen=True)
class MapLabels:
    """Words for codes (categories, settings/trends/causes, column names, fixed phrases, Gi* bins)."""

    categories: Mapping[str, str] = field(default_factory=dict)
    words: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, str] = field(default_factory=dict)
    phrases: Mapping[str, str] = field(default_factory=dict)
    bins: Mapping[int, str] = field(default_factory=lambda: dict(_BIN_CODES))
    axes: tuple[str, str] = ("km (E)", "km (N)")
    list_separator: str = ", "

    def category(self, code) -> str:
        return self.categories.get(str(code), str(code))

    def word(self, code) -> str:
        return self.words.get(str(code), str(code))

    def column(self, name) -> str:
        """A table header (a setting or trend used as a header reads as that word)."""
        return self.columns[str(name)] if str(name) in self.columns else self.word(name)

    def label(self, text) -> str:
        return self.phrases.get(str(text), str(text))


CODES = MapLabels()  # the codes as they are
