"""Benchmarks: ``python -m bench.<name>``; each module prints its results as JSON."""
