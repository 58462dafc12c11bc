"""The dossier's sections, one module each, in the order of the SAMR case file.

``Dossier`` (in :mod:`casebook.sections.base`) is what the template calls; each of its methods
renders one section through the module of the same name. It is imported on first use, so the
command line can use a section's display table without loading every library.
"""

__all__ = ["Dossier"]


def __getattr__(name: str):
    if name == "Dossier":
        from casebook.sections.base import Dossier

        return Dossier
    raise AttributeError(f"module 'casebook.sections' has no attribute {name!r}")
