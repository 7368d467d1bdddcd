// The people holding given posts (a unit and a title).
// Parameters: $posts (list of maps {unit: unit id, title: string})
// Returns: unit, title, id, name
UNWIND $posts AS post
MATCH (p)-[h:HOLDS]->(u:Unit {id: post.unit})
WHERE h.title = post.title
RETURN post.unit AS unit, post.title AS title, p.id AS id, p.name AS name
