"""The one-click meeting pack: one ZIP with the PDF brief, the deck, the workbook and an agenda (PDF) for one view,
every file stamped with the snapshot's Jalali date, the filters and the account's scope. A county account's pack
holds its counties only: every part is made through the same scoped functions as the dashboard."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from karnama import metrics, status, verdict
from karnama.core import fa, texts
from karnama.core.settings import load
from karnama.data import catalog
from karnama.data.query import Filters, run
from karnama.data.snapshots import Snapshot, SnapshotError, SnapshotStore
from karnama.exports import build_export, file_name
from karnama.meeting import changes, freshness, notes

if TYPE_CHECKING:
    from karnama.exports import agenda as agenda_pdf

PARTS = (("brief", "pdf"), ("deck", "pptx"), ("workbook", "xlsx"))


@dataclass(frozen=True)
class Pack:
    data: bytes
    name: str  # karnama-pack-1402-NEY.zip
    members: tuple[str, ...]


def stamp(snapshot: Snapshot, filters: Filters, scope: Iterable[str] | None, account: str | None) -> tuple[str, ...]:
    """What every file of the pack says about itself: place, year, snapshot (Jalali), scope and account."""
    names = catalog.county_names(snapshot)
    if filters.counties:
        place = "، ".join(names.get(c, c) for c in filters.counties)
    elif scope is not None:  # a county account never gets the province: say whose sum it is
        place = f"{texts.SCOPE_SUM} ({'، '.join(names.get(c, c) for c in sorted(scope))})"
    else:
        place = texts.PROVINCE
    lines = [
        texts.PACK_STAMP_VIEW.format(place=place, year=fa.year(filters.year)),
        texts.PACK_STAMP_SNAPSHOT.format(
            label=fa.snapshot_label(snapshot.manifest.get("created_utc"), snapshot.is_demo),
            as_of=fa.date_long(snapshot.as_of),
        ),
    ]
    if scope is not None:
        lines.append(texts.PACK_STAMP_SCOPE.format(names="، ".join(names.get(c, c) for c in sorted(scope))))
    if account:
        lines.append(texts.PACK_STAMP_ACCOUNT.format(name=account))
    return tuple(lines)


def agenda(
    store: SnapshotStore,
    snapshot: Snapshot,
    filters: Filters,
    scope: Iterable[str] | None = None,
    account: str | None = None,
    decisions: Iterable[str] | None = None,
) -> agenda_pdf.Agenda:
    """The agenda: the verdict, lagging counties by the status rule, open decisions due, what changed since the
    previous snapshot, and data gaps."""
    from karnama.exports import agenda as agenda_pdf  # fpdf: loaded on the first pack, not with every page

    scope = None if scope is None else frozenset(scope)
    names = catalog.county_names(snapshot)
    if decisions is None:  # the open decisions of the year due by today, from the state store
        due = notes.open_decisions_due(load(store.root), scope, filters.year, dt.date.today())
        decisions = [
            notes.line(n, snapshot, names) for n in due if not filters.counties or n.county in filters.counties
        ]
    values = metrics.compute(snapshot, filters, scope)
    by_county = run(snapshot, "kpi_by_county", filters.params(), scope)
    elapsed = status.elapsed(filters.year, snapshot.as_of)
    se = metrics.BY_KEY["se_stabilised"]
    behind = verdict.laggards(by_county, se, elapsed) if not by_county.empty else []
    sections = [
        agenda_pdf.Section(texts.AGENDA_VERDICT, (verdict.headline(values, by_county),)),
        agenda_pdf.Section(
            texts.AGENDA_LAGGARDS.format(metric=se.card_label), tuple(behind) if behind else (texts.AGENDA_NO_LAGGARDS,)
        ),
        agenda_pdf.Section(texts.AGENDA_DECISIONS, tuple(decisions) or (texts.AGENDA_NO_DECISIONS,)),
    ]
    parent = snapshot.manifest.get("parent")
    try:
        if parent:
            store.open(parent)
            what = changes.changes(store, parent, snapshot.id, filters.year, status_fn=changes.default_status_fn())
            sections.append(agenda_pdf.Section(texts.AGENDA_CHANGES, (what.paragraph,)))
        else:
            sections.append(agenda_pdf.Section(texts.AGENDA_CHANGES, (texts.AGENDA_FIRST_SNAPSHOT,)))
    except SnapshotError:
        sections.append(agenda_pdf.Section(texts.AGENDA_CHANGES, (texts.AGENDA_FIRST_SNAPSHOT,)))
    rows = freshness.freshness(store, snapshot, filters.counties, scope)
    gaps = [freshness.not_reported_sentence(rows, snapshot.as_of, names)]
    gaps += [f"{texts.FRESH_TABLES[r.table]}: {freshness.reaches_label(r, names)}" for r in rows if r.missing]
    sections.append(agenda_pdf.Section(texts.AGENDA_GAPS, tuple(gaps)))
    return agenda_pdf.Agenda(
        texts.AGENDA_TITLE, stamp(snapshot, filters, scope, account), tuple(sections), snapshot.is_demo
    )


def pack_name(filters: Filters, scope: Iterable[str] | None = None) -> str:
    """karnama-pack-1402-NEY.zip: named after the year and the place the pack covers."""
    return file_name("pdf", filters, scope).removesuffix(".pdf").replace("karnama-", "karnama-pack-", 1) + ".zip"


def build(
    store: SnapshotStore,
    snapshot: Snapshot,
    filters: Filters,
    scope: Iterable[str] | None = None,
    account: str | None = None,
    decisions: Iterable[str] | None = None,
) -> Pack:
    """The ZIP: brief, deck and workbook (each made and audited by exports.build_export) and the agenda."""
    from karnama.exports import agenda as agenda_pdf

    scope = None if scope is None else frozenset(scope)
    base = file_name("pdf", filters, scope).removesuffix(".pdf")
    buf = io.BytesIO()
    members = []
    # A fixed timestamp inside the ZIP (the snapshot's as-of day): the same view of the same snapshot gives the
    # same file names and contents order, whoever makes it.
    when = dt.datetime.combine(snapshot.as_of, dt.time(12, 0)).timetuple()[:6]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for part, fmt in PARTS:
            name = f"{base}-{part}.{fmt}"
            z.writestr(zipfile.ZipInfo(name, when), build_export(fmt, snapshot, filters, scope))
            members.append(name)
        name = f"{base}-agenda.pdf"
        z.writestr(
            zipfile.ZipInfo(name, when), agenda_pdf.render(agenda(store, snapshot, filters, scope, account, decisions))
        )
        members.append(name)
        z.comment = " | ".join(stamp(snapshot, filters, scope, account)).encode("utf-8")[:60000]
    return Pack(buf.getvalue(), pack_name(filters, scope), tuple(members))
