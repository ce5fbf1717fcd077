-- Purpose: the counties table, for filters, names and the map.
-- Grain: one row per county, ordered by Persian name.
-- Parameters: $counties (county codes; an empty list means all).
SELECT code, name_fa, name_en, seat_en, lat, lon, parent_code, established_jy
FROM counties
WHERE len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], code)
ORDER BY name_fa
