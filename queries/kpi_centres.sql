-- Purpose: people employed through licensed (placement / service) centres: clients, family members, graduates.
-- Grain: one row per Jalali year, for $year - 1 and $year.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
picked AS (
    SELECT * FROM centre_employment
    WHERE year IN (SELECT year FROM years)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
)
SELECT
    y.year,
    coalesce(sum(p.clients_employed + p.family_employed), 0) AS centre_employment,
    coalesce(sum(p.clients_employed), 0) AS centre_clients_employed,
    coalesce(sum(p.family_employed), 0) AS centre_family_employed,
    coalesce(sum(p.graduates), 0) AS centre_graduates
FROM years y
LEFT JOIN picked p ON p.year = y.year
GROUP BY y.year
ORDER BY y.year
