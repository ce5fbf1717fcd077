-- Purpose: supported-employment clients per county and stage by the Jalali year they enrolled and the year
--   they were stabilised (NULL = not stabilised): enough to tell who was active in any year for the funnel.
--   A date outside the calendar's years counts as year -1 (before) or 32767 (after), as the date comparison
--   it replaces would.
-- Grain: one row per county, stage, enrolment year and stabilisation year.
-- Parameters: none (built once per snapshot by karnama/rollups.py).
WITH span AS (SELECT min(d) AS lo, max(d) AS hi FROM calendar)
SELECT s.county_code, s.stage,
    coalesce(ce.jy, CASE WHEN s.enrolled_on < span.lo THEN -1 ELSE 32767 END)::SMALLINT AS enrolled_year,
    CASE WHEN s.stabilised_on IS NULL THEN NULL
         ELSE coalesce(cs.jy, CASE WHEN s.stabilised_on < span.lo THEN -1 ELSE 32767 END) END::SMALLINT
        AS stabilised_year,
    count(*) AS n
FROM se_clients s
CROSS JOIN span
LEFT JOIN calendar ce ON ce.d = s.enrolled_on
LEFT JOIN calendar cs ON cs.d = s.stabilised_on
GROUP BY ALL
