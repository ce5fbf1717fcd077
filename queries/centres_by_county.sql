-- Purpose: people employed through licensed centres per county in a Jalali year: clients, family members,
--   university graduates among them, and the number of centres reporting.
-- Grain: one row per county in scope with any employment in the year; by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
SELECT c.code AS county_code, c.name_fa,
    sum(e.clients_employed) AS clients, sum(e.family_employed) AS family,
    sum(e.clients_employed + e.family_employed) AS total, sum(e.graduates) AS graduates,
    count(DISTINCT e.centre) AS centres
FROM counties c
INNER JOIN centre_employment e ON e.county_code = c.code AND e.year = $year
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], c.code)
GROUP BY c.code, c.name_fa
HAVING sum(e.clients_employed + e.family_employed) > 0
ORDER BY c.name_fa
