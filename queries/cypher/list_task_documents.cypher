// The document of each task: its id (empty when the task names none), name and number.
// Parameters: $tasks (list of task ids, or null for every task)
// Returns: task, doc, name, number
MATCH (t:Task)
WHERE $tasks IS NULL OR t.id IN $tasks
OPTIONAL MATCH (d:Document {id: t.doc})
RETURN t.id AS task, coalesce(t.doc, '') AS doc, d.name AS name, d.doc_number AS number
