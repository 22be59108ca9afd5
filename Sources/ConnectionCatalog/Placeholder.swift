// Placeholder until the ConnectionCatalog issue lands; replaced by its real sources.
