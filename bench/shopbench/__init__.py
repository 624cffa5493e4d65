"""The pieces of bench/run: servers it starts (shopd, nginx, PostgreSQL), the catalogue it
generates through shopd's public API, the load it drives with wrk, and the report."""
