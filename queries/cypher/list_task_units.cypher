// The units on tasks, with role (lead / support / responsible) and order on the task.
// Parameters: $tasks (list of task ids, or null for every task)
// Returns: task, id, name, role, order
MATCH (u:Unit)-[r:RESPONSIBLE_FOR]->(t:Task)
WHERE $tasks IS NULL OR t.id IN $tasks
RETURN t.id AS task, u.id AS id, u.name AS name, r.role AS role, r.order AS order
