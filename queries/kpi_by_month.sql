-- Purpose: the headline KPI counts per Jalali month of one year, for the monthly charts of exports and the
--   presentation: stabilised SE jobs, incentive beneficiaries (stabilisation / creation), people employed through
--   licensed centres, loans approved, in-person and remote monitoring visits. Month sums equal the year's KPIs.
-- Grain: one row per Jalali month 1..12 of $year (months without data hold zeros).
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH months AS (SELECT unnest(range(1, 13))::TINYINT AS month),
se AS (
    SELECT month, sum(n)::BIGINT AS n
    FROM agg_se_events
    WHERE event = 'stabilised' AND year = $year
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY month
),
inc AS (
    SELECT month,
        sum(beneficiaries) FILTER (WHERE purpose = 'stabilisation') AS stabilisation,
        sum(beneficiaries) FILTER (WHERE purpose = 'creation') AS creation
    FROM incentives
    WHERE year = $year AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY month
),
centres AS (
    SELECT month, sum(clients_employed + family_employed) AS n
    FROM centre_employment
    WHERE year = $year AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY month
),
loans_m AS (
    SELECT month, sum(n)::BIGINT AS n, sum(amount_rials) AS amount
    FROM agg_loans
    WHERE year = $year AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY month
),
visits AS (
    SELECT month,
        coalesce(sum(n) FILTER (WHERE mode = 'in_person'), 0)::BIGINT AS in_person,
        coalesce(sum(n) FILTER (WHERE mode = 'remote'), 0)::BIGINT AS remote
    FROM agg_monitoring
    WHERE year = $year AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY month
)
SELECT
    mo.month,
    coalesce(se.n, 0) AS se_stabilised,
    coalesce(inc.stabilisation, 0) AS incentive_stabilisation_total,
    coalesce(inc.creation, 0) AS incentive_creation_total,
    coalesce(centres.n, 0) AS centre_employment,
    coalesce(l.n, 0) AS loans_count,
    coalesce(l.amount, 0)::BIGINT AS loans_amount_rials,
    coalesce(v.in_person, 0) AS in_person_visits,
    coalesce(v.remote, 0) AS remote_visits
FROM months mo
LEFT JOIN se ON se.month = mo.month
LEFT JOIN inc ON inc.month = mo.month
LEFT JOIN centres ON centres.month = mo.month
LEFT JOIN loans_m l ON l.month = mo.month
LEFT JOIN visits v ON v.month = mo.month
ORDER BY mo.month
