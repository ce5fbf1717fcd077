-- Purpose: employment-facilitation loans approved in a Jalali year by kind (creation, development, stabilisation).
-- Grain: one row per loan kind with any approval.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
SELECT l.kind, sum(l.n)::BIGINT AS projects, sum(l.amount_rials)::BIGINT AS amount_rials,
    sum(l.planned_jobs) AS planned_jobs
FROM agg_loans l
WHERE l.year = $year
  AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], l.county_code))
GROUP BY l.kind
ORDER BY projects DESC, l.kind ASC
