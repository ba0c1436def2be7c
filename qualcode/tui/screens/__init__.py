"""Screens of the coding workbench; every module here is imported at start-up so it can register views."""
