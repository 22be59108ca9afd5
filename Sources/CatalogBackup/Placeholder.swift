// Placeholder until the backup issue lands; replaced by its real sources.
