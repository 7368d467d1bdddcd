// Leading groups and the posts that direct their office (the office's unit, director and
// deputy director as unit + title).
// Parameters: $region (string, or null for every region)
// Returns: id, name, region, office_unit, director_unit, director_title, deputy_unit,
//          deputy_title
MATCH (g:Group)
WHERE $region IS NULL OR g.region = $region
RETURN g.id AS id, g.name AS name, g.region AS region, g.office_unit AS office_unit,
       g.director_unit AS director_unit, g.director_title AS director_title,
       g.deputy_unit AS deputy_unit, g.deputy_title AS deputy_title
