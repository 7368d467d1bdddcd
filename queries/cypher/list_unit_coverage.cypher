// Every unit: does it carry a task, and is it represented in a leading group (a member holds a
// post there, or the unit is itself a collective member)?
// Parameters: none
// Returns: id, name, region, kind, has_task (boolean), in_group (boolean)
MATCH (u:Unit)
OPTIONAL MATCH (u)-[r:RESPONSIBLE_FOR]->()
WITH u, count(r) > 0 AS has_task
OPTIONAL MATCH (u)-[m:MEMBER_OF]->()
WITH u, has_task, count(m) > 0 AS collective
OPTIONAL MATCH (p:Person)-[:HOLDS]->(u)
OPTIONAL MATCH (p)-[pm:MEMBER_OF]->()
WITH u, has_task, collective, count(pm) > 0 AS member_post
RETURN u.id AS id, u.name AS name, u.region AS region, u.kind AS kind, has_task,
       collective OR member_post AS in_group
