-- Purpose: loan projects per county and Jalali year of approval, by the Jalali year and month of their first
--   in-person visit (NULL = never visited in person): in-person coverage of any cohort, by the end of any month,
--   is a sum over this table.
-- Grain: one row per county (of the loan), approval year and first-visit year and month.
-- Parameters: none (built once per snapshot by karnama/rollups.py).
WITH first_visit AS (
    SELECT m.project_id, min(m.visited_on) AS d
    FROM monitoring m
    WHERE m.mode = 'in_person'
    GROUP BY m.project_id
)
SELECT l.county_code, c.jy AS approved_year, fc.jy AS first_year, fc.jm AS first_month, count(*) AS n
FROM loans l
INNER JOIN calendar c ON c.d = l.approved_on
LEFT JOIN first_visit f ON f.project_id = l.project_id
LEFT JOIN calendar fc ON fc.d = f.d
GROUP BY ALL
