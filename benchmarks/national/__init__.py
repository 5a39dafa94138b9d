"""National-scale benchmark suite (issue 20): `make bench` / `python -m benchmarks.national`."""
