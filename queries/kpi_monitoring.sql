-- Purpose: monitoring coverage. Remote: counties with at least one remote visit in the Jalali year / counties
--   that have data of their own that year. In person: of the loan projects approved in the previous Jalali year
--   (the cohort due for monitoring), the share with an in-person visit dated on or before the end of the year.
-- Grain: one row per Jalali year, for $year - 1 and $year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
scope AS (
    SELECT code, established_jy FROM counties
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
),
remote AS (
    SELECT year, count(DISTINCT county_code) AS n FROM agg_monitoring
    WHERE mode = 'remote' AND county_code IN (SELECT code FROM scope)
    GROUP BY year
),
totals AS (
    SELECT y.year, count(s.code) AS n
    FROM years y LEFT JOIN scope s ON s.established_jy IS NULL OR s.established_jy < y.year
    GROUP BY y.year
),
in_person AS (
    SELECT approved_year + 1 AS year, sum(n)::BIGINT AS due,
        (coalesce(sum(n) FILTER (WHERE first_year <= approved_year + 1), 0))::BIGINT AS visited
    FROM agg_coverage
    WHERE approved_year + 1 IN (SELECT year FROM years) AND county_code IN (SELECT code FROM scope)
    GROUP BY approved_year
)
SELECT
    y.year,
    t.n AS counties_total,
    coalesce(r.n, 0) AS remote_counties_monitored,
    coalesce(r.n, 0) / nullif(t.n, 0) AS remote_monitoring_county_coverage,
    coalesce(i.due, 0) AS projects_due,
    coalesce(i.visited, 0) AS in_person_projects_visited,
    i.visited / nullif(i.due, 0) AS in_person_monitoring_project_coverage
FROM years y
INNER JOIN totals t ON t.year = y.year
LEFT JOIN remote r ON r.year = y.year
LEFT JOIN in_person i ON i.year = y.year
ORDER BY y.year
