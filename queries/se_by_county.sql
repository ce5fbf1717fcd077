-- Purpose: supported employment per county in a Jalali year: placements, stabilisations and the target.
-- Grain: one row per county in scope that has a target, a placement or a stabilisation; by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH scope AS (
    SELECT code, name_fa FROM counties
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
),
placed AS (
    SELECT county_code, sum(n)::BIGINT AS n FROM agg_se_events
    WHERE event = 'placed' AND year = $year GROUP BY 1
),
stabilised AS (
    SELECT county_code, sum(n)::BIGINT AS n FROM agg_se_events
    WHERE event = 'stabilised' AND year = $year GROUP BY 1
),
target AS (
    SELECT county_code, sum(target) AS target FROM targets
    WHERE year = $year AND indicator = 'se_stabilised' AND county_code IS NOT NULL GROUP BY 1
)
SELECT sc.code AS county_code, sc.name_fa,
    coalesce(p.n, 0) AS placed, coalesce(s.n, 0) AS stabilised, t.target,
    coalesce(s.n, 0) / nullif(t.target, 0) AS progress
FROM scope sc
LEFT JOIN placed p ON p.county_code = sc.code
LEFT JOIN stabilised s ON s.county_code = sc.code
LEFT JOIN target t ON t.county_code = sc.code
WHERE p.n IS NOT NULL OR s.n IS NOT NULL OR t.target IS NOT NULL
ORDER BY sc.name_fa
