// Nodes whose name, title or document number contains $q (the first field that does).
// Parameters: $q (string, not empty)
// Returns: id, label, name (the name, else the id), region, matched (the matching value)
MATCH (n)
WITH n, CASE WHEN n.name CONTAINS $q THEN n.name
             WHEN n.title CONTAINS $q THEN n.title
             WHEN n.doc_number CONTAINS $q THEN n.doc_number END AS matched
WHERE matched IS NOT NULL
RETURN n.id AS id, labels(n)[0] AS label, coalesce(n.name, n.id) AS name,
       n.region AS region, matched
