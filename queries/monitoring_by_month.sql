-- Purpose: the monitoring timeline: visits per Jalali month and mode, from Bahman of the previous year (when the
--   in-person round for last year's loans starts) to the end of the chosen year.
-- Grain: one row per (Jalali year, month) in that window, with in-person and remote visit counts.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH months AS (
    SELECT DISTINCT jy, jm FROM calendar
    WHERE (jy = $year - 1 AND jm >= 11) OR jy = $year
),
visits AS (
    SELECT year AS jy, month AS jm, mode, sum(n)::BIGINT AS n
    FROM agg_monitoring
    WHERE ((year = $year - 1 AND month >= 11) OR year = $year)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY 1, 2, 3
)
SELECT mo.jy AS year, mo.jm::INTEGER AS month,
    coalesce(sum(v.n) FILTER (WHERE v.mode = 'in_person'), 0) AS in_person,
    coalesce(sum(v.n) FILTER (WHERE v.mode = 'remote'), 0) AS remote
FROM months mo
LEFT JOIN visits v ON v.jy = mo.jy AND v.jm = mo.jm
GROUP BY mo.jy, mo.jm
ORDER BY mo.jy, mo.jm
