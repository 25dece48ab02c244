"""The command line: typer only, one error boundary, no library logic."""

from parcli.cli.main import app, run

__all__ = ["app", "run"]
