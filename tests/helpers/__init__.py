"""What test modules share: builders, readers, external programs and golden files.

Test modules never import each other or ``conftest``: what two of them need lives here, and fixtures
(which may use these helpers) live in ``tests/conftest.py``.
"""
