-- Purpose: employment-facilitation loans approved per county in a Jalali year: projects, rials, planned jobs,
--   rials per planned job.
-- Grain: one row per county in scope with any approval in the year; by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
SELECT c.code AS county_code, c.name_fa,
    sum(l.n)::BIGINT AS projects, sum(l.amount_rials)::BIGINT AS amount_rials, sum(l.planned_jobs) AS planned_jobs,
    sum(l.amount_rials) / nullif(sum(l.planned_jobs), 0) AS amount_per_job
FROM counties c
INNER JOIN agg_loans l ON l.county_code = c.code AND l.year = $year
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], c.code)
GROUP BY c.code, c.name_fa
ORDER BY c.name_fa
