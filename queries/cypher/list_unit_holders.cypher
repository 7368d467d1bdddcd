// The people holding posts in units (Person -HOLDS-> Unit), whatever the title.
// Parameters: $units (list of unit ids)
// Returns: unit, id, name, title
MATCH (p)-[h:HOLDS]->(u)
WHERE u.id IN $units
RETURN u.id AS unit, p.id AS id, p.name AS name, h.title AS title
