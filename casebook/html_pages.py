"""The one jinja2 environment for the HTML the application writes from templates (``casebook/templates/``).

The application's one HTML path: pages (dossier fragments, index, letters, records, notices) are
templates here.  Autoescape is on and undefined names fail, so a value from a case can only ever be
text; a template marks its trusted pieces (its own CSS, a fragment another macro made) as markup.
Only the libraries below, which cannot import this, escape by hand (:func:`safeio.escaping.esc`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["TEMPLATES", "environment", "render", "template"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def template(name_or_source: str, *, inline: bool = False):
    """A template of ``casebook/templates/`` by name, or (``inline=True``) from a string held in a module."""
    env = environment()
    return env.from_string(name_or_source) if inline else env.get_template(name_or_source)


def render(name: str, **context) -> str:
    """Render one template of ``casebook/templates/`` with every value escaped."""
    return template(name).render(**context)
