"""Data import: Excel/CSV templates, cell-level validation with Persian messages, upsert and atomic publish,
snapshot history (diff, rollback).

``check`` reads and validates uploads and plans the publish without writing anything; ``publish`` is the one
write. Both the data page and ``python -m karnama import`` go through them.
"""

from karnama.importer.pipeline import ImportRefused, Report, Upload, check, publish
from karnama.importer.readers import Limits

__all__ = ["ImportRefused", "Limits", "Report", "Upload", "check", "publish"]
