"""Headless exports: CSV, spreadsheets, documents and REFI-QDA files."""
