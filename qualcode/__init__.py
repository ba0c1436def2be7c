"""qualcode: qualitative coding for research teams, headless core first."""

__version__ = "0.1.0"
