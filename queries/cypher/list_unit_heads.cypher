// The heads of units: people holding a heading post there (局长, 主任 …), and the collective
// head a unit has as a group member (各乡镇镇长).
// Parameters: $units (list of unit ids, or null for every unit), $titles (heading titles)
// Returns: unit, unit_name, person (null for a collective head), name, title
MATCH (p)-[h:HOLDS]->(u:Unit)
WHERE ($units IS NULL OR u.id IN $units) AND h.title IN $titles
RETURN u.id AS unit, u.name AS unit_name, p.id AS person, p.name AS name, h.title AS title
UNION ALL
MATCH (u:Unit)-[m:MEMBER_OF]->()
WHERE ($units IS NULL OR u.id IN $units) AND m.text IS NOT NULL AND m.text <> ''
RETURN u.id AS unit, u.name AS unit_name, NULL AS person, m.text AS name, m.title AS title
