"""Warnings that do not block publishing: gaps against last year, data for a county before it existed."""

from __future__ import annotations

from collections.abc import Mapping

import jdatetime
import pyarrow as pa
import pyarrow.compute as pc

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
    # A row is early when its year, or the Jalali year of any of its dates, is before its county's first year: for
    # a date, when it falls before that year's Nowruz. Whole columns at once; nulls never count.
    keys = [c for c, y in first_years.items() if y is not None]
    if not keys:
        return
    at = pc.index_in(uploaded["county_code"], value_set=pa.array(keys, pa.string()))
    first = pc.take(pa.array([first_years[c] for c in keys], pa.int32()), at)
    nowruz = pc.take(pa.array([jdatetime.date(first_years[c], 1, 1).togregorian() for c in keys], pa.date32()), at)
    tests = []
    if "year" in uploaded.column_names:
        tests.append(pc.less(uploaded["year"].cast(pa.int32()), first))
    tests += [pc.less(uploaded[d].cast(pa.date32()), nowruz) for d in dates]
    early_rows = pc.fill_null(tests[0], False)
    for test in tests[1:]:
        early_rows = pc.or_(early_rows, pc.fill_null(test, False))
    counted = pc.value_counts(pc.filter(uploaded["county_code"], early_rows))
    early: dict[str, int] = {v["values"].as_py(): v["counts"].as_py() for v in counted}
    for code, count in sorted(early.items()):
        findings.warning(
            texts.IMP_BEFORE_SPLIT.format(
                table=label, county=names.get(code, code), count=fa.num(count), year=fa.year(first_years[code])
            ),
            table=table,
        )
