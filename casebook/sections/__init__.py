"""The dossier's sections, one module each, in the order of the SAMR case file.

``Dossier`` (in :mod:`casebook.sections.base`) is what the template calls; each of its methods
renders one section through the module of the same name.
"""

from casebook.sections.base import Dossier

__all__ = ["Dossier"]
