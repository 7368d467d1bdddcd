// Tasks a reference may mean: by id, local id (三.1), full number (三（一）) or a title fragment.
// The caller applies the precedence (id, then one exact match per field, then one fragment).
// Parameters: $ref (string)
// Returns: id, doc, order, document, region, number, full_number, local_id, title, deadline
MATCH (t:Task)
WHERE t.id = $ref OR t.local_id = $ref OR t.full_number = $ref OR t.title CONTAINS $ref
OPTIONAL MATCH (d:Document {id: t.doc})
RETURN t.id AS id, t.doc AS doc, t.order AS order,
       CASE WHEN d IS NULL THEN coalesce(t.doc, '') ELSE coalesce(d.name, d.id) END AS document,
       d.region AS region, t.number AS number, t.full_number AS full_number,
       t.local_id AS local_id, t.title AS title, t.deadline AS deadline
