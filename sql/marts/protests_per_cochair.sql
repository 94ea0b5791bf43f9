-- Incidents per year in which an OSCE Minsk Group co-chair (table cochairs) protested
-- (role 'actor') or was protested against (role 'target'). Every co-chair appears for
-- every year that has incidents, with 0 where there were none, so charts have no gaps.
CREATE OR REPLACE TABLE protests_per_cochair AS
WITH years AS (SELECT DISTINCT year FROM incidents WHERE year IS NOT NULL),
roles AS (SELECT unnest(['actor', 'target']) AS role),
grid AS (SELECT y.year, c.code AS cochair, r.role FROM years y, cochairs c, roles r),
hits AS (
    SELECT year, actor AS cochair, 'actor' AS role FROM incidents
    UNION ALL
    SELECT year, target AS cochair, 'target' AS role FROM incidents
)
SELECT g.year, g.cochair, g.role, count(h.cochair) AS incidents
FROM grid g
LEFT JOIN hits h ON h.year = g.year AND h.cochair = g.cochair AND h.role = g.role
GROUP BY g.year, g.cochair, g.role
ORDER BY g.year, g.cochair, g.role;
