-- Purpose: supported-employment progress per county: stabilised jobs in the Jalali year (from the KPI layer,
--   kpi_facts) against the county's own target (a province row with an empty county is nobody's target).
-- Grain: one row per county that has a target or a stabilised job in the year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH scope AS (
    SELECT code, name_fa FROM counties
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
),
stabilised AS (
    SELECT county_code, sum(se_stabilised)::BIGINT AS stabilised
    FROM kpi_facts
    WHERE year = $year
    GROUP BY county_code
    HAVING sum(se_stabilised) > 0
),
target AS (
    SELECT county_code, sum(target) AS target
    FROM targets
    WHERE year = $year AND indicator = 'se_stabilised' AND county_code IS NOT NULL AND county_code <> ''
    GROUP BY county_code
)
SELECT
    sc.code AS county_code,
    sc.name_fa,
    coalesce(s.stabilised, 0) AS stabilised,
    t.target,
    coalesce(s.stabilised, 0) / nullif(t.target, 0) AS progress
FROM scope sc
LEFT JOIN stabilised s ON s.county_code = sc.code
LEFT JOIN target t ON t.county_code = sc.code
WHERE s.stabilised IS NOT NULL OR t.target IS NOT NULL
ORDER BY progress ASC NULLS LAST, sc.name_fa ASC
