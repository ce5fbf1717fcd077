"""Checks across columns and tables that a single cell cannot fail: dates in the wrong order, dates still to
come, visits of projects that do not exist or were not yet approved. Each names file, sheet, row and column."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pyarrow as pa

from karnama.core import fa, texts
from karnama.core.schema import TABLES
from karnama.importer import cells
from karnama.importer.report import Findings
from karnama.importer.validate import Parsed

# (earlier, later) date columns of one row: a later step cannot happen before an earlier one.
ORDER = {
    "se_clients": (("enrolled_on", "placed_on"), ("placed_on", "stabilised_on"), ("enrolled_on", "stabilised_on")),
}
# Monthly tables whose (year, month) cannot lie in the future; targets may (they are plans).
MONTHLY = ("incentives", "centre_employment")
MAX_IDS = 8


def _where(parsed: Parsed, i: int, column: str) -> dict:
    source, sheet, row = parsed.where[i]
    return {
        "source": source,
        "sheet": sheet,
        "row": row,
        "column": TABLES[parsed.table].col_by_name[column].label_fa,
        "cell": parsed.cell(i, column),
        "table": parsed.table,
    }


def date_order(parsed: Parsed, findings: Findings) -> None:
    """Errors for rows whose dates run backwards (placed before enrolled, stabilised before placed)."""
    labels = TABLES[parsed.table].col_by_name
    for early, late in ORDER.get(parsed.table, ()):
        before, after = parsed.columns[early], parsed.columns[late]
        for i, (a, b) in enumerate(zip(before, after)):
            if a is not None and b is not None and b < a:
                findings.error(
                    texts.IMP_ORDER.format(
                        col=labels[late].label_fa, value=fa.date(b), other=labels[early].label_fa, before=fa.date(a)
                    ),
                    value=fa.date(b),
                    expected=texts.IMP_EXP_ORDER.format(col=labels[late].label_fa, other=labels[early].label_fa),
                    **_where(parsed, i, late),
                )


def future(parsed: Parsed, today: dt.date, findings: Findings) -> None:
    """Errors for dates after today, and for months of monthly tables not yet begun (1406 typed for 1402)."""
    spec = TABLES[parsed.table]
    for col in spec.columns:
        if not pa.types.is_date(col.type):
            continue
        for i, day in enumerate(parsed.columns[col.name]):
            if day is not None and day > today:
                findings.error(
                    texts.IMP_FUTURE_DATE.format(today=fa.date(today)),
                    value=fa.date(day),
                    expected=texts.IMP_EXP_PAST,
                    **_where(parsed, i, col.name),
                )
    if parsed.table in MONTHLY:
        now = jdatetime.date.fromgregorian(date=today)
        for i, (year, month) in enumerate(zip(parsed.columns["year"], parsed.columns["month"])):
            if year is not None and month is not None and (year, month) > (now.year, now.month):
                findings.error(
                    texts.IMP_FUTURE_MONTH.format(month=fa.month_label(month, year), today=fa.date(today)),
                    value=fa.month_label(month, year),
                    expected=texts.IMP_EXP_PAST,
                    **_where(parsed, i, "year"),
                )


def visits(parsed: Parsed, loans: pa.Table, findings: Findings) -> None:
    """Monitoring rows against the loans the snapshot will hold after publishing: a visit before its project's
    approval is an error; a visit of a project not in loans is a warning (its loan may come in a later upload)."""
    approved = dict(zip(loans["project_id"].to_pylist(), loans["approved_on"].to_pylist()))
    unknown: dict[str, int] = {}
    for i, (pid, day) in enumerate(zip(parsed.columns["project_id"], parsed.columns["visited_on"])):
        if pid not in approved:
            unknown[pid] = unknown.get(pid, 0) + 1
            continue
        start = approved[pid]
        if day is not None and start is not None and day < start:
            findings.error(
                texts.IMP_VISIT_BEFORE_APPROVAL.format(approved=fa.date(start)),
                value=fa.date(day),
                expected=texts.IMP_EXP_VISIT,
                **_where(parsed, i, "visited_on"),
            )
    if unknown:
        ids = sorted(unknown)
        shown = "، ".join(cells.show(x) for x in ids[:MAX_IDS])
        if len(ids) > MAX_IDS:
            shown += texts.IMP_AND_MORE.format(count=fa.num(len(ids) - MAX_IDS))
        findings.warning(
            texts.IMP_VISIT_NO_PROJECT.format(
                table=TABLES["monitoring"].label_fa, count=fa.num(len(ids)), loans=TABLES["loans"].label_fa, ids=shown
            ),
            table="monitoring",
            column=TABLES["monitoring"].col_by_name["project_id"].label_fa,
        )
