"""Triage scripts: the format, loading, lint, the runner and the scripts' own tests."""
