// The documents a reference names: by id, or by key, number, title, file name or name
// (several when plans of different counties share a title): the fields of
// api.lookup.DOCUMENT_KEYS. An empty reference names none by its fields, as an empty field
// names nothing there.
// Parameters: $ref (string)
// Returns: id, title, name
MATCH (d:Document)
WHERE d.id = $ref
   OR ($ref <> '' AND (d.key = $ref OR d.doc_number = $ref OR d.title = $ref
                       OR d.source = $ref OR d.name = $ref))
RETURN d.id AS id, d.title AS title, d.name AS name
