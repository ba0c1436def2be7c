"""Widgets of the coding workbench: transcript view, coding panel, top bar, pickers."""
