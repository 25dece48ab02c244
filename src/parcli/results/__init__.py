"""What is computed from consolidated data: scores, report, ranking, status, reminders, feedback."""
