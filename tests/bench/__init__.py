"""``bench/``: the benchmarks run (shape only, never a timing)."""
