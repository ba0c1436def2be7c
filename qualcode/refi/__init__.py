"""REFI-QDA interoperability: export .qdpx/.qdc, import them from other tools, safely."""
