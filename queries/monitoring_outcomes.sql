-- Purpose: what monitoring found in a Jalali year: visits per mode and outcome (active, inactive, changed
--   activity, not found).
-- Grain: one row per mode and outcome (all eight, zeros included).
-- Parameters: $year (Jalali year), $counties (county codes; an empty list means the whole province).
WITH combos AS (
    SELECT * FROM (VALUES ('in_person', 1), ('remote', 2)) m(mode, m_order),  -- noqa: AL05, LT01
                  (VALUES ('active', 1), ('inactive', 2), ('changed', 3), ('not_found', 4)) o(outcome, o_order)  -- noqa: AL05, LT01
),
visits AS (
    SELECT mode, outcome, n FROM agg_monitoring
    WHERE year = $year
      AND (len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], county_code))
)
SELECT cb.mode, cb.outcome, coalesce(sum(v.n), 0)::BIGINT AS visits
FROM combos cb LEFT JOIN visits v ON v.mode = cb.mode AND v.outcome = cb.outcome
GROUP BY cb.mode, cb.outcome, cb.m_order, cb.o_order
ORDER BY cb.m_order, cb.o_order
