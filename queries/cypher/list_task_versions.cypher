// Every task with its document and the document's current version (a report names both).
// Parameters: none
// Returns: task, doc, version (null when the document node is missing or has no version)
MATCH (t:Task)
OPTIONAL MATCH (d:Document {id: t.doc})
RETURN t.id AS task, t.doc AS doc, d.version AS version
