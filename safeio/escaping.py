"""The one escape for text placed in HTML built by hand (templates use jinja2's autoescape instead)."""

from __future__ import annotations

import html

__all__ = ["esc"]


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute; ``None`` shows as empty."""
    return "" if value is None else html.escape(str(value), quote=True)
