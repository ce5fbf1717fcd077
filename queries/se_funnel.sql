-- Purpose: the five-stage supported-employment funnel: clients active in the Jalali year who have reached each
--   stage (1 client engagement … 5 on/off-the-job support), and how many of them have a stabilised job.
--   Active = enrolled on or before the year's end and not stabilised before the year began.
-- Grain: one row per stage 1..5 plus stage 6 = stabilised in or before the year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH known AS (
    SELECT count(*) > 0 AS ok FROM calendar WHERE jy = $year
),
active AS (
    SELECT f.stage, f.stabilised_year, f.n FROM agg_se_funnel f, known k
    WHERE k.ok
      AND f.enrolled_year <= $year
      AND (f.stabilised_year IS NULL OR f.stabilised_year >= $year)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], f.county_code))
),
stages AS (SELECT unnest(range(1, 7)) AS stage)
SELECT
    st.stage::INTEGER AS stage,
    CASE WHEN st.stage <= 5 THEN (SELECT coalesce(sum(n), 0)::BIGINT FROM active a WHERE a.stage >= st.stage)
         ELSE (SELECT coalesce(sum(n), 0)::BIGINT FROM active a WHERE a.stabilised_year <= $year) END AS clients
FROM stages st
ORDER BY st.stage
