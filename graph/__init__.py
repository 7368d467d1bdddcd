"""The domain model of zhenkg: node and edge types, the extraction record, the graph, its stores."""
