"""Exports for meetings with officials: a PDF brief, an editable PowerPoint deck and an Excel workbook of one view.

Every export is made by :func:`build_export`, the one place to hook (audit log, access control): it takes the
same ``scope`` as ``metrics.compute`` / ``query.run``, so a county-scoped user only ever gets their counties, and
it writes every export to the audit log, then tells any listener added with :func:`add_listener`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType

from karnama.access import audit
from karnama.core import texts
from karnama.data.query import Filters
from karnama.data.snapshots import Snapshot
from karnama.exports import content


@dataclass(frozen=True)
class ExportFormat:
    key: str
    extension: str
    mime: str
    label: str


FORMATS: dict[str, ExportFormat] = {
    "pdf": ExportFormat("pdf", "pdf", "application/pdf", texts.EXPORT_PDF),
    "pptx": ExportFormat(
        "pptx", "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", texts.EXPORT_PPTX
    ),
    "xlsx": ExportFormat(
        "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", texts.EXPORT_XLSX
    ),
}


@dataclass(frozen=True)
class ExportRecord:
    """What was exported, for an audit log."""

    fmt: str
    snapshot_id: str
    year: int
    counties: tuple[str, ...]
    scope: frozenset[str] | None
    size: int
    created_utc: dt.datetime
    data_dir: str | None = None  # where the snapshot lives (its audit log and settings)


_listeners: list[Callable[[ExportRecord], None]] = []
_lock = threading.Lock()


def add_listener(callback: Callable[[ExportRecord], None]) -> None:
    """Call ``callback`` after every export (e.g. to write the audit log)."""
    with _lock:
        if callback not in _listeners:
            _listeners.append(callback)


def remove_listener(callback: Callable[[ExportRecord], None]) -> None:
    with _lock:
        if callback in _listeners:
            _listeners.remove(callback)


def render(fmt: str, brief: content.Brief) -> bytes:
    """The bytes of one format for an already built brief (renderers are imported only when used)."""
    renderer: ModuleType
    if fmt == "pdf":
        from karnama.exports import pdf as renderer
    elif fmt == "pptx":
        from karnama.exports import pptx_deck as renderer  # type: ignore[no-redef]
    elif fmt == "xlsx":
        from karnama.exports import xlsx as renderer  # type: ignore[no-redef]
    else:
        raise ValueError(texts.EXPORT_UNKNOWN_FORMAT.format(value=fmt))
    return renderer.render(brief)


def build_export(fmt: str, snapshot: Snapshot, filters: Filters, scope: Iterable[str] | None = None) -> bytes:
    """The export of one view (year, counties) of one snapshot, narrowed to ``scope`` (None = unrestricted).

    Raises ValueError with a Persian message for an unknown format, year or county."""
    if fmt not in FORMATS:
        raise ValueError(texts.EXPORT_UNKNOWN_FORMAT.format(value=fmt))
    scope = None if scope is None else frozenset(scope)
    data = render(fmt, content.build(snapshot, filters, scope))
    record = ExportRecord(
        fmt,
        snapshot.id,
        filters.year,
        tuple(filters.counties),
        scope,
        len(data),
        dt.datetime.now(dt.UTC),
        str(snapshot.path.parent.parent),
    )
    # Every export is appended to the audit log; a log that cannot be written raises audit.AuditError here, so the
    # export is refused rather than handed out unrecorded.
    audit.record_export(record)
    with _lock:
        listeners = list(_listeners)
    for callback in listeners:
        callback(record)
    return data


def file_name(fmt: str, filters: Filters, scope: Iterable[str] | None = None) -> str:
    """An ASCII file name naming the year and the place it covers: karnama-1401-MSH-NEY.pdf,
    karnama-1401-province.xlsx; a county account's file without a county filter names its counties."""
    counties = filters.counties or (tuple(sorted(scope)) if scope is not None else ())
    place = "-".join(counties) if counties else "province"
    if len(place) > 40:
        place = f"{len(counties)}-counties"
    return f"karnama-{filters.year}-{place}.{FORMATS[fmt].extension}"
