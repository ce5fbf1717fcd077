"""Subcommands for data: ``template``, ``schema``, ``import``, ``diff`` and ``rollback``.

Registered by karnama/cli/main.py.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from karnama.access import audit
from karnama.cli.common import CliError
from karnama.cli.common import store as _store
from karnama.core import fa, settings, texts
from karnama.core.schema import TABLES
from karnama.importer import cells, history
from karnama.importer.pipeline import ImportRefused, Upload, check, publish
from karnama.importer.readers import Limits
from karnama.importer.template import describe_schema, template_bytes


def cmd_template(args) -> int:
    out = Path(args.out)
    out.write_bytes(template_bytes())
    print(f"wrote {out}")
    return 0


def cmd_schema(args) -> int:
    schema = describe_schema()
    if args.json:
        print(json.dumps(schema, ensure_ascii=False, indent=2))
        return 0
    for t in schema["tables"]:
        flag = "" if t["importable"] else "  (not importable)"
        print(f"{t['name']} — {t['label_fa']}  key: {', '.join(t['natural_key'])}{flag}")
        for c in t["columns"]:
            req = "required" if c["required"] else "optional"
            values = f"  [{', '.join(str(v['value']) for v in c['allowed_values'])}]" if c["allowed_values"] else ""
            print(f"    {c['name']:18} {c['header_fa']:28} {c['type']:12} {req}{values}")
    return 0


def problem_line(p) -> str:
    """One finding as a Persian line: kind, where (file, sheet, row, cell, column), what, the value, expected."""
    where = "، ".join(
        x
        for x in (
            f"«{p.source}»" if p.source else "",
            f"برگهٔ «{p.sheet}»" if p.sheet else "",
            texts.CLI_ROW.format(row=fa.num(p.row)) if p.row else "",
            texts.CLI_CELL.format(cell=p.cell) if p.cell else "",
            f"ستون «{p.column}»" if p.column else "",
        )
        if x
    )
    parts = [f"{texts.CLI_ERROR if p.is_error else texts.CLI_WARNING}: " + (f"{where}: " if where else "") + p.message]
    if p.value:
        parts.append(texts.CLI_VALUE.format(value=p.value))
    if p.expected:
        parts.append(texts.CLI_EXPECTED.format(expected=p.expected))
    return " — ".join(parts)


def _print_report(report) -> None:
    for p in report.problems:
        print(problem_line(p))
    for table, c in report.counts.items():
        print(
            texts.CLI_COUNTS.format(
                table=TABLES[table].label_fa,
                uploaded=fa.num(c.uploaded),
                added=fa.num(c.added),
                replaced=fa.num(c.replaced),
                unchanged=fa.num(c.unchanged),
                removed=texts.CLI_REMOVED.format(removed=fa.num(c.removed)) if c.removed else "",
                after=fa.num(c.total_after),
            )
        )
    print(
        texts.CLI_SUMMARY.format(
            errors=fa.num(len(report.errors)), warnings=fa.num(len(report.warnings)), seconds=fa.num(report.seconds, 2)
        )
    )


def _audit(store, event: str, **details) -> None:
    """Publish and rollback from the command line are audited like the app's, under ``cli:<os user>``."""
    problem = audit.try_record(event, audit.cli_account(), settings=settings.load(store.root), **details)
    if problem:
        print(f"warning: {problem}", file=sys.stderr)


def cmd_import(args) -> int:
    store = _store(args)
    conf = settings.load(store.root)
    uploads = []
    for p in args.paths:
        path = Path(p)
        if not path.is_file():
            raise CliError(texts.IMP_NO_SUCH_FILE.format(path=p))
        uploads.append(Upload(path.name, path.read_bytes()))
    as_of = None
    if args.as_of:
        try:
            as_of = cells.parse_date(args.as_of)
        except cells.CellError as exc:
            raise CliError(f"--as-of «{args.as_of}»: {exc.reason}") from None
    report = check(uploads, store, replace=args.replace, limits=Limits.from_mb(conf.upload_max_mb))
    out = report.as_json()
    published = None
    if report.ok and not args.dry_run:
        try:
            published = publish(report, store, author=args.author or getpass.getuser(), as_of=as_of)
        except ImportRefused as exc:
            raise CliError(str(exc)) from None
        out["published"] = published.id
        _audit(
            store,
            "publish",
            snapshot=published.id,
            parent=published.manifest.get("parent"),
            source=published.manifest.get("source"),
        )
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_report(report)
        if published:
            print(texts.CLI_PUBLISHED.format(id=published.id, as_of=fa.date(published.as_of)))
        elif report.ok:
            print(texts.CLI_DRY_RUN)
        else:
            print(texts.CLI_NOTHING_PUBLISHED, file=sys.stderr)
    return 0 if report.ok else 2


def cmd_diff(args) -> int:
    store = _store(args)
    d = history.diff(store, args.a, args.b, kpis=not args.no_kpis)
    if args.json:
        print(json.dumps(d.as_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"{d.a} -> {d.b}")
    for table, c in d.tables.items():
        print(f"  {table:18} +{c.added} added  ~{c.changed} changed  -{c.removed} removed  ({c.unchanged} unchanged)")
    for m in d.kpis:
        print(f"  {m.year} {m.key:45} {m.before} -> {m.after}")
    return 0


def cmd_rollback(args) -> int:
    store = _store(args)
    before = store.active_id()
    snap = history.rollback(store, args.id)
    _audit(store, "rollback", snapshot=snap.id, previous=before)
    print(f"snapshot {snap.id} (created {snap.manifest['created_utc']}, as of {snap.as_of}) is now active")
    return 0


def register(sub, common) -> None:
    """Add the data subcommands to ``python -m karnama``."""
    p = sub.add_parser("template", parents=[common], help="write the Excel import template")
    p.add_argument("--out", required=True, help="where to write the .xlsx file")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("schema", parents=[common], help="print every table, its columns and natural key")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("import", parents=[common], help="check Excel/CSV files and publish them as a new snapshot")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="check and report only; publish nothing")
    p.add_argument("--replace", action="store_true", help="replace the uploaded tables whole instead of upserting")
    p.add_argument("--as-of", help="Jalali date the data runs to (default: its latest date)")
    p.add_argument("--author", help="recorded in the snapshot (default: the login name)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("diff", parents=[common], help="rows and KPI values that changed between two snapshots")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--no-kpis", action="store_true", help="compare rows only")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("rollback", parents=[common], help="make an older snapshot active again (nothing is deleted)")
    p.add_argument("id")
    p.set_defaults(func=cmd_rollback)
