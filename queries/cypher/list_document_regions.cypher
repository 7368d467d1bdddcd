// The region of every document (Document nodes, placeholders included).
// Parameters: none
// Returns: id, region
MATCH (d:Document)
RETURN d.id AS id, d.region AS region
