-- Purpose: loan projects per county and Jalali year of approval, by the Jalali year of their first in-person
--   visit (NULL = never visited in person): in-person coverage of any cohort is a sum over this table.
-- Grain: one row per county (of the loan), approval year and first-visit year.
-- Parameters: none (built once per snapshot by karnama/rollups.py).
WITH first_visit AS (
    SELECT m.project_id, min(c.jy) AS first_year
    FROM monitoring m INNER JOIN calendar c ON c.d = m.visited_on
    WHERE m.mode = 'in_person'
    GROUP BY m.project_id
)
SELECT l.county_code, c.jy AS approved_year, f.first_year, count(*) AS n
FROM loans l
INNER JOIN calendar c ON c.d = l.approved_on
LEFT JOIN first_visit f ON f.project_id = l.project_id
GROUP BY ALL
