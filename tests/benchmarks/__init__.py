"""On-demand benchmarks: scripts run as `python -m tests.benchmarks.bench_NAME`, never collected by pytest."""
