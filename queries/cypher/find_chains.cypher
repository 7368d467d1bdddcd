// Chains answering to a reference: by id, by the id of a key (chain:<key>), by name or English
// name. The caller applies the precedence (id, key, then name).
// Parameters: $chain (string), $chain_id (string: chain:<$chain>)
// Returns: id, key, name, name_en
MATCH (c:Chain)
WHERE c.id = $chain OR c.id = $chain_id OR c.name = $chain OR c.name_en = $chain
RETURN c.id AS id, c.key AS key, c.name AS name, c.name_en AS name_en
