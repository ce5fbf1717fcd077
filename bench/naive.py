"""The naive baseline: the overview's KPIs the common Streamlit way, with pandas over whole tables.

Every table of the snapshot is loaded into pandas once per process (the way ``st.cache_resource`` keeps it), with
the Jalali year and month of every date column added at load time (vectorised, so the baseline is not handicapped
by per-row date conversion). Each interaction then filters and groups the full tables: the headline and all other
metric values for the year and the one before, the targets, the county ranking and the per-county map values —
the same figures the overview page shows, by the same definitions (tests/test_scale.py checks they agree).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from karnama.core.schema import TABLES
from karnama.data.query import calendar_table

DATE_COLUMNS = {
    "se_clients": ("enrolled_on", "placed_on", "stabilised_on"),
    "loans": ("approved_on",),
    "monitoring": ("visited_on",),
}


def _jalali_lookup() -> tuple[np.datetime64, np.ndarray, np.ndarray]:
    cal = calendar_table()
    days = cal["d"].to_numpy().astype("datetime64[D]")
    return days[0], cal["jy"].to_numpy().astype(np.int16), cal["jm"].to_numpy().astype(np.int8)


def _add_jalali(frame: pd.DataFrame, column: str, lookup) -> None:
    """``<column>_jy`` / ``<column>_jm`` (0 where the date is missing) from a day-number index into the calendar."""
    start, jy, jm = lookup
    values = pd.to_datetime(frame[column]).to_numpy().astype("datetime64[D]")
    missing = np.isnat(values)
    idx = np.where(missing, 0, (values - start).astype(np.int64))
    frame[f"{column}_jy"] = np.where(missing, 0, jy[idx]).astype(np.int16)
    frame[f"{column}_jm"] = np.where(missing, 0, jm[idx]).astype(np.int8)


def load(snapshot_path: Path) -> dict[str, pd.DataFrame]:
    """Every table of a snapshot directory as pandas frames, with Jalali columns for the dates."""
    lookup = _jalali_lookup()
    frames = {}
    for name in TABLES:
        frame = pd.read_parquet(Path(snapshot_path) / f"{name}.parquet")
        for column in DATE_COLUMNS.get(name, ()):
            _add_jalali(frame, column, lookup)
        frames[name] = frame
    return frames


def _in(frame: pd.DataFrame, counties: list[str], column: str = "county_code") -> pd.DataFrame:
    return frame[frame[column].isin(counties)] if counties else frame


def _own_data(counties: pd.DataFrame, year: int) -> int:
    est = counties["established_jy"]
    return int((est.isna() | (est < year)).sum())


def years(t: dict[str, pd.DataFrame], counties: list[str]) -> list[int]:
    """Jalali years holding data, newest first (years.sql)."""
    found = set(_in(t["incentives"], counties)["year"]) | set(_in(t["centre_employment"], counties)["year"])
    found |= set(_in(t["loans"], counties)["approved_on_jy"]) | set(t["targets"]["year"])
    return sorted((int(y) for y in found), reverse=True)


def first_in_person(t: dict[str, pd.DataFrame]) -> pd.Series:
    """The Jalali year of each project's first in-person visit."""
    mon = t["monitoring"]
    return mon[mon["mode"] == "in_person"].groupby("project_id")["visited_on_jy"].min()


def kpis(
    t: dict[str, pd.DataFrame], year: int, counties: list[str], first_visit: pd.Series | None = None
) -> dict[int, dict[str, float | int | None]]:
    """Every metric value for ``year`` and ``year - 1`` (the kpi_*.sql definitions)."""
    first_visit = first_in_person(t) if first_visit is None else first_visit
    se = _in(t["se_clients"], counties)
    inc = _in(t["incentives"], counties)
    cen = _in(t["centre_employment"], counties)
    loans = _in(t["loans"], counties)
    scope = _in(t["counties"], counties, "code")
    mon = t["monitoring"][t["monitoring"]["county_code"].isin(scope["code"])]
    out = {}
    for y in (year - 1, year):
        v: dict[str, float | int | None] = {}
        v["se_stabilised"] = int((se["stabilised_on_jy"] == y).sum())
        v["se_placed"] = int((se["placed_on_jy"] == y).sum())
        v["se_enrolled"] = int((se["enrolled_on_jy"] == y).sum())
        iy = inc[inc["year"] == y]
        for kind in ("employer_share", "self_employment", "efficiency_subsidy"):
            for purpose in ("stabilisation", "creation"):
                sel = iy[(iy["kind"] == kind) & (iy["purpose"] == purpose)]
                v[f"incentive_{kind}_{purpose}"] = int(sel["beneficiaries"].sum())
        v["incentive_stabilisation_total"] = int(iy.loc[iy["purpose"] == "stabilisation", "beneficiaries"].sum())
        v["incentive_creation_total"] = int(iy.loc[iy["purpose"] == "creation", "beneficiaries"].sum())
        v["incentive_amount_rials"] = int(iy["amount_rials"].sum())
        cy = cen[cen["year"] == y]
        v["centre_employment"] = int((cy["clients_employed"] + cy["family_employed"]).sum())
        v["centre_clients_employed"] = int(cy["clients_employed"].sum())
        v["centre_family_employed"] = int(cy["family_employed"].sum())
        v["centre_graduates"] = int(cy["graduates"].sum())
        ly = loans[loans["approved_on_jy"] == y]
        jobs = int(ly["planned_jobs"].sum())
        v["loans_count"] = len(ly)
        v["loans_amount_rials"] = int(ly["amount_rials"].sum())
        v["loans_planned_jobs"] = jobs
        v["loans_amount_per_job"] = float(ly["amount_rials"].sum()) / jobs if jobs else None
        total = _own_data(scope, y)
        remote = int(mon.loc[(mon["mode"] == "remote") & (mon["visited_on_jy"] == y), "county_code"].nunique())
        v["counties_total"] = total
        v["remote_counties_monitored"] = remote
        v["remote_monitoring_county_coverage"] = remote / total if total else None
        due = loans.loc[loans["approved_on_jy"] == y - 1, "project_id"]
        visited = int((due.map(first_visit) <= y).sum())
        v["projects_due"] = len(due)
        v["in_person_projects_visited"] = visited
        v["in_person_monitoring_project_coverage"] = visited / len(due) if len(due) else None
        out[y] = v
    return out


