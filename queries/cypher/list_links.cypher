// Relationships among the given nodes, with their type and every property (``key`` included).
// Parameters: $ids (list of node ids, or null for every node)
// Returns: source, target, type, props (map)
// With ids, the walk starts from those nodes and keeps the relationships whose other end is
// one of them too: a filter over every relationship reads the whole graph (0.6 s of a
// province's on FalkorDB, where the walk reads a unit's 60). The nodes are found by a scan
// (they share no label to index them by): on FalkorDB ~10 ms for a province's 96k.
MATCH (a)
WHERE $ids IS NULL OR a.id IN $ids
MATCH (a)-[r]->(b)
WHERE $ids IS NULL OR b.id IN $ids
RETURN a.id AS source, b.id AS target, type(r) AS type, properties(r) AS props
