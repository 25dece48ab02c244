"""The scoring round: the departments' self-assessment returns."""
