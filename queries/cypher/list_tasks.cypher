// Every task, or the tasks of some documents, with its document's display name and region.
// Parameters: $documents (list of document ids, or null for every task)
// Returns: id, doc, order, document (the document's name, else its id), region, number,
//          full_number, local_id, title, deadline
MATCH (t:Task)
WHERE $documents IS NULL OR t.doc IN $documents
OPTIONAL MATCH (d:Document {id: t.doc})
RETURN t.id AS id, t.doc AS doc, t.order AS order,
       CASE WHEN d IS NULL THEN coalesce(t.doc, '') ELSE coalesce(d.name, d.id) END AS document,
       d.region AS region, t.number AS number, t.full_number AS full_number,
       t.local_id AS local_id, t.title AS title, t.deadline AS deadline
