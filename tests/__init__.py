"""parcli's tests: a package, so that ``tests.helpers`` imports alike under ``pytest`` and ``python -m pytest``."""
