-- Purpose: supported employment: placements and stabilised jobs (only a stabilised job counts toward the target).
-- Grain: one row per Jalali year, for $year - 1 and $year; a client counts in the Jalali year of the event.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
picked AS (
    SELECT * FROM se_clients
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
),
stabilised AS (
    SELECT c.jy AS year, count(*) AS n FROM picked p JOIN calendar c ON c.d = p.stabilised_on GROUP BY c.jy
),
placed AS (
    SELECT c.jy AS year, count(*) AS n FROM picked p JOIN calendar c ON c.d = p.placed_on GROUP BY c.jy
),
enrolled AS (
    SELECT c.jy AS year, count(*) AS n FROM picked p JOIN calendar c ON c.d = p.enrolled_on GROUP BY c.jy
)
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
