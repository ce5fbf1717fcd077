-- Purpose: supported employment per SE centre in a Jalali year: enrolments, placements, stabilisations.
-- Grain: one row per centre with any event in the year; by centre name.
-- Parameters: $year (Jalali year), $counties (county codes of the clients; an empty list means all).
WITH picked AS (
    SELECT * FROM se_clients
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
)
SELECT p.centre,
    count(*) FILTER (WHERE ce.jy = $year) AS enrolled,
    count(*) FILTER (WHERE cp.jy = $year) AS placed,
    count(*) FILTER (WHERE cs.jy = $year) AS stabilised
FROM picked p
LEFT JOIN calendar ce ON ce.d = p.enrolled_on
LEFT JOIN calendar cp ON cp.d = p.placed_on
LEFT JOIN calendar cs ON cs.d = p.stabilised_on
GROUP BY p.centre
HAVING count(*) FILTER (WHERE ce.jy = $year OR cp.jy = $year OR cs.jy = $year) > 0
ORDER BY p.centre
