// Units answering to a name: the unit with that id, or units of the region (any region when
// $region is null) whose canonical name, or a surface seen on one of their RESPONSIBLE_FOR
// edges, is $name.
// Parameters: $name (string), $region (string or null)
// Returns: id (string), exact (boolean: the id itself is $name)
MATCH (u:Unit)
OPTIONAL MATCH (u)-[r:RESPONSIBLE_FOR]->()
WITH u, collect(CASE WHEN r IS NULL THEN NULL ELSE coalesce(r.surface, '') END) AS surfaces
WHERE u.id = $name
   OR (($region IS NULL OR u.region = $region) AND (u.name = $name OR $name IN surfaces))
RETURN u.id AS id, u.id = $name AS exact
