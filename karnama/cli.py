"""Command line: ``python -m karnama <command>``. Every command takes ``--data-dir``."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from . import catalog, cli_users, demo, metrics, texts
from .query import Filters
from .audit import AuditError
from .settings import write_demo_default
from .snapshots import Snapshot, SnapshotError, SnapshotStore, default_data_dir


# Feature modules that add subcommands: each has register(subparsers, common_parser), whose commands take
# (args) -> exit code, raising CliError / SnapshotError / ValueError for user mistakes.
EXTENSIONS: tuple[str, ...] = ("karnama.importer.cli", "karnama.cli_users", "karnama.exports.cli")


class CliError(Exception):
    """A user mistake; printed without a traceback, exit code 2."""


def _store(args) -> SnapshotStore:
    return SnapshotStore(Path(args.data_dir) if args.data_dir else default_data_dir())


def publish_demo(store: SnapshotStore, seed: int = demo.DEFAULT_SEED,
                 reference_year: int = demo.DEFAULT_REFERENCE_YEAR, volume: float = 1.0,
                 years: tuple[int, ...] | None = None, se_volume: float = 1.0):
    """Build the demo tables and publish them as the active snapshot."""
    tables, info = demo.build(seed=seed, reference_year=reference_year, volume=volume, years=years,
                              se_volume=se_volume)
    write_demo_default(store.root)
    return store.publish(
        tables, source=f"demo generator (seed {seed}, reference year {reference_year})", as_of=info.as_of,
        parent=store.active_id(), author="karnama demo", demo=True,
        extra={"demo_settings": {"seed": seed, "reference_year": reference_year, "years": list(info.years),
                                 "volume": volume, **({"se_volume": se_volume} if se_volume != 1.0 else {})}},
    )


def cmd_demo(args) -> int:
    if args.rows:  # a scale run for the benchmark: ten Jalali years, about N rows (karnama/scale.py)
        from . import scale

        sp = scale.plan(args.rows, args.seed)
        snap = publish_demo(_store(args), args.seed, args.reference_year, sp.volume, sp.years, sp.se_volume)
    else:
        snap = publish_demo(_store(args), args.seed, args.reference_year)
    from . import rollups

    rollups.prepare(snap)  # the pre-aggregated tables, written now so no app process pays for them
    rows = sum(snap.rows(t) for t in snap.manifest["tables"])
    print(f"published demo snapshot {snap.id} ({rows} rows) and made it active")
    return 0


def cmd_snapshots(args) -> int:
    entries = _store(args).list()
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("no snapshots")
    for e in entries:
        mark = "*" if e["active"] else " "
        if e["ok"]:
            print(f"{mark} {e['id']}  created {e['created_utc']}  as of {e['as_of']}  "
                  f"rows {sum(e['rows'].values())}  by {e['author'] or '-'}  {e['source']}")
        else:
            print(f"{mark} {e['id']}  DAMAGED: {e['error']}")
    return 0


def resolve_snapshot(args) -> Snapshot:
    """The snapshot ``--snapshot`` names (an error if it cannot be opened), else the active one (a fallback is
    said on stderr)."""
    resolved = _store(args).resolve(args.snapshot)
    if args.snapshot and resolved.snapshot.id != args.snapshot:
        raise CliError(resolved.notice or f"snapshot {args.snapshot} cannot be opened")
    if resolved.notice:
        print(resolved.notice, file=sys.stderr)
    return resolved.snapshot


def cmd_kpis(args) -> int:
    snap = resolve_snapshot(args)
    known_years = catalog.years(snap)
    if args.year not in known_years:
        raise CliError(f"سال {args.year} در دادهٔ این نسخه نیست (سال‌های موجود: {', '.join(map(str, sorted(known_years)))}).")
    # --user: that account's county scope, as in the app (no password: the CLI runs on the server).
    scope = cli_users.account_for(args.data_dir, args.user).scope if args.user else None
    counties: tuple[str, ...] = ()
    if args.county:
        code = catalog.resolve_county(snap, args.county)
        if code is None:
            raise CliError(f"شهرستان «{args.county}» شناخته نشد.")
        if scope is not None and code not in scope:
            raise CliError(texts.AUTH_COUNTY_OUT_OF_SCOPE.format(county=args.county, name=args.user))
        counties = (code,)
    values = metrics.compute(snap, Filters(args.year, counties), scope)
    out = {"snapshot": snap.id, "year": args.year, "county": counties[0] if counties else None,
           "values": values.as_json_values()}
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
    p.add_argument("--reference-year", type=int, default=demo.DEFAULT_REFERENCE_YEAR,
                   help="the article's 'last year' (default 1401)")
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

    for module in EXTENSIONS:
        importlib.import_module(module).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CliError, SnapshotError, ValueError, AuditError) as exc:  # AuditError: nothing done unrecorded
        print(f"error: {exc}", file=sys.stderr)
        return 2
