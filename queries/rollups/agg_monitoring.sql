-- Purpose: monitoring visits per county, mode, outcome, Jalali year and month, the pre-aggregated base of the
--   monitoring timeline, outcomes and remote coverage.
-- Grain: one row per county, mode, outcome, Jalali year and month with at least one visit.
-- Parameters: none (built once per snapshot by karnama/rollups.py).
SELECT m.county_code, m.mode, m.outcome, c.jy AS year, c.jm AS month, count(*) AS n
FROM monitoring m INNER JOIN calendar c ON c.d = m.visited_on
GROUP BY ALL
