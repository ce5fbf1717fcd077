-- Purpose: supported employment per SE centre in a Jalali year: enrolments, placements, stabilisations.
-- Grain: one row per centre with any event in the year; by centre name.
-- Parameters: $year (Jalali year), $counties (county codes of the clients; an empty list means all).
WITH picked AS (
    SELECT centre, event, year, n FROM agg_se_events
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
)
SELECT p.centre,
    coalesce(sum(p.n) FILTER (WHERE p.event = 'enrolled' AND p.year = $year), 0)::BIGINT AS enrolled,
    coalesce(sum(p.n) FILTER (WHERE p.event = 'placed' AND p.year = $year), 0)::BIGINT AS placed,
    coalesce(sum(p.n) FILTER (WHERE p.event = 'stabilised' AND p.year = $year), 0)::BIGINT AS stabilised
FROM picked p
GROUP BY p.centre
HAVING coalesce(sum(p.n) FILTER (WHERE p.year = $year), 0) > 0
ORDER BY p.centre
