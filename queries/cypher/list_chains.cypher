// Every chain: its HAS_NODE edges, the distinct firms operating in its links, and the towns
// featuring it (one entry per FEATURES edge).
// Parameters: none
// Returns: id, key, name, name_en, nodes, firms, towns (list of maps {id, name, region})
MATCH (c:Chain)
OPTIONAL MATCH (c)-[h:HAS_NODE]->()
WITH c, count(h) AS nodes
OPTIONAL MATCH (c)-[:HAS_NODE]->()<-[:OPERATES_IN]-(f)
WITH c, nodes, count(DISTINCT f) AS firms
OPTIONAL MATCH (t)-[:FEATURES]->(c)
RETURN c.id AS id, c.key AS key, c.name AS name, c.name_en AS name_en, nodes, firms,
       collect(CASE WHEN t IS NULL THEN NULL
                    ELSE {id: t.id, name: coalesce(t.name, t.id), region: t.region} END) AS towns
