-- Purpose: insurance-incentive beneficiaries per county in a Jalali year, stabilisation vs creation, with rials
--   and the year before for the change.
-- Grain: one row per county in scope with any beneficiary in either year; by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
SELECT c.code AS county_code, c.name_fa,
    coalesce(sum(i.beneficiaries) FILTER (WHERE i.year = $year AND i.purpose = 'stabilisation'), 0) AS stabilisation,
    coalesce(sum(i.beneficiaries) FILTER (WHERE i.year = $year AND i.purpose = 'creation'), 0) AS creation,
    coalesce(sum(i.beneficiaries) FILTER (WHERE i.year = $year), 0) AS total,
    coalesce(sum(i.beneficiaries) FILTER (WHERE i.year = $year - 1), 0) AS total_previous,
    coalesce(sum(i.amount_rials) FILTER (WHERE i.year = $year), 0)::BIGINT AS amount_rials
FROM counties c
INNER JOIN incentives i ON i.county_code = c.code AND i.year IN ($year, $year - 1)
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], c.code)
GROUP BY c.code, c.name_fa
ORDER BY c.name_fa
