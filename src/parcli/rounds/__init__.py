"""Each round of the loop (issue a form, collect it back, check it, consolidate) with only its own rules."""
