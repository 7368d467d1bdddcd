// The nodes one hop from any of the given nodes, either direction.
// Parameters: $ids (list of node ids)
// Returns: id
MATCH (n)--(m)
WHERE n.id IN $ids
RETURN DISTINCT m.id AS id
