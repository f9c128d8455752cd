"""Release: what passed its image tests goes to a registry."""
