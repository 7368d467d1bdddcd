// Firms operating in each chain node, only those located in $town when it is given.
// Parameters: $nodes (list of chain node ids), $town (town id, or null for every firm)
// Returns: node, firms (count of distinct Firm nodes)
UNWIND $nodes AS node
OPTIONAL MATCH (f:Firm)-[:OPERATES_IN]->(:ChainNode {id: node})
OPTIONAL MATCH (f)-[l:LOCATED_IN]->({id: $town})
WITH node, f, count(l) AS located
RETURN node, count(DISTINCT CASE WHEN $town IS NULL OR located > 0 THEN f END) AS firms
