"""The coding workbench: a keyboard-first Textual UI over the headless core (the only package that imports textual)."""
