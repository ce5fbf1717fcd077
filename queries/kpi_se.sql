-- Purpose: supported employment: placements and stabilised jobs (only a stabilised job counts toward the target).
-- Grain: one row per Jalali year, for $year - 1 and $year; a client counts in the Jalali year of the event.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
picked AS (
    SELECT event, year, n FROM agg_se_events
    WHERE year IN (SELECT year FROM years)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
),
stabilised AS (SELECT year, sum(n)::BIGINT AS n FROM picked WHERE event = 'stabilised' GROUP BY year),
placed AS (SELECT year, sum(n)::BIGINT AS n FROM picked WHERE event = 'placed' GROUP BY year),
enrolled AS (SELECT year, sum(n)::BIGINT AS n FROM picked WHERE event = 'enrolled' GROUP BY year)
SELECT
    y.year,
    coalesce(s.n, 0) AS se_stabilised,
    coalesce(pl.n, 0) AS se_placed,
    coalesce(e.n, 0) AS se_enrolled
FROM years y
LEFT JOIN stabilised s ON s.year = y.year
LEFT JOIN placed pl ON pl.year = y.year
LEFT JOIN enrolled e ON e.year = y.year
ORDER BY y.year
