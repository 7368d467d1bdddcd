// The tasks one unit is on, with its role on each.
// Parameters: $unit (unit id)
// Returns: id, doc, order, document, region, number, full_number, local_id, title, deadline,
//          role
MATCH (:Unit {id: $unit})-[r:RESPONSIBLE_FOR]->(t:Task)
OPTIONAL MATCH (d:Document {id: t.doc})
RETURN t.id AS id, t.doc AS doc, t.order AS order,
       CASE WHEN d IS NULL THEN coalesce(t.doc, '') ELSE coalesce(d.name, d.id) END AS document,
       d.region AS region, t.number AS number, t.full_number AS full_number,
       t.local_id AS local_id, t.title AS title, t.deadline AS deadline, r.role AS role
