"""What every subcommand shares: the user-mistake error, the data directory's store, the snapshot to read."""

from __future__ import annotations

import sys
from pathlib import Path

from karnama.core.paths import default_data_dir
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
