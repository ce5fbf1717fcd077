"""Comparing two versions of a table by its natural key, and upserting an upload into a snapshot's table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from karnama.importer.report import Counts

# Stands in for an empty key part (a province-wide target has no county) so such keys still match.
_NULL_KEY = "\x00"


@dataclass
class Comparison:
    """How ``new`` differs from ``old``: counts, and which rows of each side are matched."""

    added: int
    changed: int
    removed: int
    unchanged: int
    old_matched: np.ndarray  # bool per old row: its key is also in new
    new_matched: np.ndarray


def _frame(table: pa.Table) -> pd.DataFrame:
    """A pandas frame that hashes fast: dates as day numbers."""
    cols = {}
    for name in table.column_names:
        col = table[name]
        if pa.types.is_date(col.type):
            col = col.cast(pa.int32())
        cols[name] = col
    return pa.table(cols).to_pandas()


def _prepare(table: pa.Table, key: tuple[str, ...]) -> pd.DataFrame:
    df = _frame(table)
    for k in key:
        if df[k].isna().any():
            df[k] = df[k].astype(object).where(df[k].notna(), _NULL_KEY)
    rest = [c for c in df.columns if c not in key]
    out = df[list(key)].copy()
    out["_hash"] = pd.util.hash_pandas_object(df[rest], index=False).to_numpy() if rest else 0
    out["_row"] = np.arange(len(df))
    return out


def compare(old: pa.Table, new: pa.Table, key: tuple[str, ...]) -> Comparison:
    """Rows added, changed (same key, other values), removed and unchanged from ``old`` to ``new``."""
    a, b = _prepare(old, key), _prepare(new, key)
    for k in key:  # make both sides' key columns the same dtype so merge compares values
        if a[k].dtype != b[k].dtype:
            a[k], b[k] = a[k].astype(object), b[k].astype(object)
    m = b.merge(a, on=list(key), how="outer", suffixes=("_new", "_old"), indicator=True)
    both = m["_merge"] == "both"
    changed = int((both & (m["_hash_new"] != m["_hash_old"])).sum())
    old_matched = np.zeros(len(a), dtype=bool)
    old_matched[m.loc[both, "_row_old"].astype(int).to_numpy()] = True
    new_matched = np.zeros(len(b), dtype=bool)
    new_matched[m.loc[both, "_row_new"].astype(int).to_numpy()] = True
    return Comparison(
        added=int((m["_merge"] == "left_only").sum()),
        changed=changed,
        removed=int((m["_merge"] == "right_only").sum()),
        unchanged=int(both.sum()) - changed,
        old_matched=old_matched,
        new_matched=new_matched,
    )


def upsert(base: pa.Table, upload: pa.Table, key: tuple[str, ...], replace: bool = False) -> tuple[pa.Table, Counts]:
    """The table after publishing: ``upload`` replaces rows with the same key (or, with ``replace``, all rows)."""
    cmp = compare(base, upload, key)
    if replace:
        merged = upload
        removed = cmp.removed
    else:
        kept = base.filter(pa.array(~cmp.old_matched)) if len(base) else base
        merged = pa.concat_tables([kept, upload.cast(base.schema)]) if len(kept) else upload
        removed = 0
    counts = Counts(
        uploaded=upload.num_rows,
        added=cmp.added,
        replaced=cmp.changed,
        unchanged=cmp.unchanged,
        removed=removed,
        total_after=merged.num_rows,
    )
    return merged, counts
