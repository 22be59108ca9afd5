// Placeholder until the CatalogStorage issue lands; replaced by its real sources.
