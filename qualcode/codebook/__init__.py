"""Codebooks: YAML loading and validation, tree operations."""
