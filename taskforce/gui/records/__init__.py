"""One module per kind of record: its form, its overview, its tabs of owned records."""
