"""``python -m parcli`` runs the command line."""

from parcli.cli import run

run()
