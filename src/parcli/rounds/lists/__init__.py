"""The survey-lists round: the lists of people nominated for the sociological survey."""
