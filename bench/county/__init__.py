"""Benchmark: a county on PostgreSQL (issue 16) and one row per goal of the issue's table.

Builds 10 towns × 30 villages × 500 households with ~80 entries a household over 2026 (12 M entries),
monthly inspections, redemptions and ten closed months (bench/county/build.py, COPY), then prints every
goal's measure with its min, median and met / missed (bench/county/table.py). `--small` builds 3
villages × 50 households and shrinks every world so that the whole table runs in about a minute (CI).

    python -m bench.county [--small] [--url postgresql+psycopg://postgres@127.0.0.1:5432/jifen_county]
                           [--runs 5] [--no-build] [--skip scoring,redemptions,...]
"""
