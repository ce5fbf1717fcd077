"""Warnings that do not block publishing: gaps against last year, data for a county before it existed."""

from __future__ import annotations

from collections.abc import Mapping

import jdatetime
import pyarrow as pa

from karnama.core import fa, texts
from karnama.importer.report import Findings

MONTHLY_TABLES = ("incentives", "centre_employment")
MAX_NAMES = 8


def _names(codes: list[str], names: Mapping[str, str]) -> str:
    shown = [names.get(c, c) for c in sorted(codes, key=lambda c: names.get(c, c))]
    extra = len(shown) - MAX_NAMES
    return "، ".join(shown[:MAX_NAMES]) + (texts.IMP_AND_MORE.format(count=fa.num(extra)) if extra > 0 else "")


def monthly_gaps(
    table: str, uploaded: pa.Table, merged: pa.Table, names: Mapping[str, str], findings: Findings, label: str
) -> None:
    """For each month in the upload: counties that had data that month last year but have none now."""
    months = {(r["year"], r["month"]) for r in uploaded.select(["year", "month"]).to_pylist()}
    present: dict[tuple[int, int], set[str]] = {}
    for r in merged.select(["county_code", "year", "month"]).to_pylist():
        present.setdefault((r["year"], r["month"]), set()).add(r["county_code"])
    for year, month in sorted(months):
        missing = present.get((year - 1, month), set()) - present.get((year, month), set())
        if missing:
            findings.warning(
                texts.IMP_GAP.format(
                    table=label,
                    month=fa.month_label(month, year),
                    count=fa.num(len(missing)),
                    last=fa.month_label(month, year - 1),
                    names=_names(list(missing), names),
                ),
                table=table,
            )


def split_counties(
    table: str,
    uploaded: pa.Table,
    first_years: Mapping[str, int],
    names: Mapping[str, str],
    findings: Findings,
    label: str,
) -> None:
    """Rows for a county in a year before it had data of its own (its figures belong to the parent county): by the
    ``year`` column of monthly tables, or by the Jalali year of any date of a dated table (SE clients, loans,
    monitoring visits)."""
    if "county_code" not in uploaded.column_names:
        return
    dates = [f.name for f in uploaded.schema if pa.types.is_date(f.type)]
    if "year" not in uploaded.column_names and not dates:
        return
    columns = ["county_code", *(["year"] if "year" in uploaded.column_names else []), *dates]
    early: dict[str, int] = {}
    for r in uploaded.select(columns).to_pylist():
        first = first_years.get(r["county_code"])
        if first is None:
            continue
        years = [r["year"]] if "year" in r else []
        years += [jdatetime.date.fromgregorian(date=r[d]).year for d in dates if r[d] is not None]
        if any(y is not None and y < first for y in years):
            early[r["county_code"]] = early.get(r["county_code"], 0) + 1
    for code, count in sorted(early.items()):
        findings.warning(
            texts.IMP_BEFORE_SPLIT.format(
                table=label, county=names.get(code, code), count=fa.num(count), year=fa.year(first_years[code])
            ),
            table=table,
        )
