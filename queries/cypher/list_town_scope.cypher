// A town's region and the documents naming it (Document -NAMES_TOWN-> town): the county whose
// plans own the town's chain gaps (queries.gap_owners.in_county).
// Parameters: $town (town id)
// Returns: region, docs (list of document ids)
MATCH (z:Town {id: $town})
OPTIONAL MATCH (d)-[:NAMES_TOWN]->(z)
RETURN z.region AS region, collect(d.id) AS docs
