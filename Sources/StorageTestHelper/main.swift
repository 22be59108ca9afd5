// Test helper process for the storage tests; filled in with the storage layer.
