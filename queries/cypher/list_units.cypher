// Every unit, or some units, with its task load and where it is first named on a task.
// Parameters: $units (list of unit ids, or null for every unit)
// Returns: id, name, region, kind, task_count, lead_count,
//          positions (list of [document id, task order, unit order] per task it is on)
MATCH (u:Unit)
WHERE $units IS NULL OR u.id IN $units
OPTIONAL MATCH (u)-[r:RESPONSIBLE_FOR]->(t)
RETURN u.id AS id, u.name AS name, u.region AS region, u.kind AS kind,
       count(DISTINCT t) AS task_count,
       count(DISTINCT CASE WHEN r.role = 'lead' THEN t END) AS lead_count,
       collect(CASE WHEN t IS NULL THEN NULL ELSE [t.doc, t.order, r.order] END) AS positions
