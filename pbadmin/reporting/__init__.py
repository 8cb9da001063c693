"""Reports to the provinces: periods, the metrics engine, 三会一课 compliance and the report lifecycle."""
