"""Anonymised quote banks: build from codes, check disclosure, review redactions, export safely."""

from .model import BankQuote, BankSettings, Redaction

__all__ = ["BankQuote", "BankSettings", "Redaction"]
