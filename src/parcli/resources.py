"""Locating the bundled data: criteria catalogues, templates and examples.

In an installed wheel these live inside the package (``parcli/_data/…``);
in a source checkout (editable install) they are the top-level folders
``criteria/``, ``templates/`` and ``examples/`` of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
KINDS = ("criteria", "templates", "examples")


def data_dir(kind: str) -> Path:
    """Return the folder of bundled ``kind`` data (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(kind)
    packaged = _PACKAGE_DIR / "_data" / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent / kind
