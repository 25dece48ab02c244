"""The YAML models people edit: catalogue, campaign, survey-lists plan, and the YAML reader they share."""
