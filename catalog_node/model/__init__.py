"""Records, their IRIs and hashes, and typed read views of them."""
