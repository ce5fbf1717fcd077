"""Subcommands for the review meeting: ``freshness`` (how far each county's data reaches) and ``changes`` (what
changed between two snapshots, in Persian)."""

from __future__ import annotations

import json

from karnama.cli import users as cli_users
from karnama.cli.common import CliError, county_codes, resolve_snapshot, store
from karnama.core import fa, texts
from karnama.data import catalog
from karnama.meeting import changes as changes_mod
from karnama.meeting import freshness as fresh


def cmd_freshness(args) -> int:
    snap = resolve_snapshot(args)
    scope = cli_users.account_for(args.data_dir, args.user).scope if args.user else None
    counties = county_codes(snap, args.county)
    rows = fresh.freshness(store(args), snap, counties, scope)
    late = fresh.not_reported(rows, snap.as_of)
    year, month = fresh.last_full_month(snap.as_of)
    if args.json:
        out = {
            "snapshot": snap.id,
            "as_of": snap.as_of.isoformat(),
            "expected_through": f"{year}-{month:02d}",
            "not_reported": late,
            "rows": [r.as_json() for r in rows],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    names = catalog.county_names(snap)
    label = fa.month_label(month, year)
    print(
        texts.FRESH_NOT_REPORTED.format(month=label, names="، ".join(names.get(c, c) for c in late))
        if late
        else texts.FRESH_ALL_REPORTED.format(month=label)
    )
    for table in fresh.TABLES:
        print(f"\n{texts.FRESH_TABLES[table]}")
        for r in (r for r in rows if r.table == table):
            line = f"  {fresh.reaches_label(r, names, snap.as_of)}"
            if r.missing:
                line += " — " + texts.FRESH_MISSING.format(months="، ".join(fa.month_label(m, y) for y, m in r.missing))
            if r.last_changed_on:
                line += " — " + texts.FRESH_CHANGED.format(date=fa.date(r.last_changed_on))
            print(line)
    return 0


def cmd_changes(args) -> int:
    st = store(args)
    ids = [e["id"] for e in st.list() if e["ok"]]
    b = args.b or st.active_id()
    if b not in ids:
        raise CliError(texts.SNAP_NOT_FOUND.format(id=b))
    if args.a:
        a = args.a
    else:
        parent = st.open(b).manifest.get("parent")
        a = parent if parent in ids else None
    if a is None or a not in ids:
        raise CliError(texts.CHANGES_NO_PREVIOUS if a is None else texts.SNAP_NOT_FOUND.format(id=a))
    year = args.year or fa.jalali(st.open(b).as_of).year
    result = changes_mod.changes(st, a, b, year, status_fn=changes_mod.default_status_fn())
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(result.paragraph)
    return 0


def register(sub, common) -> None:
    """Add the meeting subcommands to ``python -m karnama``."""
    p = sub.add_parser("freshness", parents=[common], help="how far each county's data reaches, per table")
    p.add_argument("--county", action="append", help="county code or name (repeatable; default: all)")
    p.add_argument("--snapshot", help="snapshot id (default: the active one)")
    p.add_argument("--user", help="apply this account's county scope")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_freshness)

    p = sub.add_parser("changes", parents=[common], help="what changed between two snapshots, in Persian")
    p.add_argument("a", nargs="?", help="the earlier snapshot (default: the parent of B)")
    p.add_argument("b", nargs="?", help="the later snapshot (default: the active one)")
    p.add_argument("--year", type=int, help="the Jalali year under review (default: B's as-of year)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_changes)
