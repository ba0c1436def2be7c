"""Code suggestions: registered components (keywords, definitions, learned) combined by a ranker."""
