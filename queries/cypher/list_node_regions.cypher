// Nodes' labels with their own region, their document and the region of the town they are
// located in (firms), to narrow a neighbourhood by type and region.
// Parameters: $ids (list of node ids, or null for every node)
// Returns: id, label, region, doc, town_region
MATCH (n)
WHERE $ids IS NULL OR n.id IN $ids
OPTIONAL MATCH (n)-[:LOCATED_IN]->(t:Town)
RETURN n.id AS id, labels(n)[0] AS label, n.region AS region, n.doc AS doc,
       t.region AS town_region
