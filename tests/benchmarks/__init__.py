"""Benchmarks (speed, memory, scaling) and their synthetic corpus; run by `make bench`, not by CI."""
