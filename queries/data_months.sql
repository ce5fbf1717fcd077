-- Purpose: which Jalali months hold rows, per county-level table and county: the base of data freshness.
-- Grain: one row per table, county, Jalali year and month with at least one row (SE clients by the month of
--   their latest event: enrolment, placement or stabilisation).
-- Parameters: $counties (county codes; an empty list means the whole province).
WITH months AS (
    SELECT 'incentives' AS table_name, county_code, year, month FROM incentives
    UNION ALL
    SELECT 'centre_employment' AS table_name, county_code, year, month FROM centre_employment
    UNION ALL
    SELECT 'loans' AS table_name, county_code, year, month FROM agg_loans
    UNION ALL
    SELECT 'monitoring' AS table_name, county_code, year, month FROM agg_monitoring
    UNION ALL
    SELECT 'se_clients' AS table_name, county_code, year, month FROM agg_se_events
)
SELECT DISTINCT table_name, county_code, year::SMALLINT AS year, month::TINYINT AS month
FROM months
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
ORDER BY table_name ASC, county_code ASC, year ASC, month ASC
