-- Purpose: every KPI of the chosen counties for $year - 1 and $year, summed from the KPI layer (kpi_facts) over
--   the months 1..$through_month of each year (12 = whole years; fewer = the same span of both years, for a
--   same-period comparison). Remote coverage: counties with a remote visit in the span / counties with data of
--   their own that year. In-person coverage: of the projects approved the year before, those visited in person by
--   the end of the span. Money per planned job: loan money / planned jobs.
-- Grain: one row per Jalali year, for $year - 1 and $year.
-- Parameters: $year (Jalali year), $through_month (1..12), $counties (county codes; an empty list means the
--   whole province).
WITH years AS (SELECT unnest([$year - 1, $year])::SMALLINT AS year),
scope AS (
    SELECT code, established_jy FROM counties
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
),
picked AS (
    SELECT * FROM kpi_facts
    WHERE year IN (SELECT year FROM years) AND month <= $through_month
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
),
sums AS (
    SELECT year,
        sum(se_stabilised) AS se_stabilised,
        sum(se_placed) AS se_placed,
        sum(se_enrolled) AS se_enrolled,
        sum(incentive_employer_share_stabilisation) AS incentive_employer_share_stabilisation,
        sum(incentive_self_employment_stabilisation) AS incentive_self_employment_stabilisation,
        sum(incentive_efficiency_subsidy_stabilisation) AS incentive_efficiency_subsidy_stabilisation,
        sum(incentive_employer_share_creation) AS incentive_employer_share_creation,
        sum(incentive_self_employment_creation) AS incentive_self_employment_creation,
        sum(incentive_efficiency_subsidy_creation) AS incentive_efficiency_subsidy_creation,
        sum(incentive_stabilisation_total) AS incentive_stabilisation_total,
        sum(incentive_creation_total) AS incentive_creation_total,
        sum(incentive_amount_rials) AS incentive_amount_rials,
        sum(centre_employment) AS centre_employment,
        sum(centre_clients_employed) AS centre_clients_employed,
        sum(centre_family_employed) AS centre_family_employed,
        sum(centre_graduates) AS centre_graduates,
        sum(loans_count) AS loans_count,
        sum(loans_amount_rials) AS loans_amount_rials,
        sum(loans_planned_jobs) AS loans_planned_jobs
    FROM picked GROUP BY year
),
monitored AS (
    SELECT year,
        count(DISTINCT county_code) FILTER (WHERE remote_visits > 0) AS remote_counties_monitored,
        sum(projects_due) AS projects_due,
        sum(in_person_projects_visited) AS visited
    FROM picked
    WHERE county_code IN (SELECT code FROM scope)
    GROUP BY year
),
totals AS (
    SELECT y.year, count(s.code) AS n
    FROM years y LEFT JOIN scope s ON s.established_jy IS NULL OR s.established_jy < y.year
    GROUP BY y.year
)
SELECT
    y.year,
    coalesce(s.se_stabilised, 0)::BIGINT AS se_stabilised,
    coalesce(s.se_placed, 0)::BIGINT AS se_placed,
    coalesce(s.se_enrolled, 0)::BIGINT AS se_enrolled,
    coalesce(s.incentive_employer_share_stabilisation, 0) AS incentive_employer_share_stabilisation,
    coalesce(s.incentive_self_employment_stabilisation, 0) AS incentive_self_employment_stabilisation,
    coalesce(s.incentive_efficiency_subsidy_stabilisation, 0) AS incentive_efficiency_subsidy_stabilisation,
    coalesce(s.incentive_employer_share_creation, 0) AS incentive_employer_share_creation,
    coalesce(s.incentive_self_employment_creation, 0) AS incentive_self_employment_creation,
    coalesce(s.incentive_efficiency_subsidy_creation, 0) AS incentive_efficiency_subsidy_creation,
    coalesce(s.incentive_stabilisation_total, 0) AS incentive_stabilisation_total,
    coalesce(s.incentive_creation_total, 0) AS incentive_creation_total,
    coalesce(s.incentive_amount_rials, 0) AS incentive_amount_rials,
    coalesce(s.centre_employment, 0) AS centre_employment,
    coalesce(s.centre_clients_employed, 0) AS centre_clients_employed,
    coalesce(s.centre_family_employed, 0) AS centre_family_employed,
    coalesce(s.centre_graduates, 0) AS centre_graduates,
    coalesce(s.loans_count, 0)::BIGINT AS loans_count,
    coalesce(s.loans_amount_rials, 0)::BIGINT AS loans_amount_rials,
    coalesce(s.loans_planned_jobs, 0) AS loans_planned_jobs,
    s.loans_amount_rials / nullif(s.loans_planned_jobs, 0) AS loans_amount_per_job,
    t.n AS counties_total,
    coalesce(m.remote_counties_monitored, 0) AS remote_counties_monitored,
    coalesce(m.remote_counties_monitored, 0) / nullif(t.n, 0) AS remote_monitoring_county_coverage,
    coalesce(m.projects_due, 0)::BIGINT AS projects_due,
    coalesce(m.visited, 0)::BIGINT AS in_person_projects_visited,
    m.visited / nullif(m.projects_due, 0) AS in_person_monitoring_project_coverage
FROM years y
INNER JOIN totals t ON t.year = y.year
LEFT JOIN sums s ON s.year = y.year
LEFT JOIN monitored m ON m.year = y.year
ORDER BY y.year
