-- Purpose: the Jalali years that hold any data, for the year filter: monthly tables, loans, supported-employment
--   events (enrolment, placement, stabilisation), monitoring visits and targets.
-- Grain: one row per Jalali year, newest first.
-- Parameters: $counties (county codes; an empty list means the whole province).
WITH scoped AS (
    SELECT year FROM incentives
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT year FROM centre_employment
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT year FROM agg_loans
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT year FROM agg_se_events
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT year FROM agg_monitoring
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
    UNION
    SELECT year FROM targets
)
SELECT DISTINCT year::SMALLINT AS year FROM scoped ORDER BY year DESC
