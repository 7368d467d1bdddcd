// Tasks whose title or text contains $word (招商), and whether a plan naming $town contains
// them (Document -NAMES_TOWN-> town, Document -CONTAINS*-> task).
// Parameters: $word (string), $town (town id, or null)
// Returns: id, doc, order, title, full_number, number, in_scope (boolean)
MATCH (t:Task)
WHERE coalesce(t.title, '') CONTAINS $word OR coalesce(t.text, '') CONTAINS $word
OPTIONAL MATCH (d)-[:CONTAINS*1..]->(t)
OPTIONAL MATCH (d)-[n:NAMES_TOWN]->({id: $town})
RETURN t.id AS id, t.doc AS doc, t.order AS order, t.title AS title,
       t.full_number AS full_number, t.number AS number, count(n) > 0 AS in_scope
