-- Purpose: a fingerprint of each county's rows in each county-level table, so that comparing snapshots tells which
--   one last changed a county's rows (data freshness) without scanning every row of every ancestor snapshot.
-- Grain: one row per table and county with at least one row.
-- Parameters: none (built once per snapshot by karnama/data/rollups.py).
SELECT 'incentives' AS table_name, i.county_code, count(*) AS n_rows, sum(hash(i)::HUGEINT) AS fingerprint
FROM incentives i GROUP BY i.county_code
UNION ALL
SELECT 'centre_employment' AS table_name, ce.county_code, count(*) AS n_rows, sum(hash(ce)::HUGEINT) AS fingerprint
FROM centre_employment ce GROUP BY ce.county_code
UNION ALL
SELECT 'loans' AS table_name, l.county_code, count(*) AS n_rows, sum(hash(l)::HUGEINT) AS fingerprint
FROM loans l GROUP BY l.county_code
UNION ALL
SELECT 'monitoring' AS table_name, m.county_code, count(*) AS n_rows, sum(hash(m)::HUGEINT) AS fingerprint
FROM monitoring m GROUP BY m.county_code
UNION ALL
SELECT 'se_clients' AS table_name, s.county_code, count(*) AS n_rows, sum(hash(s)::HUGEINT) AS fingerprint
FROM se_clients s GROUP BY s.county_code
