-- Purpose: employment-facilitation loans approved per county in a Jalali year: projects, rials, planned jobs,
--   rials per planned job.
-- Grain: one row per county in scope with any approval in the year; by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
SELECT c.code AS county_code, c.name_fa,
    count(*) AS projects, sum(l.amount_rials)::BIGINT AS amount_rials, sum(l.planned_jobs) AS planned_jobs,
    sum(l.amount_rials) / nullif(sum(l.planned_jobs), 0) AS amount_per_job
FROM counties c
JOIN loans l ON l.county_code = c.code
JOIN calendar cal ON cal.d = l.approved_on AND cal.jy = $year
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], c.code)
GROUP BY c.code, c.name_fa
ORDER BY c.name_fa
