-- Purpose: the target of every indicator for the chosen counties: for the whole province the province row
--   (county empty: NULL or an empty string) if there is one, else the sum of the county rows; for chosen
--   counties the sum of their rows.
-- Grain: one row per Jalali year ($year - 1, $year) and indicator.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
SELECT
    year,
    indicator,
    CASE
        WHEN len($counties::VARCHAR[]) = 0 THEN coalesce(
            max(target) FILTER (WHERE coalesce(county_code, '') = ''),
            sum(target) FILTER (WHERE coalesce(county_code, '') <> ''))
        ELSE sum(target) FILTER (WHERE list_contains($counties::VARCHAR[], county_code))
    END AS target
FROM targets
WHERE year IN ($year - 1, $year)
GROUP BY year, indicator
ORDER BY year, indicator
