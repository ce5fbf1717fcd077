"""``python -m karnama export --format pdf|pptx|xlsx --year Y [--county ...] [--snapshot ID] --out FILE``."""

from __future__ import annotations

import os
from pathlib import Path

from karnama.access import audit
from karnama.cli.common import CliError, county_codes, resolve_snapshot, user_scope
from karnama.core import texts
from karnama.data.query import Filters
from karnama.exports import FORMATS, build_export


def cmd_export(args) -> int:

    snap = resolve_snapshot(args)
    filters = Filters(args.year, county_codes(snap, args.county))
    scope = user_scope(args, filters.counties)
    if args.user:
        audit.bind_actor(audit.cli_account(), user=args.user)  # the audit log names whose scope was applied
    data = build_export(args.format, snap, filters, scope)
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise CliError(texts.CLI_NO_FOLDER.format(folder=out.parent))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, out)  # a reader never sees a half-written file
    print(
        f"wrote {out} ({len(data)} bytes, {args.format}, snapshot {snap.id}, year {args.year}, "
        f"{','.join(filters.counties) or ('sum of ' + ','.join(sorted(scope)) if scope is not None else 'province')})"
    )
    return 0


def register(subparsers, common) -> None:
    p = subparsers.add_parser(
        "export", parents=[common], help="write the PDF brief, PowerPoint deck or Excel workbook of a view"
    )
    p.add_argument("--format", required=True, choices=sorted(FORMATS))
    p.add_argument("--year", type=int, required=True, help="Jalali year, e.g. 1401")
    p.add_argument(
        "--county",
        action="append",
        help="county code or name; repeat or separate with commas (default: the whole province)",
    )
    p.add_argument("--snapshot", help="snapshot id (default: the active one)")
    p.add_argument("--user", help="apply this account's county scope (no password asked: server-side staff only)")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_export)
