-- Purpose: the headline KPIs per county for one Jalali year, summed from the KPI layer (kpi_facts), with each
--   county's own targets (a province row, stored with an empty county, is nobody's county target), for maps,
--   rankings, status and exports.
-- Grain: one row per county in scope (all 34 when $counties is empty), ordered by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH scope AS (
    SELECT code, name_fa, lat, lon, established_jy FROM counties
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
),
facts AS (
    SELECT county_code,
        sum(se_stabilised) AS se_stabilised,
        sum(incentive_stabilisation_total) AS incentive_stabilisation_total,
        sum(incentive_creation_total) AS incentive_creation_total,
        sum(centre_employment) AS centre_employment,
        sum(loans_count) AS loans_count,
        sum(loans_amount_rials) AS loans_amount_rials,
        sum(loans_planned_jobs) AS loans_planned_jobs,
        sum(remote_visits) AS remote_visits,
        sum(projects_due) AS projects_due,
        sum(in_person_projects_visited) AS visited
    FROM kpi_facts WHERE year = $year GROUP BY county_code
),
county_targets AS (
    SELECT county_code,
        sum(target) FILTER (WHERE indicator = 'se_stabilised') AS se_target,
        sum(target) FILTER (WHERE indicator = 'centre_employment') AS centre_employment_target,
        sum(target) FILTER (WHERE indicator = 'loans_planned_jobs') AS loans_planned_jobs_target
    FROM targets
    WHERE year = $year AND county_code IS NOT NULL AND county_code <> ''
    GROUP BY county_code
)
SELECT
    s.code AS county_code,
    s.name_fa,
    s.lat,
    s.lon,
    (s.established_jy IS NULL OR s.established_jy < $year) AS has_own_data,
    coalesce(f.se_stabilised, 0) AS se_stabilised,
    t.se_target,
    coalesce(f.se_stabilised, 0) / nullif(t.se_target, 0) AS se_progress,
    coalesce(f.incentive_stabilisation_total, 0) AS incentive_stabilisation_total,
    coalesce(f.incentive_creation_total, 0) AS incentive_creation_total,
    coalesce(f.centre_employment, 0) AS centre_employment,
    t.centre_employment_target,
    coalesce(f.loans_count, 0) AS loans_count,
    coalesce(f.loans_amount_rials, 0)::BIGINT AS loans_amount_rials,
    coalesce(f.loans_planned_jobs, 0) AS loans_planned_jobs,
    t.loans_planned_jobs_target,
    coalesce(f.remote_visits, 0) > 0 AS remote_monitored,
    coalesce(f.projects_due, 0) AS projects_due,
    coalesce(f.visited, 0) AS in_person_projects_visited,
    f.visited / nullif(f.projects_due, 0) AS in_person_monitoring_project_coverage
FROM scope s
LEFT JOIN facts f ON f.county_code = s.code
LEFT JOIN county_targets t ON t.county_code = s.code
ORDER BY s.name_fa
