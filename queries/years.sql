-- Purpose: the Jalali years that hold any data, for the year filter.
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
    SELECT year FROM targets
)
SELECT DISTINCT year::SMALLINT AS year FROM scoped ORDER BY year DESC
