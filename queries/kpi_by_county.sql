-- Purpose: the headline KPIs per county for one Jalali year, for maps, rankings and exports.
-- Grain: one row per county in scope (all 34 when $counties is empty), ordered by Persian name.
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH scope AS (
    SELECT code, name_fa, lat, lon, established_jy FROM counties
    WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
),
se AS (
    SELECT county_code, sum(n)::BIGINT AS n
    FROM agg_se_events
    WHERE event = 'stabilised' AND year = $year GROUP BY county_code
),
se_target AS (
    SELECT county_code, sum(target) AS target FROM targets
    WHERE year = $year AND indicator = 'se_stabilised' AND county_code IS NOT NULL GROUP BY county_code
),
inc AS (
    SELECT county_code,
        sum(beneficiaries) FILTER (WHERE purpose = 'stabilisation') AS stabilisation,
        sum(beneficiaries) FILTER (WHERE purpose = 'creation') AS creation
    FROM incentives WHERE year = $year GROUP BY county_code
),
centres AS (
    SELECT county_code, sum(clients_employed + family_employed) AS n
    FROM centre_employment WHERE year = $year GROUP BY county_code
),
loans_y AS (
    SELECT county_code, sum(n)::BIGINT AS n, sum(amount_rials) AS amount, sum(planned_jobs) AS jobs
    FROM agg_loans
    WHERE year = $year GROUP BY county_code
),
remote AS (
    SELECT DISTINCT county_code
    FROM agg_monitoring
    WHERE mode = 'remote' AND year = $year
),
in_person AS (
    SELECT county_code, sum(n)::BIGINT AS due,
        coalesce(sum(n) FILTER (WHERE first_year <= $year), 0)::BIGINT AS visited
    FROM agg_coverage
    WHERE approved_year = $year - 1
    GROUP BY county_code
)
SELECT
    s.code AS county_code,
    s.name_fa,
    s.lat,
    s.lon,
    (s.established_jy IS NULL OR s.established_jy < $year) AS has_own_data,
    coalesce(se.n, 0) AS se_stabilised,
    t.target AS se_target,
    coalesce(se.n, 0) / nullif(t.target, 0) AS se_progress,
    coalesce(inc.stabilisation, 0) AS incentive_stabilisation_total,
    coalesce(inc.creation, 0) AS incentive_creation_total,
    coalesce(centres.n, 0) AS centre_employment,
    coalesce(l.n, 0) AS loans_count,
    coalesce(l.amount, 0)::BIGINT AS loans_amount_rials,
    coalesce(l.jobs, 0) AS loans_planned_jobs,
    (r.county_code IS NOT NULL) AS remote_monitored,
    coalesce(ip.due, 0) AS projects_due,
    coalesce(ip.visited, 0) AS in_person_projects_visited,
    ip.visited / nullif(ip.due, 0) AS in_person_monitoring_project_coverage
FROM scope s
LEFT JOIN se ON se.county_code = s.code
LEFT JOIN se_target t ON t.county_code = s.code
LEFT JOIN inc ON inc.county_code = s.code
LEFT JOIN centres ON centres.county_code = s.code
LEFT JOIN loans_y l ON l.county_code = s.code
LEFT JOIN remote r ON r.county_code = s.code
LEFT JOIN in_person ip ON ip.county_code = s.code
ORDER BY s.name_fa
