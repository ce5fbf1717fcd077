-- Purpose: supported-employment events (enrolment, placement, stabilisation) counted per county, SE centre,
--   Jalali year and month: the pre-aggregated base of every SE query, so a rerun never scans client rows.
-- Grain: one row per county, centre, event, Jalali year and month with at least one client.
-- Parameters: none (built once per snapshot by karnama/rollups.py).
WITH events AS (
    SELECT county_code, centre, 'enrolled' AS event, enrolled_on AS d FROM se_clients
    UNION ALL
    SELECT county_code, centre, 'placed', placed_on FROM se_clients WHERE placed_on IS NOT NULL  -- noqa: AL03
    UNION ALL
    SELECT county_code, centre, 'stabilised', stabilised_on FROM se_clients WHERE stabilised_on IS NOT NULL  -- noqa: AL03
)
SELECT e.county_code, e.centre, e.event, c.jy AS year, c.jm AS month, count(*) AS n
FROM events e INNER JOIN calendar c ON c.d = e.d
GROUP BY ALL
