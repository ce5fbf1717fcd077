-- Purpose: insurance incentives per kind × purpose in a Jalali year and the year before: people and rials.
-- Grain: one row per kind and purpose (all six, zeros included).
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH combos AS (
    SELECT * FROM (VALUES ('employer_share', 1), ('self_employment', 2), ('efficiency_subsidy', 3)) k(kind, k_order),  -- noqa: AL05, LT01
                  (VALUES ('stabilisation', 1), ('creation', 2)) p(purpose, p_order)  -- noqa: AL05, LT01
),
picked AS (
    SELECT * FROM incentives
    WHERE year IN ($year, $year - 1)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
)
SELECT c.kind, c.purpose,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.year = $year), 0) AS beneficiaries,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.year = $year - 1), 0) AS beneficiaries_previous,
    coalesce(sum(p.amount_rials) FILTER (WHERE p.year = $year), 0)::BIGINT AS amount_rials
FROM combos c
LEFT JOIN picked p ON p.kind = c.kind AND p.purpose = c.purpose
GROUP BY c.kind, c.purpose, c.p_order, c.k_order
ORDER BY c.p_order, c.k_order
