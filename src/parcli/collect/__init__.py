"""The collection engine: list a folder, read forms in parallel, group by owner, pick versions.

``layout.py`` (the conventions every form shares: cover, metadata sheet, header search,
problems sheet), ``rows.py`` (a kind's declared table and the one row loop), ``issue.py`` (the
builder of forms typed into one table), ``form.py`` (what a form kind declares, the per-file
result), ``folder.py`` (listing and parallel reading), ``versions.py`` (the version rule,
outcomes, status labels) and ``engine.py`` (:func:`~parcli.collect.engine.collect_forms`; its
docstring says how a new form kind plugs in: a declared table, a reader of one file, a small
``FormKind``).
"""
