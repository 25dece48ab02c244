"""The jobs layer: one module per command, a request in, a result out.

A job reads its inputs through :mod:`parcli.jobs.load` (each input once), does
the work with the floors below (``results``, ``rounds``, ``collect``…), writes
its outputs (guarded, atomic) and returns a result the command line renders:
what was found (problems, outcomes), what was written, the JSON document and
the exit code.  A job never prints and knows nothing of typer or rich; what it
has to say while it runs (the campaign it uses, a warning, progress) goes to a
:class:`parcli.jobs.base.Listener` the caller supplies.
"""
