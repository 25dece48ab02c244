"""The evidence documents (``parcli evidence``) from the returns as read.

The evidence itself is part of every return: the reader (:mod:`parcli.rounds.scoring.evidence`)
parses each item's evidence cell, checks the files of a package (:mod:`parcli.collect.package`,
:mod:`parcli.packages`) and keeps both on the return, so every command that reads returns
through :func:`parcli.jobs.load.returns` sees them.  This package makes the hồ sơ from that:
:mod:`.book` (plain data: cards, packed files, owners), :mod:`.pack` (the upload pack, staged and
swapped in whole), :mod:`.index` (the index workbook) and :mod:`.site` (the offline site).
"""
