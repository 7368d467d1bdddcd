// Nodes with their label and every property.
// Parameters: $ids (list of node ids, or null for every node)
// Returns: id, label, props (map)
MATCH (n)
WHERE $ids IS NULL OR n.id IN $ids
RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props
