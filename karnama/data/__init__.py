"""The data layer: immutable parquet snapshots, their pre-aggregated rollups, the SQL runner (queries/*.sql with
bound parameters, narrowed to a county scope), the catalog, and the demo generator. No streamlit."""
