// Relationships among the given nodes, with their type and every property (``key`` included).
// Parameters: $ids (list of node ids, or null for every node)
// Returns: source, target, type, props (map)
MATCH (a)-[r]->(b)
WHERE $ids IS NULL OR (a.id IN $ids AND b.id IN $ids)
RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props
