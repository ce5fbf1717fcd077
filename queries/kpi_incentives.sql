-- Purpose: headline insurance-incentive beneficiaries (three kinds × stabilisation / creation) and money.
-- Grain: one row per Jalali year, for $year - 1 and $year (the year before feeds the year-over-year change).
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
picked AS (
    SELECT * FROM incentives
    WHERE year IN (SELECT year FROM years)
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
)
SELECT
    y.year,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.kind = 'employer_share' AND p.purpose = 'stabilisation'), 0)
        AS incentive_employer_share_stabilisation,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.kind = 'self_employment' AND p.purpose = 'stabilisation'), 0)
        AS incentive_self_employment_stabilisation,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.kind = 'efficiency_subsidy' AND p.purpose = 'stabilisation'), 0)
        AS incentive_efficiency_subsidy_stabilisation,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.kind = 'employer_share' AND p.purpose = 'creation'), 0)
        AS incentive_employer_share_creation,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.kind = 'self_employment' AND p.purpose = 'creation'), 0)
        AS incentive_self_employment_creation,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.kind = 'efficiency_subsidy' AND p.purpose = 'creation'), 0)
        AS incentive_efficiency_subsidy_creation,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.purpose = 'stabilisation'), 0) AS incentive_stabilisation_total,
    coalesce(sum(p.beneficiaries) FILTER (WHERE p.purpose = 'creation'), 0) AS incentive_creation_total,
    coalesce(sum(p.amount_rials), 0) AS incentive_amount_rials
FROM years y
LEFT JOIN picked p ON p.year = y.year
GROUP BY y.year
ORDER BY y.year
