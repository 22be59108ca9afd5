// Placeholder until the CatalogSQL issue lands; replaced by its real sources.
