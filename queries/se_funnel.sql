-- Purpose: the five-stage supported-employment funnel: clients active in the Jalali year who have reached each
--   stage (1 client engagement … 5 on/off-the-job support), and how many of them have a stabilised job.
--   Active = enrolled on or before the year's end and not stabilised before the year began.
-- Grain: one row per stage 1..5 plus stage 6 = stabilised in or before the year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH bounds AS (
    SELECT min(d) AS first_day, max(d) AS last_day FROM calendar WHERE jy = $year
),
active AS (
    SELECT s.* FROM se_clients s, bounds b
    WHERE s.enrolled_on <= b.last_day
      AND (s.stabilised_on IS NULL OR s.stabilised_on >= b.first_day)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], s.county_code))
),
stages AS (SELECT unnest(range(1, 7)) AS stage)
SELECT
    st.stage::INTEGER AS stage,
    CASE WHEN st.stage <= 5 THEN (SELECT count(*) FROM active a WHERE a.stage >= st.stage)
         ELSE (SELECT count(*) FROM active a, bounds b WHERE a.stabilised_on <= b.last_day) END AS clients
FROM stages st
ORDER BY st.stage
