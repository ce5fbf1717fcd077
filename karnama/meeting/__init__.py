"""The monthly review meeting: data freshness per county and table, "what changed" between snapshots in Persian,
and the one-file meeting pack with its delivery. Pure logic: no streamlit."""
