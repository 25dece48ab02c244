"""parcli: the PAR Index (Chỉ số CCHC) self-assessment over Excel workbooks.

The package is a library first: :mod:`parcli.generate`, :mod:`parcli.returns`,
:mod:`parcli.merge` never print or exit.  The command line lives in
:mod:`parcli.cli`.  Importing ``parcli`` is cheap: heavy libraries (openpyxl,
pandas) are imported inside the functions that need them.
"""

__version__ = "0.1.0"
