"""DuckDB SQL: one relation per file, the runner that orders and builds them, reference sets."""
