// Every progress report (督办) imported from a filled 任务分解表, with the task it reports on.
// Parameters: none
// Returns: id, task, document, version, reported_on, progress, status, done, completed_on,
//          source
MATCH (p:Progress)
RETURN p.id AS id, p.task AS task, p.document AS document, p.version AS version,
       p.reported_on AS reported_on, p.progress AS progress, p.status AS status,
       p.done AS done, p.completed_on AS completed_on, p.source AS source
