// Towns by id or by name.
// Parameters: $town (string)
// Returns: id, name
MATCH (t:Town)
WHERE t.id = $town OR t.name = $town
RETURN t.id AS id, t.name AS name
