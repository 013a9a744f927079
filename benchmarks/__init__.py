"""Performance harness: ``python -m benchmarks [--db PATH] [--json]`` (not timed tests)."""
