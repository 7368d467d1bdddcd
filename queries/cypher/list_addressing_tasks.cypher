// Tasks addressing chain nodes (Task -ADDRESSES-> ChainNode), one row per edge.
// Parameters: $nodes (list of chain node ids), $docs (list of document ids: only their tasks
//             and those of no stored document; null: every task), $known (every stored
//             document id; read only with $docs)
// Returns: node, id, keyword, start (first character of the match), doc, order, title,
//          full_number, number
// The links are found first (by label and id), then the tasks addressing them. A town's gaps
// want its county's tasks: a province's other plans are 30,000 rows (0.4 s) it would drop.
MATCH (m:ChainNode)
WHERE m.id IN $nodes
MATCH (t:Task)-[a:ADDRESSES]->(m)
WHERE $docs IS NULL OR t.doc IS NULL OR t.doc IN $docs OR NOT t.doc IN $known
RETURN m.id AS node, t.id AS id, a.keyword AS keyword, a.span[0] AS start, t.doc AS doc,
       t.order AS order, t.title AS title, t.full_number AS full_number, t.number AS number
