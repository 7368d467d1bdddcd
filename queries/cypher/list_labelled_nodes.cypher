// Every node with a label, with every property (what the register basis reads of the firms,
// the coverage command of the units).
// Parameters: $label (a node label)
// Returns: id, props (map)
MATCH (n)
WHERE $label IN labels(n)
RETURN n.id AS id, properties(n) AS props
