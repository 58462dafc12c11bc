"""cpca (China's divisions, offline), imported quietly: when it loads it imports pkg_resources, whose
deprecation warning would otherwise reach terminals and notebook outputs."""

from __future__ import annotations

import warnings

__all__ = ["load_cpca"]


def load_cpca():
    """The ``cpca`` module, loaded with the pkg_resources deprecation warning silenced."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
        import cpca
    return cpca
