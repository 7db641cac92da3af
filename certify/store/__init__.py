"""Storage: SQLModel tables, the database handle with its units of work, and migrations."""
