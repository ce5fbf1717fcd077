-- Purpose: supported employment through the Jalali year: placements and stabilisations per month, and the
--   running total of stabilisations (what counts toward the target).
-- Grain: one row per Jalali month 1..12 of $year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH picked AS (
    SELECT event, month, n FROM agg_se_events
    WHERE year = $year
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
),
months AS (SELECT unnest(range(1, 13))::INTEGER AS month),
placed AS (SELECT month, sum(n)::BIGINT AS n FROM picked WHERE event = 'placed' GROUP BY 1),
stabilised AS (SELECT month, sum(n)::BIGINT AS n FROM picked WHERE event = 'stabilised' GROUP BY 1)
SELECT m.month, coalesce(pl.n, 0) AS placed, coalesce(s.n, 0) AS stabilised,
    sum(coalesce(s.n, 0)) OVER (ORDER BY m.month) AS stabilised_cumulative
FROM months m
LEFT JOIN placed pl ON pl.month = m.month
LEFT JOIN stabilised s ON s.month = m.month
ORDER BY m.month
