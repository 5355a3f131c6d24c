"""Use cases over the store. Each owns its transaction, audits it, and returns what changed."""
