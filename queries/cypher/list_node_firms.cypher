// Firms operating in the given chain links, one row per OPERATES_IN fact: the register row
// stating it, the towns the firm is located in and every link the firm operates in.
// Parameters: $nodes (list of chain node ids)
// Returns: link, id, name, scale, reference, year, origin, row,
//          towns (list of maps {id, name, region, place, origin}), links (list of node ids)
UNWIND $nodes AS link
MATCH (f:Firm)-[o:OPERATES_IN]->(:ChainNode {id: link})
OPTIONAL MATCH (f)-[l:LOCATED_IN]->(t:Town)
WITH link, f, o,
     collect(CASE WHEN t IS NULL THEN NULL
                  ELSE {id: t.id, name: t.name, region: t.region, place: l.place,
                        origin: l.origin} END) AS towns
OPTIONAL MATCH (f)-[:OPERATES_IN]->(m:ChainNode)
RETURN link, f.id AS id, f.name AS name, f.scale AS scale, f.reference AS reference,
       f.year AS year, o.origin AS origin, o.row AS row, towns, collect(DISTINCT m.id) AS links
