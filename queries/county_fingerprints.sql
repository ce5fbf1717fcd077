-- Purpose: a fingerprint of each county's rows in each county-level table, so that comparing snapshots tells which
--   one last changed a county's rows (data freshness).
-- Grain: one row per table and county with at least one row.
-- Parameters: $counties (county codes; an empty list means the whole province).
-- Reads the rollup agg_fingerprints (queries/rollups/agg_fingerprints.sql), built once per snapshot.
SELECT f.table_name, f.county_code, f.n_rows, f.fingerprint::VARCHAR AS fingerprint
FROM agg_fingerprints f
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], f.county_code)
ORDER BY f.table_name ASC, f.county_code ASC
