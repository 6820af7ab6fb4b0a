"""One module per `readmit` command; `pipelines.cli` registers them."""
