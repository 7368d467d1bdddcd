// SUPPLIES edges leaving the links of a chain.
// Parameters: $chain (chain id)
// Returns: source, target (node ids)
MATCH (:Chain {id: $chain})-[:HAS_NODE]->(a)-[:SUPPLIES]->(b)
RETURN a.id AS source, b.id AS target
