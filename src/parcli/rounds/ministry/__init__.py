"""The Ministry's appraisal (kết quả thẩm định của Bộ Nội vụ): its table read, and parcli's own record of it.

The Ministry of Home Affairs appraises every province's self-assessment and publishes the
index; the province reads its appraised points per component criterion from the Ministry's
software (or the points per field from the published decision).  :mod:`.read` reads such a
workbook against the catalogue, naming every mismatch by row; :mod:`.write` records it as
parcli's own protected result workbook; :mod:`.own` reads that record back for the
comparison, next year's remedy plans and next year's report.
"""
