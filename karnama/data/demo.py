"""The bundled demo snapshot: deterministic, seeded, illustrative data for all 34 counties.

Everything is made up except the province totals the source article publishes for the reference year
(its "last year") and the year after it ("this year"):

* insurance incentives, reference year: stabilisation 907 employer share, 330 self-employment, 287 efficiency
  subsidy; creation 120 employer, 74 self-employment, 16 efficiency subsidy;
* 202 clients or family members employed through licensed centres in the reference year;
* the year after: a supported-employment target of 170 (split over counties), remote monitoring of 27 of 34
  counties from 1 Farvardin, and in-person visits from Bahman of the reference year to mid-Tir covering every county.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jdatetime
import numpy as np
import pyarrow as pa

from karnama.core.counties import COUNTIES, County
from karnama.core.schema import TABLES
from karnama.core.settings import write_demo_default
from karnama.data.snapshots import SnapshotStore

DEFAULT_SEED = 1401
DEFAULT_REFERENCE_YEAR = 1401
FIRST_YEAR = 1399
LAST_YEAR = 1403

ARTICLE_INCENTIVES = {
    ("employer_share", "stabilisation"): 907,
    ("self_employment", "stabilisation"): 330,
    ("efficiency_subsidy", "stabilisation"): 287,
    ("employer_share", "creation"): 120,
    ("self_employment", "creation"): 74,
    ("efficiency_subsidy", "creation"): 16,
}
ARTICLE_CENTRE_EMPLOYMENT = 202
ARTICLE_SE_TARGET = 170
ARTICLE_REMOTE_COUNTIES = 27

# Rough relative size of each county's Behzisti caseload (Mashhad is scaled to about 40% below).
SIZE = {
    "NEY": 450,
    "SBZ": 320,
    "TRH": 230,
    "QUC": 180,
    "KSH": 160,
    "TRJ": 280,
    "CHN": 90,
    "FRM": 100,
    "TYB": 110,
    "DRG": 75,
    "KHF": 130,
    "GNB": 90,
    "SRK": 100,
    "BRD": 75,
    "RSH": 60,
    "KLT": 40,
    "KHL": 50,
    "MHV": 50,
    "TQS": 120,
    "BKZ": 55,
    "ZVH": 75,
    "JGT": 50,
    "JWN": 55,
    "KSB": 45,
    "SLH": 45,
    "FRZ": 40,
    "BJS": 35,
    "DVZ": 25,
    "KHS": 30,
    "SHT": 30,
    "ZBK": 45,
    "GLB": 40,
    "MJG": 45,
}
SIZE["MSH"] = round(sum(SIZE.values()) * 0.40 / 0.60)

SE_CENTRES = ("MSH", "NEY", "SBZ", "TRH")
CODES = [c.code for c in COUNTIES]
IDX = {code: i for i, code in enumerate(CODES)}


@dataclass(frozen=True)
class DemoInfo:
    seed: int
    reference_year: int
    years: tuple[int, ...]
    as_of: dt.date


def _g(jy: int, jm: int, jd: int) -> dt.date:
    return jdatetime.date(jy, jm, jd).togregorian()


def _year_span(jy: int, as_of: dt.date) -> tuple[dt.date, dt.date]:
    first = _g(jy, 1, 1)
    last = _g(jy + 1, 1, 1) - dt.timedelta(days=1)
    return first, min(last, as_of)


def _owner(c: County, jy: int, inclusive: bool) -> str:
    """The county that holds this county's records in year ``jy`` (its parent before the split)."""
    if c.established_jy is None:
        return c.code
    own = jy >= c.established_jy if inclusive else jy >= c.established_jy + 1
    return c.code if own else _owner_parent(c, jy, inclusive)


def _owner_parent(c: County, jy: int, inclusive: bool) -> str:
    parent = next(p for p in COUNTIES if p.code == c.parent_code)
    return _owner(parent, jy, inclusive)


