"""Benchmarks of the app at scale (`make bench`). Never loaded by production."""
