"""Benchmarks, apart from the tests: ``python -m bench`` (``make bench``) runs them all.

Each benchmark module has a ``NAME`` and a ``benchmark(console) -> str`` that prints its
results and returns its markdown section, which `bench.report` writes into
``docs/performance.md``.
"""
