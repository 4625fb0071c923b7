"""Sphinx extension for sustainability reports after the Berichtsrahmen Nachhaltige Kommune (BNK)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the ``bnk`` extension with Sphinx.

    :param app: the Sphinx application
    """
    # Import lazily so that `import bnk` (e.g. for the data layer or the CLI) stays cheap.
    from bnk._setup import setup_extension

    setup_extension(app)
    return {
        "version": __version__,
        # Bump whenever the shape of the domain data changes.
        "env_version": 6,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
