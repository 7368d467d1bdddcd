// The documents of one region (a matrix narrowed by region keeps their tasks).
// Parameters: $region (region name)
// Returns: id
MATCH (d:Document)
WHERE d.region = $region
RETURN d.id AS id
