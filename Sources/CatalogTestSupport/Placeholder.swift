// Placeholder until the CatalogTestSupport issue lands; replaced by its real sources.
