"""Plain records, enumerations and rules. No Qt, no database, no I/O."""
