"""Spreadsheet machinery without domain words: open, sniff and read; write with one palette."""
