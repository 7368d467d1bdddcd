// Regions of the towns the registers place firms in.
// Parameters: none
// Returns: region, firms (count of distinct Firm nodes located there)
MATCH (f:Firm)-[:LOCATED_IN]->(t:Town)
RETURN t.region AS region, count(DISTINCT f) AS firms
