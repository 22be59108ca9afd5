// Placeholder until the CatalogSealing issue lands; replaced by its real sources.
