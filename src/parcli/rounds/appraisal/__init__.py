"""The appraisal round (thẩm định): workbooks issued to appraisers, typed by them, read back as inputs."""
