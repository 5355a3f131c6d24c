"""Tables, migrations, the engine and its pragmas, and queries returning plain rows. No Qt."""
