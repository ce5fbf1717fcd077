"""What every subcommand shares: the user-mistake error, the data directory's store, the snapshot to read."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from karnama.cli import users as cli_users
from karnama.core import texts
from karnama.core.paths import default_data_dir
from karnama.data import catalog
from karnama.data.snapshots import Snapshot, SnapshotStore


class CliError(Exception):
    """A user mistake; printed without a traceback, exit code 2."""


def store(args) -> SnapshotStore:
    """The snapshot store of ``--data-dir`` (default ``$KARNAMA_DATA_DIR`` or data/)."""
    return SnapshotStore(Path(args.data_dir) if args.data_dir else default_data_dir())


def resolve_snapshot(args) -> Snapshot:
    """The snapshot ``--snapshot`` names (an error if it cannot be opened), else the active one (a fallback is
    said on stderr)."""
    resolved = store(args).resolve(args.snapshot)
    if args.snapshot and resolved.snapshot.id != args.snapshot:
        raise CliError(resolved.notice or f"snapshot {args.snapshot} cannot be opened")
    if resolved.notice:
        print(resolved.notice, file=sys.stderr)
    return resolved.snapshot


def county_codes(snapshot: Snapshot, raw: list[str] | None) -> tuple[str, ...]:
    """County codes for what was typed: codes or names, repeated or comma-separated."""

    codes: list[str] = []
    for item in raw or []:
        for part in (p.strip() for p in item.replace("،", ",").split(",")):
            if not part:
                continue
            code = catalog.resolve_county(snapshot, part)
            if code is None:
                raise CliError(texts.CLI_UNKNOWN_COUNTY.format(county=part))
            if code not in codes:
                codes.append(code)
    return tuple(codes)


def user_scope(args, counties: Iterable[str] = ()) -> frozenset[str] | None:
    """``--user``: that account's county scope, as in the app (no password: the CLI runs on the server); None
    without ``--user``. CliError when a chosen county lies outside it."""
    scope = cli_users.account_for(args.data_dir, args.user).scope if args.user else None
    outside = [c for c in counties if scope is not None and c not in scope]
    if outside:
        raise CliError(texts.AUTH_COUNTY_OUT_OF_SCOPE.format(county=outside[0], name=args.user))
    return scope
