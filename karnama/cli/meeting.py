"""Subcommands for the review meeting: ``freshness`` (how far each county's data reaches), ``changes`` (what
changed between two snapshots, in Persian) and ``pack`` (the meeting pack, optionally delivered)."""

from __future__ import annotations

import json
from pathlib import Path

from karnama.cli.common import CliError, county_codes, resolve_snapshot, store, user_scope
from karnama.core import fa, texts
from karnama.core.settings import load
from karnama.data import catalog
from karnama.data.query import Filters
from karnama.meeting import changes as changes_mod
from karnama.meeting import delivery, pack
from karnama.meeting import freshness as fresh


def cmd_freshness(args) -> int:
    snap = resolve_snapshot(args)
    counties = county_codes(snap, args.county)
    scope = user_scope(args, counties)
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
    print(fresh.not_reported_sentence(rows, snap.as_of, names))
    for table in fresh.TABLES:
        print(f"\n{texts.FRESH_TABLES[table]}")
        for r in (r for r in rows if r.table == table):
            line = f"  {fresh.reaches_label(r, names)}"
            if r.missing:
                line += " — " + texts.FRESH_MISSING.format(months="، ".join(fa.month_label(m, y) for y, m in r.missing))
            if r.last_changed_on:
                line += " — " + texts.FRESH_CHANGED.format(date=fa.date(r.last_changed_on))
            print(line)
    return 0


def cmd_changes(args) -> int:
    st = store(args)
    ids = [e["id"] for e in st.list() if e["ok"]]
    b: str | None = args.b or st.active_id()
    if b is None or b not in ids:
        raise CliError(texts.SNAP_NOT_FOUND.format(id=b))
    if args.a:
        a = args.a
    else:
        parent = st.open(b).manifest.get("parent")
        a = parent if isinstance(parent, str) and parent in ids else None
    if a is None or a not in ids:
        raise CliError(texts.CHANGES_NO_PREVIOUS if a is None else texts.SNAP_NOT_FOUND.format(id=a))
    year = args.year or fa.jalali(st.open(b).as_of).year
    result = changes_mod.changes(st, a, b, year, status_fn=changes_mod.default_status_fn())
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(result.paragraph)
    return 0


def cmd_pack(args) -> int:
    snap = resolve_snapshot(args)
    filters = Filters(args.year, county_codes(snap, args.county))
    scope = user_scope(args, filters.counties)
    if args.year not in catalog.years(snap):
        raise CliError(texts.CLI_UNKNOWN_YEAR.format(year=args.year))
    st = store(args)
    made = pack.build(st, snap, filters, scope, account=args.user)
    out = Path(args.out) if args.out else Path(made.name)
    if out.is_dir():
        out = out / made.name
    if not out.parent.is_dir():
        raise CliError(texts.CLI_NO_FOLDER.format(folder=out.parent))
    out.write_bytes(made.data)
    print(texts.PACK_WRITTEN.format(path=out, files="، ".join(made.members)))
    if args.deliver:
        settings = load(st.root)
        try:
            shared = delivery.copy_to_share(settings, out)
            if shared:
                print(texts.PACK_SHARED.format(path=shared))
            if settings.smtp_host:
                stamp = "\n".join(pack.stamp(snap, filters, scope, args.user))
                to = delivery.send(
                    settings,
                    out,
                    texts.PACK_MAIL_SUBJECT.format(place=stamp.splitlines()[0], year=fa.year(args.year)),
                    texts.PACK_MAIL_BODY.format(stamp=stamp),
                )
                print(texts.PACK_MAILED.format(to="، ".join(to)))
        except delivery.DeliveryError as exc:
            raise CliError(str(exc)) from exc
    return 0


def register(sub, common) -> None:
    """Add the meeting subcommands to ``python -m karnama``."""
    p = sub.add_parser("freshness", parents=[common], help="how far each county's data reaches, per table")
    p.add_argument("--county", action="append", help="county code or name (repeatable; default: all)")
    p.add_argument("--snapshot", help="snapshot id (default: the active one)")
    p.add_argument("--user", help="apply this account's county scope")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_freshness)

    p = sub.add_parser("pack", parents=[common], help="the meeting pack: brief, deck, workbook and agenda in one ZIP")
    p.add_argument("--year", type=int, required=True, help="Jalali year, e.g. 1402")
    p.add_argument("--county", action="append", help="county code or name (repeatable; default: the whole view)")
    p.add_argument("--snapshot", help="snapshot id (default: the active one)")
    p.add_argument("--user", help="make the pack as this account sees it (its county scope)")
    p.add_argument("--out", help="the ZIP file or a folder (default: karnama-pack-<year>-<place>.zip here)")
    p.add_argument("--deliver", action="store_true", help="also copy it to pack_dir and mail it (settings.toml)")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("changes", parents=[common], help="what changed between two snapshots, in Persian")
    p.add_argument("a", nargs="?", help="the earlier snapshot (default: the parent of B)")
    p.add_argument("b", nargs="?", help="the later snapshot (default: the active one)")
    p.add_argument("--year", type=int, help="the Jalali year under review (default: B's as-of year)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_changes)