def weights(jy: int, inclusive: bool = False) -> np.ndarray:
    """Each county's share of the province in year ``jy``; a split county's share sits with its parent before."""
    w = np.zeros(len(COUNTIES))
    for c in COUNTIES:
        w[IDX[_owner(c, jy, inclusive)]] += SIZE[c.code]
    return w / w.sum()


def _largest_remainder(total: int, w: np.ndarray) -> np.ndarray:
    raw = w * total
    out = np.floor(raw).astype(int)
    rest = total - out.sum()
    out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def _random_dates(rng: np.random.Generator, n: int, start: dt.date, end: dt.date) -> np.ndarray:
    span = max((end - start).days, 0) + 1
    return np.datetime64(start) + rng.integers(0, span, n).astype("timedelta64[D]")


class _Builder:
    def __init__(
        self,
        seed: int,
        reference_year: int,
        years: tuple[int, ...],
        as_of: dt.date,
        volume: float,
        se_volume: float = 1.0,
    ):
        self.rng = np.random.default_rng(seed)
        self.ref = reference_year
        self.years = years
        self.as_of = as_of
        self.volume = volume
        self.se_volume = se_volume

    def growth(self, jy: int) -> float:
        return 1.0 + 0.08 * (jy - self.ref)

    def elapsed(self, jy: int) -> float:
        first, last = _g(jy, 1, 1), _g(jy + 1, 1, 1) - dt.timedelta(days=1)
        if self.as_of >= last:
            return 1.0
        return max(0.0, ((self.as_of - first).days + 1) / ((last - first).days + 1))

    def months(self, jy: int) -> int:
        j = jdatetime.date.fromgregorian(date=self.as_of)
        return 12 if jy < j.year else j.month

    # ---- tables ----------------------------------------------------------------------------------------
    def counties(self) -> pa.Table:
        cols: dict[str, list] = {c.name: [] for c in TABLES["counties"].columns}
        for c in COUNTIES:
            for k, v in (
                ("code", c.code),
                ("name_fa", c.name_fa),
                ("name_en", c.name_en),
                ("seat_en", c.seat_en),
                ("lat", c.lat),
                ("lon", c.lon),
                ("parent_code", c.parent_code),
                ("established_jy", c.established_jy),
            ):
                cols[k].append(v)
        return pa.table(cols)

    def incentives(self) -> pa.Table:
        rng, rows = self.rng, []
        per_person = {"employer_share": 60e6, "self_employment": 45e6, "efficiency_subsidy": 80e6}
        for jy in self.years:
            months = self.months(jy)
            w = weights(jy)
            for (kind, purpose), base in ARTICLE_INCENTIVES.items():
                total = (
                    base
                    if jy == self.ref
                    else round(base * self.growth(jy) * self.elapsed(jy) * rng.uniform(0.93, 1.07))
                )
                by_county = rng.multinomial(total, w)
                for ci in np.nonzero(by_county)[0]:
                    by_month = rng.multinomial(by_county[ci], np.full(months, 1 / months))
                    for m in np.nonzero(by_month)[0]:
                        n = int(by_month[m])
                        pay = per_person[kind] * 1.3 ** (jy - self.ref) * rng.uniform(0.9, 1.1) / 12
                        rows.append((CODES[ci], jy, int(m) + 1, kind, purpose, n, int(round(n * pay, -3))))
        names = TABLES["incentives"].column_names
        return pa.table({k: [r[i] for r in rows] for i, k in enumerate(names)})

    def centre_employment(self) -> pa.Table:
        rng, rows = self.rng, []
        centres = []  # (name, county)
        for c in COUNTIES:
            for i in range(max(1, round(SIZE[c.code] / SIZE["MSH"] * 14))):
                centres.append((f"مرکز کاریابی {c.name_fa} {i + 1}", c))
        for jy in self.years:
            months = self.months(jy)
            active = [(n, c) for n, c in centres if _owner(c, jy, False) == c.code]
            per_county = {c.code: sum(1 for _, x in active if x.code == c.code) for _, c in active}
            w = np.array([SIZE[c.code] / per_county[c.code] for _, c in active], dtype=float)
            w /= w.sum()
            total = (
                ARTICLE_CENTRE_EMPLOYMENT
                if jy == self.ref
                else round(ARTICLE_CENTRE_EMPLOYMENT * self.growth(jy) * self.elapsed(jy) * rng.uniform(0.92, 1.08))
            )
            per_centre = rng.multinomial(total, w)
            for ci in np.nonzero(per_centre)[0]:
                by_month = rng.multinomial(per_centre[ci], np.full(months, 1 / months))
                for m in np.nonzero(by_month)[0]:
                    n = int(by_month[m])
                    clients = int(rng.binomial(n, 0.68))
                    rows.append(
                        (
                            active[ci][0],
                            active[ci][1].code,
                            jy,
                            int(m) + 1,
                            clients,
                            n - clients,
                            int(rng.binomial(n, 0.42)),
                        )
                    )
        names = TABLES["centre_employment"].column_names
        return pa.table({k: [r[i] for r in rows] for i, k in enumerate(names)})

    def se_target(self, jy: int) -> int:
        base = max(60, ARTICLE_SE_TARGET + 30 * (jy - self.ref - 1))
        # Scale runs grow the target with the clients, so progress against it stays realistic.
        return base if self.se_volume == 1.0 else round(base * self.se_volume)

    def targets(self, planned_jobs: dict[int, int]) -> pa.Table:
        rows: list[tuple[int, str | None, str, float]] = []
        for jy in self.years:
            for ci, n in enumerate(_largest_remainder(self.se_target(jy), weights(jy))):
                if n:
                    rows.append((jy, CODES[ci], "se_stabilised", float(n)))
            centre_target = 200 if jy == self.ref else round(200 * self.growth(jy))
            rows.append((jy, None, "centre_employment", float(centre_target)))
            rows.append((jy, None, "loans_planned_jobs", float(round(planned_jobs[jy] / self.elapsed(jy) * 1.05, -1))))
        return pa.table(
            {
                "year": [r[0] for r in rows],
                "county_code": [r[1] for r in rows],
                "indicator": [r[2] for r in rows],
                "target": [r[3] for r in rows],
            }
        )

    def se_clients(self) -> pa.Table:
        rng = self.rng
        ids: list[str] = []
        county: list[str] = []
        centre: list[str] = []
        enrolled: list = []
        stage: list[int] = []
        placed: list = []
        stabilised: list = []
        centre_names = {
            code: f"مرکز پشتیبانی شغلی {next(c.name_fa for c in COUNTIES if c.code == code)}" for code in SE_CENTRES
        }

        def nearest(code: str) -> str:
            c = COUNTIES[IDX[code]]
            return min(
                SE_CENTRES, key=lambda s: (COUNTIES[IDX[s]].lat - c.lat) ** 2 + (COUNTIES[IDX[s]].lon - c.lon) ** 2
            )

        # Looked up once per county: scale runs add millions of clients through this loop.
        centre_of = {code: centre_names[nearest(code)] for code in CODES}

        def add(code, e, st, p, s):
            ids.append(f"SE-{len(ids) + 1:06d}")
            county.append(code)
            centre.append(centre_of[code])
            enrolled.append(e)
            stage.append(st)
            placed.append(p)
            stabilised.append(s)

        day = dt.timedelta(days=1)
        for jy in self.years:
            start, end = _year_span(jy, self.as_of)
            achieved = rng.uniform(0.86, 0.97) if jy == self.ref + 1 else rng.uniform(0.8, 1.04)
            n_stab = round(self.se_target(jy) * achieved * self.elapsed(jy))
            w = weights(jy)
            for ci, n in enumerate(rng.multinomial(n_stab, w)):
                for d in _random_dates(rng, int(n), start, end).tolist():
                    p = d - int(rng.integers(90, 200)) * day
                    add(CODES[ci], p - int(rng.integers(45, 240)) * day, 5, p, d)
            # placed, not (yet) stabilised; and clients still in the first stages
            for ci, n in enumerate(rng.multinomial(round(n_stab * 0.3), w)):
                for d in _random_dates(rng, int(n), start, end).tolist():
                    add(CODES[ci], d - int(rng.integers(45, 240)) * day, int(rng.choice([4, 5])), d, None)
            for ci, n in enumerate(rng.multinomial(round(n_stab * 0.5), w)):
                for d in _random_dates(rng, int(n), start, end).tolist():
                    add(CODES[ci], d, int(rng.integers(1, 4)), None, None)
        n = len(ids)
        return pa.table(
            {
                "client_id": ids,
                "county_code": county,
                "centre": centre,
                "enrolled_on": pa.array(enrolled, pa.date32()),
                "stage": pa.array(stage, pa.int8()),
                "placed_on": pa.array(placed, pa.date32()),
                "stabilised_on": pa.array(stabilised, pa.date32()),
                "disability_type": rng.choice(
                    ["physical", "intellectual", "visual", "hearing", "autism", "psychosocial"],
                    n,
                    p=[0.33, 0.22, 0.11, 0.11, 0.03, 0.20],
                ).tolist(),
                "gender": rng.choice(["male", "female"], n, p=[0.62, 0.38]).tolist(),
            }
        )

    def loans(self) -> tuple[pa.Table, dict[int, int]]:
        rng = self.rng
        parts, planned = [], {}
        for jy in self.years:
            start, end = _year_span(jy, self.as_of)
            total = round(1100 * self.volume * self.growth(jy) * self.elapsed(jy) * rng.uniform(0.9, 1.1))
            w = weights(jy, inclusive=True)
            active = w > 0
            per_county = rng.multinomial(max(total - 2 * active.sum(), 0), w) + 2 * active
            codes = np.repeat(np.array(CODES), per_county)
            n = len(codes)
            jobs = 1 + rng.geometric(0.55, n) - 1 + (rng.random(n) < 0.15) * rng.integers(1, 6, n)
            amount = np.round(jobs * 0.9e9 * 1.25 ** (jy - self.ref) * rng.lognormal(0, 0.25, n), -6).astype(np.int64)
            planned[jy] = int(jobs.sum())
            parts.append(
                {
                    "project_id": np.char.add(f"L{jy}-", np.char.zfill(np.arange(1, n + 1).astype(str), 6)),
                    "county_code": codes,
                    "approved_on": _random_dates(rng, n, start, end),
                    "amount_rials": amount,
                    "planned_jobs": jobs.astype(np.int32),
                    "kind": rng.choice(["creation", "development", "stabilisation"], n, p=[0.55, 0.25, 0.20]),
                }
            )
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        return pa.table({k: pa.array(v) for k, v in cols.items()}), planned

    def monitoring(self, loans: pa.Table) -> pa.Table:
        rng = self.rng
        pid = loans["project_id"].to_numpy(zero_copy_only=False)
        cty = loans["county_code"].to_numpy(zero_copy_only=False)
        appr = loans["approved_on"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
        appr_jy = np.array([int(p[1:5]) for p in pid])
        outcomes = ["active", "inactive", "changed", "not_found"]
        parts = []

        def emit(idx, mode, dates):
            parts.append(
                {
                    "project_id": pid[idx],
                    "county_code": cty[idx],
                    "mode": np.full(len(idx), mode),
                    "visited_on": dates,
                    "outcome": rng.choice(outcomes, len(idx), p=[0.74, 0.10, 0.08, 0.08]),
                }
            )

        as_of = np.datetime64(self.as_of)
        # In-person rounds: each cohort's projects are visited from 1 Bahman of its year to mid-Tir of the next.
        for cohort in self.years:
            w_start, w_end = np.datetime64(_g(cohort, 11, 1)), np.datetime64(_g(cohort + 1, 4, 15))
            if w_start > as_of:
                continue
            w_end = min(w_end, as_of)
            share = 0.93 if cohort == self.ref else rng.uniform(0.65, 0.85)
            share *= min(
                1.0, (w_end - w_start).astype(int) / (np.datetime64(_g(cohort + 1, 4, 15)) - w_start).astype(int)
            )
            idx = np.nonzero(appr_jy == cohort)[0]
            pick = idx[rng.random(len(idx)) < share]
            if cohort == self.ref:  # the article: every county was visited in person
                for code in np.unique(cty[idx]):
                    if not np.any(cty[pick] == code):
                        pick = np.append(pick, idx[cty[idx] == code][0])
            earliest = np.maximum(appr[pick] + np.timedelta64(14, "D"), w_start)
            pick, earliest = pick[earliest <= w_end], earliest[earliest <= w_end]
            span = (w_end - earliest).astype(int) + 1
            emit(pick, "in_person", earliest + (rng.random(len(pick)) * span).astype("timedelta64[D]"))
        # Remote monitoring starts with the national monitoring centre on 1 Farvardin of the year after the reference.
        for jy in self.years:
            if jy <= self.ref:
                continue
            start, end = _year_span(jy, self.as_of)
            present = [c for c in CODES if np.any((cty == c) & (appr_jy < jy))]
            n_counties = ARTICLE_REMOTE_COUNTIES if jy == self.ref + 1 else min(len(present), 31 + (jy - self.ref - 2))
            others = [c for c in present if c != "MSH"]
            chosen = ["MSH"] + list(rng.choice(others, n_counties - 1, replace=False))
            for code in chosen:
                idx = np.nonzero((cty == code) & (appr_jy < jy) & (appr_jy >= jy - 2))[0]
                if len(idx) == 0:
                    idx = np.nonzero((cty == code) & (appr_jy < jy))[0]
                pick = idx[rng.random(len(idx)) < 0.35]
                if len(pick) == 0:
                    pick = idx[:1]
                emit(pick, "remote", _random_dates(rng, len(pick), start, end))
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        table = pa.table({k: pa.array(v) for k, v in cols.items()})
        return table.cast(TABLES["monitoring"].arrow_schema)


def build(
    seed: int = DEFAULT_SEED,
    reference_year: int = DEFAULT_REFERENCE_YEAR,
    years: tuple[int, ...] | None = None,
    volume: float = 1.0,
    se_volume: float = 1.0,
) -> tuple[dict[str, pa.Table], DemoInfo]:
    """Every table of the demo snapshot. ``volume`` scales loans and monitoring (the largest tables);
    ``se_volume`` scales supported-employment clients and their targets (scale runs, see karnama/scale.py)."""
    years = tuple(years or range(FIRST_YEAR, LAST_YEAR + 1))
    if reference_year not in years or reference_year + 1 not in years:
        raise ValueError(f"reference year must lie in {years[0]}..{years[-1] - 1}")
    as_of = _g(years[-1], 8, 15)
    b = _Builder(seed, reference_year, years, as_of, volume, se_volume)
    loans, planned = b.loans()
    tables = {
        "counties": b.counties(),
        "incentives": b.incentives(),
        "centre_employment": b.centre_employment(),
        "se_clients": b.se_clients(),
        "loans": loans,
        "monitoring": b.monitoring(loans),
        "targets": b.targets(planned),
    }
    tables = {k: v.select(TABLES[k].column_names).cast(TABLES[k].arrow_schema) for k, v in tables.items()}
    return tables, DemoInfo(seed, reference_year, years, as_of)


def publish_demo(
    store: SnapshotStore,
    seed: int = DEFAULT_SEED,
    reference_year: int = DEFAULT_REFERENCE_YEAR,
    volume: float = 1.0,
    years: tuple[int, ...] | None = None,
    se_volume: float = 1.0,
):
    """Build the demo tables and publish them as the active snapshot."""
    tables, info = build(seed=seed, reference_year=reference_year, volume=volume, years=years, se_volume=se_volume)
    write_demo_default(store.root)
    return store.publish(
        tables,
        source=f"demo generator (seed {seed}, reference year {reference_year})",
        as_of=info.as_of,
        parent=store.active_id(),
        author="karnama demo",
        demo=True,
        extra={
            "demo_settings": {
                "seed": seed,
                "reference_year": reference_year,
                "years": list(info.years),
                "volume": volume,
                **({"se_volume": se_volume} if se_volume != 1.0 else {}),
            }
        },
    )
