// Placeholder so the target builds until the server's first file lands; delete with it.
