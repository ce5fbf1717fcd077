-- Purpose: the KPI layer: every additive KPI figure per county, Jalali year and month, written once. Province
--   figures, the per-county table and the monthly series are sums over this table (queries/kpi_values.sql,
--   kpi_by_county.sql, kpi_by_month.sql); ratios are kept as numerator and denominator so every sum stays exact.
--   In-person monitoring of year Y covers the loan projects approved in Y - 1: they are due from 1 Farvardin
--   (carried in month 1, as are projects first visited before Y), a first visit in Y counts in its month.
-- Grain: one row per county, Jalali year and month with any figure.
-- Parameters: none (built once per snapshot by karnama/rollups.py, after the agg_* tables it reads).
WITH se AS (
    SELECT county_code, year, month,
        sum(n) FILTER (WHERE event = 'stabilised') AS se_stabilised,
        sum(n) FILTER (WHERE event = 'placed') AS se_placed,
        sum(n) FILTER (WHERE event = 'enrolled') AS se_enrolled
    FROM agg_se_events GROUP BY ALL
),
inc AS (
    SELECT county_code, year, month,
        sum(beneficiaries) FILTER (WHERE kind = 'employer_share' AND purpose = 'stabilisation')
            AS incentive_employer_share_stabilisation,
        sum(beneficiaries) FILTER (WHERE kind = 'self_employment' AND purpose = 'stabilisation')
            AS incentive_self_employment_stabilisation,
        sum(beneficiaries) FILTER (WHERE kind = 'efficiency_subsidy' AND purpose = 'stabilisation')
            AS incentive_efficiency_subsidy_stabilisation,
        sum(beneficiaries) FILTER (WHERE kind = 'employer_share' AND purpose = 'creation')
            AS incentive_employer_share_creation,
        sum(beneficiaries) FILTER (WHERE kind = 'self_employment' AND purpose = 'creation')
            AS incentive_self_employment_creation,
        sum(beneficiaries) FILTER (WHERE kind = 'efficiency_subsidy' AND purpose = 'creation')
            AS incentive_efficiency_subsidy_creation,
        sum(beneficiaries) FILTER (WHERE purpose = 'stabilisation') AS incentive_stabilisation_total,
        sum(beneficiaries) FILTER (WHERE purpose = 'creation') AS incentive_creation_total,
        sum(amount_rials) AS incentive_amount_rials
    FROM incentives GROUP BY ALL
),
centres AS (
    SELECT county_code, year, month,
        sum(clients_employed + family_employed) AS centre_employment,
        sum(clients_employed) AS centre_clients_employed,
        sum(family_employed) AS centre_family_employed,
        sum(graduates) AS centre_graduates
    FROM centre_employment GROUP BY ALL
),
loans AS (
    SELECT county_code, year, month,
        sum(n) AS loans_count, sum(amount_rials) AS loans_amount_rials, sum(planned_jobs) AS loans_planned_jobs
    FROM agg_loans GROUP BY ALL
),
visits AS (
    SELECT county_code, year, month,
        sum(n) FILTER (WHERE mode = 'in_person') AS in_person_visits,
        sum(n) FILTER (WHERE mode = 'remote') AS remote_visits
    FROM agg_monitoring GROUP BY ALL
),
coverage AS (
    SELECT county_code, approved_year + 1 AS year, 1 AS month, sum(n) AS projects_due,
        sum(n) FILTER (WHERE first_year <= approved_year) AS in_person_projects_visited
    FROM agg_coverage GROUP BY ALL
    UNION ALL
    SELECT county_code, first_year AS year, first_month AS month, 0 AS projects_due,
        sum(n) AS in_person_projects_visited
    FROM agg_coverage WHERE first_year = approved_year + 1 GROUP BY ALL
),
coverage_m AS (
    SELECT county_code, year, month, sum(projects_due) AS projects_due,
        sum(in_person_projects_visited) AS in_person_projects_visited
    FROM coverage GROUP BY ALL
),
cells AS (
    SELECT county_code, year, month FROM se
    UNION
    SELECT county_code, year, month FROM inc
    UNION
    SELECT county_code, year, month FROM centres
    UNION
    SELECT county_code, year, month FROM loans
    UNION
    SELECT county_code, year, month FROM visits
    UNION
    SELECT county_code, year, month FROM coverage_m
)
SELECT
    k.county_code,
    k.year::SMALLINT AS year,
    k.month::TINYINT AS month,
    coalesce(se.se_stabilised, 0)::BIGINT AS se_stabilised,
    coalesce(se.se_placed, 0)::BIGINT AS se_placed,
    coalesce(se.se_enrolled, 0)::BIGINT AS se_enrolled,
    coalesce(i.incentive_employer_share_stabilisation, 0)::BIGINT AS incentive_employer_share_stabilisation,
    coalesce(i.incentive_self_employment_stabilisation, 0)::BIGINT AS incentive_self_employment_stabilisation,
    coalesce(i.incentive_efficiency_subsidy_stabilisation, 0)::BIGINT AS incentive_efficiency_subsidy_stabilisation,
    coalesce(i.incentive_employer_share_creation, 0)::BIGINT AS incentive_employer_share_creation,
    coalesce(i.incentive_self_employment_creation, 0)::BIGINT AS incentive_self_employment_creation,
    coalesce(i.incentive_efficiency_subsidy_creation, 0)::BIGINT AS incentive_efficiency_subsidy_creation,
    coalesce(i.incentive_stabilisation_total, 0)::BIGINT AS incentive_stabilisation_total,
    coalesce(i.incentive_creation_total, 0)::BIGINT AS incentive_creation_total,
    coalesce(i.incentive_amount_rials, 0)::BIGINT AS incentive_amount_rials,
    coalesce(c.centre_employment, 0)::BIGINT AS centre_employment,
    coalesce(c.centre_clients_employed, 0)::BIGINT AS centre_clients_employed,
    coalesce(c.centre_family_employed, 0)::BIGINT AS centre_family_employed,
    coalesce(c.centre_graduates, 0)::BIGINT AS centre_graduates,
    coalesce(l.loans_count, 0)::BIGINT AS loans_count,
    coalesce(l.loans_amount_rials, 0)::BIGINT AS loans_amount_rials,
    coalesce(l.loans_planned_jobs, 0)::BIGINT AS loans_planned_jobs,
    coalesce(v.in_person_visits, 0)::BIGINT AS in_person_visits,
    coalesce(v.remote_visits, 0)::BIGINT AS remote_visits,
    coalesce(cv.projects_due, 0)::BIGINT AS projects_due,
    coalesce(cv.in_person_projects_visited, 0)::BIGINT AS in_person_projects_visited
FROM cells k
LEFT JOIN se ON se.county_code = k.county_code AND se.year = k.year AND se.month = k.month
LEFT JOIN inc i ON i.county_code = k.county_code AND i.year = k.year AND i.month = k.month
LEFT JOIN centres c ON c.county_code = k.county_code AND c.year = k.year AND c.month = k.month
LEFT JOIN loans l ON l.county_code = k.county_code AND l.year = k.year AND l.month = k.month
LEFT JOIN visits v ON v.county_code = k.county_code AND v.year = k.year AND v.month = k.month
LEFT JOIN coverage_m cv ON cv.county_code = k.county_code AND cv.year = k.year AND cv.month = k.month
ORDER BY k.year, k.month, k.county_code
