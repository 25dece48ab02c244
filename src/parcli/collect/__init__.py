"""The collection engine: list a folder, read forms in parallel, group by owner, pick versions."""
