// The chain leaders (链长) of a chain.
// Parameters: $chain (chain id)
// Returns: id, name, title
MATCH (p)-[l:LEADS_CHAIN]->(:Chain {id: $chain})
RETURN p.id AS id, p.name AS name, l.title AS title
