// The catalog program; filled in with the storage layer.
