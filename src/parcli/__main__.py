"""``python -m parcli`` runs the command line."""

from parcli.cli.main import run

run()
