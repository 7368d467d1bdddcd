// Units answering to a name: the unit with that id, or units of the region (any region when
// $region is null) whose canonical name, or a surface seen on one of their RESPONSIBLE_FOR
// edges, is $name.
// Parameters: $name (string), $region (string or null)
// Returns: id (string), exact (boolean: the id itself is $name)
// Three lookups, each by what it compares: collecting every unit's surfaces to compare them
// read all the responsibility edges of the store for one name.
MATCH (u:Unit)
WHERE u.id = $name
RETURN u.id AS id, true AS exact
UNION
MATCH (u:Unit)
WHERE u.name = $name AND ($region IS NULL OR u.region = $region)
RETURN u.id AS id, false AS exact
UNION
MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->()
WHERE r.surface = $name AND ($region IS NULL OR u.region = $region)
RETURN u.id AS id, false AS exact
