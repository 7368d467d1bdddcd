// The links (ChainNode) of a chain, one row per HAS_NODE edge.
// Parameters: $chain (chain id)
// Returns: id, key, name, gloss, tier, codes, code_note, order (position in the template file)
MATCH (:Chain {id: $chain})-[:HAS_NODE]->(m)
RETURN m.id AS id, m.key AS key, m.name AS name, m.gloss AS gloss, m.tier AS tier,
       m.codes AS codes, m.code_note AS code_note, m.order AS order
