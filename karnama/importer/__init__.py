"""Data import: Excel/CSV templates, cell-level validation with Persian messages, upsert and atomic publish,
snapshot history (diff, rollback).

``check`` reads and validates uploads and plans the publish without writing anything; ``publish`` is the one
write. Both the data page and ``python -m karnama import`` go through them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from karnama.importer.pipeline import ImportRefused, Report, Upload, check, publish
    from karnama.importer.readers import Limits

__all__ = ["ImportRefused", "Limits", "Report", "Upload", "check", "publish"]

# The pipeline (readers, calamine, the validators) is loaded on first use, not by every module that only needs
# importer.history or importer.cells: the dashboard's pages import those, and must not pay for the reader.
_LAZY = {name: "karnama.importer.pipeline" for name in ("ImportRefused", "Report", "Upload", "check", "publish")}
_LAZY["Limits"] = "karnama.importer.readers"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