def targets(t: dict[str, pd.DataFrame], year: int, counties: list[str]) -> dict[str, float | None]:
    """Targets of the year by indicator: the province row if present, else the county sum (kpi_targets.sql)."""
    ty = t["targets"][t["targets"]["year"] == year]
    out = {}
    for indicator, rows in ty.groupby("indicator"):
        if counties:
            sel = rows[rows["county_code"].isin(counties)]
            out[indicator] = float(sel["target"].sum()) if len(sel) else None
        else:
            province = rows[rows["county_code"].isna()]
            out[indicator] = float(province["target"].max()) if len(province) else float(rows["target"].sum())
    return out


def by_county(
    t: dict[str, pd.DataFrame], year: int, counties: list[str], first_visit: pd.Series | None = None
) -> pd.DataFrame:
    """The per-county values of the map and the ranking (kpi_by_county.sql, se_progress_by_county.sql)."""
    first_visit = first_in_person(t) if first_visit is None else first_visit
    scope = _in(t["counties"], counties, "code").set_index("code")
    se = t["se_clients"]
    stab = se[se["stabilised_on_jy"] == year].groupby("county_code").size()
    tg = t["targets"]
    target = tg[(tg["year"] == year) & (tg["indicator"] == "se_stabilised") & tg["county_code"].notna()]
    target = target.groupby("county_code")["target"].sum()
    inc = t["incentives"][t["incentives"]["year"] == year]
    inc = inc.pivot_table(index="county_code", columns="purpose", values="beneficiaries", aggfunc="sum")
    cen = t["centre_employment"][t["centre_employment"]["year"] == year]
    cen = (cen["clients_employed"] + cen["family_employed"]).groupby(cen["county_code"]).sum()
    loans = t["loans"]
    ly = (
        loans[loans["approved_on_jy"] == year]
        .groupby("county_code")
        .agg(
            loans_count=("project_id", "size"),
            loans_amount_rials=("amount_rials", "sum"),
            loans_planned_jobs=("planned_jobs", "sum"),
        )
    )
    mon = t["monitoring"]
    remote = set(mon.loc[(mon["mode"] == "remote") & (mon["visited_on_jy"] == year), "county_code"])
    due = loans[loans["approved_on_jy"] == year - 1]
    due = (
        due.assign(visited=due["project_id"].map(first_visit) <= year)
        .groupby("county_code")["visited"]
        .agg(["size", "sum"])
    )
    out = pd.DataFrame(index=scope.index)
    out["name_fa"] = scope["name_fa"]
    out["se_stabilised"] = stab.reindex(out.index).fillna(0).astype(int)
    out["se_target"] = target.reindex(out.index)
    out["se_progress"] = out["se_stabilised"] / out["se_target"].where(out["se_target"] != 0)
    for purpose in ("stabilisation", "creation"):
        col = inc[purpose] if purpose in inc else pd.Series(dtype=float)
        out[f"incentive_{purpose}_total"] = col.reindex(out.index).fillna(0).astype(int)
    out["centre_employment"] = cen.reindex(out.index).fillna(0).astype(int)
    for col in ("loans_count", "loans_amount_rials", "loans_planned_jobs"):
        out[col] = ly[col].reindex(out.index).fillna(0).astype(np.int64)
    out["remote_monitored"] = out.index.isin(list(remote))
    out["projects_due"] = due["size"].reindex(out.index).fillna(0).astype(int)
    out["in_person_projects_visited"] = due["sum"].reindex(out.index).fillna(0).astype(int)
    out["in_person_monitoring_project_coverage"] = out["in_person_projects_visited"] / out["projects_due"].where(
        out["projects_due"] > 0
    )
    return out.reset_index(names="county_code").sort_values("name_fa", ignore_index=True)


def overview(t: dict[str, pd.DataFrame], year: int, counties: list[str]) -> dict:
    """Everything the overview shows for one interaction."""
    first_visit = first_in_person(t)
    table = by_county(t, year, counties, first_visit)
    ranking = table[table["se_target"].notna() | (table["se_stabilised"] > 0)].sort_values(
        ["se_progress", "name_fa"], na_position="last"
    )
    return {
        "years": years(t, counties),
        "kpis": kpis(t, year, counties, first_visit),
        "targets": targets(t, year, counties),
        "by_county": table,
        "ranking": ranking,
    }
