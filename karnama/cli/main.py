"""Command line: ``python -m karnama <command>``. Every command takes ``--data-dir``."""

from __future__ import annotations

import argparse
import json
import sys

from karnama import metrics
from karnama.access.audit import AuditError
from karnama.cli import exports, importer, meeting, users
from karnama.cli import users as cli_users
from karnama.cli.common import CliError, resolve_snapshot, store
from karnama.core import texts
from karnama.data import catalog, demo
from karnama.data.demo import publish_demo
from karnama.data.query import Filters
from karnama.data.snapshots import SnapshotError


def cmd_demo(args) -> int:
    if args.rows:  # a scale run for the benchmark: ten Jalali years, about N rows (karnama/scale.py)
        from karnama.data import scale

        sp = scale.plan(args.rows, args.seed)
        snap = publish_demo(store(args), args.seed, args.reference_year, sp.volume, sp.years, sp.se_volume)
    else:
        snap = publish_demo(store(args), args.seed, args.reference_year)
    from karnama.data import query

    query.prepare(snap)  # the pre-aggregated tables, written now so no app process pays for them
    rows = sum(snap.rows(t) for t in snap.manifest["tables"])
    print(f"published demo snapshot {snap.id} ({rows} rows) and made it active")
    return 0


def cmd_snapshots(args) -> int:
    entries = store(args).list()
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("no snapshots")
    for e in entries:
        mark = "*" if e["active"] else " "
        if e["ok"]:
            print(
                f"{mark} {e['id']}  created {e['created_utc']}  as of {e['as_of']}  "
                f"rows {sum(e['rows'].values())}  by {e['author'] or '-'}  {e['source']}"
            )
        else:
            print(f"{mark} {e['id']}  DAMAGED: {e['error']}")
    return 0


def cmd_kpis(args) -> int:
    snap = resolve_snapshot(args)
    known_years = catalog.years(snap)
    if args.year not in known_years:
        raise CliError(
            f"سال {args.year} در دادهٔ این نسخه نیست (سال‌های موجود: {', '.join(map(str, sorted(known_years)))})."
        )
    # --user: that account's county scope, as in the app (no password: the CLI runs on the server).
    scope = cli_users.account_for(args.data_dir, args.user).scope if args.user else None
    counties: tuple[str, ...] = ()
    if args.county:
        code = catalog.resolve_county(snap, args.county)
        if code is None:
            raise CliError(texts.CLI_UNKNOWN_COUNTY.format(county=args.county))
        if scope is not None and code not in scope:
            raise CliError(texts.AUTH_COUNTY_OUT_OF_SCOPE.format(county=args.county, name=args.user))
        counties = (code,)
    values = metrics.compute(snap, Filters(args.year, counties), scope)
    out = {
        "snapshot": snap.id,
        "year": args.year,
        "county": counties[0] if counties else None,
        "values": values.as_json_values(),
    }
    if args.user:
        out.update(user=args.user, scope=sorted(scope) if scope is not None else None)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        place = out["county"] or ("sum of " + ",".join(sorted(scope)) if scope is not None else "province")
        print(f"snapshot {snap.id}, year {args.year}, county {place}")
        for m in metrics.METRICS:
            print(f"  {m.key:45} {values.current.get(m.key)}")
        for key in metrics.TARGET_KEYS:
            print(f"  {key:45} {values.targets.get(key)}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m karnama", description="Karnama (کارنما) command line")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="data directory (default: $KARNAMA_DATA_DIR or data/)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", parents=[common], help="rebuild the demo snapshot and make it active")
    p.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    p.add_argument(
        "--reference-year",
        type=int,
        default=demo.DEFAULT_REFERENCE_YEAR,
        help="the article's 'last year' (default 1401)",
    )
    p.add_argument("--rows", type=int, help="scale run: about N rows over Jalali years 1394-1403 (benchmarks)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("snapshots", parents=[common], help="list snapshots, marking the active one")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_snapshots)

    p = sub.add_parser("kpis", parents=[common], help="print the KPI values the dashboard shows")
    p.add_argument("--year", type=int, required=True, help="Jalali year, e.g. 1401")
    p.add_argument("--county", help="county code or name (default: the whole province)")
    p.add_argument("--snapshot", help="snapshot id (default: the active one)")
    p.add_argument("--user", help="apply this account's county scope (no password asked: server-side staff only)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_kpis)

    for module in (importer, users, exports, meeting):  # each adds its own subcommands
        module.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CliError, SnapshotError, ValueError, AuditError) as exc:  # AuditError: nothing done unrecorded
        print(f"error: {exc}", file=sys.stderr)
        return 2
