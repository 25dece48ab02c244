"""Remedy plans (kế hoạch khắc phục): a workbook per department for the items that lost points in a round."""
