"""Orchestration: the `readmit` command line, settings, run lock and run log, Prefect flows."""
