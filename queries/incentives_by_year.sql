-- Purpose: insurance incentives across all Jalali years, for the year-over-year trend.
-- Grain: one row per Jalali year and purpose.
-- Parameters: $counties (county codes; an empty list means the whole province).
SELECT year, purpose, sum(beneficiaries) AS beneficiaries, sum(amount_rials)::BIGINT AS amount_rials
FROM incentives
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code)
GROUP BY year, purpose
ORDER BY year, purpose
