"""DuckDB SQL: one relation per file, the runner that builds them in dependency order, reference value sets."""
