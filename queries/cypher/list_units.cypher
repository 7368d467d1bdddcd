// Every unit, or some units, with its task load and where it is first named on a task.
// Parameters: $units (list of unit ids, or null for every unit)
// Returns: id, name, region, kind, task_count, lead_count,
//          positions (list of [document id, task order, unit order] per task it is on in the
//          first of its documents by id: the earliest position is among them, and a province's
//          unit is on tasks of ten documents)
MATCH (u:Unit)
WHERE $units IS NULL OR u.id IN $units
OPTIONAL MATCH (u)-[r:RESPONSIBLE_FOR]->(t)
WITH u,
     count(DISTINCT t) AS task_count,
     count(DISTINCT CASE WHEN r.role = 'lead' THEN t END) AS lead_count,
     min(CASE WHEN t IS NULL THEN NULL ELSE coalesce(t.doc, '') END) AS first_doc,
     collect(CASE WHEN t IS NULL THEN NULL ELSE [coalesce(t.doc, ''), t.order, r.order] END)
       AS placed
RETURN u.id AS id, u.name AS name, u.region AS region, u.kind AS kind,
       task_count, lead_count,
       [p IN placed WHERE p[0] = first_doc] AS positions
