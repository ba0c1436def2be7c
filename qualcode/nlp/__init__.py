"""Offline NLP for qualcode: the shared spaCy pipeline loader and the suggesters built on it."""
