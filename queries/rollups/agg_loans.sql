-- Purpose: employment-facilitation loans approved per county, kind, Jalali year and month: projects, rials
--   and planned jobs, the pre-aggregated base of every loan query.
-- Grain: one row per county, kind, Jalali year and month of approval with at least one project.
-- Parameters: none (built once per snapshot by karnama/rollups.py).
SELECT l.county_code, l.kind, c.jy AS year, c.jm AS month, count(*) AS n,
    sum(l.amount_rials) AS amount_rials, sum(l.planned_jobs) AS planned_jobs
FROM loans l INNER JOIN calendar c ON c.d = l.approved_on
GROUP BY ALL
