// The documents the tasks belong to, once each: the matrix's documents and their regions.
// A task whose document has no node gives its document id with null name, number and region.
// Parameters: none
// Returns: doc, name, number, region, document (the name a task row gives the document)
MATCH (t:Task)
OPTIONAL MATCH (d:Document {id: t.doc})
RETURN DISTINCT coalesce(t.doc, '') AS doc, d.name AS name, d.doc_number AS number,
       d.region AS region,
       CASE WHEN d IS NULL THEN coalesce(t.doc, '') ELSE coalesce(d.name, d.id) END AS document
