// Tasks addressing chain nodes (Task -ADDRESSES-> ChainNode), one row per edge.
// Parameters: $nodes (list of chain node ids)
// Returns: node, id, keyword, start (first character of the match), doc, order, title,
//          full_number, number
MATCH (t:Task)-[a:ADDRESSES]->(m)
WHERE m.id IN $nodes
RETURN m.id AS node, t.id AS id, a.keyword AS keyword, a.span[0] AS start, t.doc AS doc,
       t.order AS order, t.title AS title, t.full_number AS full_number, t.number AS number
