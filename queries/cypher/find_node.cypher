// A node by id.
// Parameters: $id (string)
// Returns: id, label
MATCH (n)
WHERE n.id = $id
RETURN n.id AS id, labels(n)[0] AS label
