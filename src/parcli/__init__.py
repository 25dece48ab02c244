"""parcli: the PAR Index (Chỉ số CCHC) self-assessment over Excel workbooks.

The package is a library first: :mod:`parcli.rounds.scoring.issue`, :mod:`parcli.rounds.scoring.read`,
:mod:`parcli.rounds.scoring.merge` never print or exit.  The command line lives in
:mod:`parcli.cli.main`.  Importing ``parcli`` is cheap: heavy libraries (openpyxl,
xlsxwriter) are imported inside the functions that need them.
"""

__version__ = "0.1.0"
