-- Purpose: which counties hold data in which Jalali years, for telling whether a chosen year has data for chosen
--   counties without a query per choice (the same sources as years.sql); a target year counts for every county,
--   as in years.sql, and comes with a NULL county_code.
-- Grain: one row per county and Jalali year (one per target year with county_code NULL), newest year first.
-- Parameters: $counties (county codes; an empty list means the whole province).
WITH scoped AS (
    SELECT county_code, year FROM incentives
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT county_code, year FROM centre_employment
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT county_code, year FROM agg_loans
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT county_code, year FROM agg_se_events
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT county_code, year FROM agg_monitoring
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT NULL AS county_code, year FROM targets
)
SELECT DISTINCT county_code::VARCHAR AS county_code, year::SMALLINT AS year FROM scoped
ORDER BY year DESC, county_code ASC NULLS FIRST
