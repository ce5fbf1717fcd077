-- Purpose: the headline KPI counts per Jalali month of one year, summed from the KPI layer (kpi_facts), for the
--   monthly charts of exports and the presentation and the year-end forecast: stabilised SE jobs, incentive
--   beneficiaries (stabilisation / creation), people employed through licensed centres, loans approved and their
--   planned jobs, in-person and remote monitoring visits. Month sums equal the year's KPIs.
-- Grain: one row per Jalali month 1..12 of $year (months without data hold zeros).
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH months AS (SELECT unnest(range(1, 13))::TINYINT AS month),
facts AS (
    SELECT month,
        sum(se_stabilised) AS se_stabilised,
        sum(incentive_stabilisation_total) AS incentive_stabilisation_total,
        sum(incentive_creation_total) AS incentive_creation_total,
        sum(centre_employment) AS centre_employment,
        sum(loans_count) AS loans_count,
        sum(loans_amount_rials) AS loans_amount_rials,
        sum(loans_planned_jobs) AS loans_planned_jobs,
        sum(in_person_visits) AS in_person_visits,
        sum(remote_visits) AS remote_visits
    FROM kpi_facts
    WHERE year = $year AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
    GROUP BY month
)
SELECT
    mo.month,
    coalesce(f.se_stabilised, 0)::BIGINT AS se_stabilised,
    coalesce(f.incentive_stabilisation_total, 0) AS incentive_stabilisation_total,
    coalesce(f.incentive_creation_total, 0) AS incentive_creation_total,
    coalesce(f.centre_employment, 0) AS centre_employment,
    coalesce(f.loans_count, 0)::BIGINT AS loans_count,
    coalesce(f.loans_amount_rials, 0)::BIGINT AS loans_amount_rials,
    coalesce(f.loans_planned_jobs, 0) AS loans_planned_jobs,
    coalesce(f.in_person_visits, 0)::BIGINT AS in_person_visits,
    coalesce(f.remote_visits, 0)::BIGINT AS remote_visits
FROM months mo
LEFT JOIN facts f ON f.month = mo.month
ORDER BY mo.month
