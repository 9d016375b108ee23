"""Synthetic demo data at national scale, for load tests and benchmarks.

``generate_demo_data`` (the management command) calls :func:`generator.generate`. Every row it
creates is recognisable (see :mod:`actions.demo.marks`), so real data is never mixed up with it
and ``--clear`` removes exactly what was generated.
"""
