// Tasks whose title or text contains $word (招商).
// Parameters: $word (string)
// Returns: id, doc, order, title, full_number, number
MATCH (t:Task)
WHERE coalesce(t.title, '') CONTAINS $word OR coalesce(t.text, '') CONTAINS $word
RETURN t.id AS id, t.doc AS doc, t.order AS order, t.title AS title,
       t.full_number AS full_number, t.number AS number
