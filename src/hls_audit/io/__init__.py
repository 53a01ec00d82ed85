"""Files in and out: the reading and writing doors, YAML with positions, settings, cache."""
