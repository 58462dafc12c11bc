"""The jinja2 pages of casebook/templates/: one environment, autoescape on, undefined names an error."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["render"]

_TEMPLATES = Path(__file__).with_name("templates")


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(name: str, **context) -> str:
    """Render one template of casebook/templates/ with every value escaped."""
    return _environment().get_template(name).render(**context)
