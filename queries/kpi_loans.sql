-- Purpose: employment-facilitation loans approved: projects, money (rials), planned jobs, money per planned job.
-- Grain: one row per Jalali year of approval, for $year - 1 and $year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
picked AS (
    SELECT year, n, amount_rials, planned_jobs
    FROM agg_loans
    WHERE year IN (SELECT year FROM years)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
)
SELECT
    y.year,
    coalesce(sum(p.n), 0)::BIGINT AS loans_count,
    coalesce(sum(p.amount_rials), 0)::BIGINT AS loans_amount_rials,
    coalesce(sum(p.planned_jobs), 0) AS loans_planned_jobs,
    sum(p.amount_rials) / nullif(sum(p.planned_jobs), 0) AS loans_amount_per_job
FROM years y
LEFT JOIN picked p ON p.year = y.year
GROUP BY y.year
ORDER BY y.year
