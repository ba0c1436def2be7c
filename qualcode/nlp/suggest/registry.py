"""Suggester parts registered under versioned names ("qualcode.keywords.v1") and built from config."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qualcode.errors import InvalidInput

_factories: dict[str, Callable[..., Any]] = {}


def register(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: make a factory reachable by `name`; re-registering the same name replaces it."""

    def decorate(factory: Callable[..., Any]) -> Callable[..., Any]:
        _factories[name] = factory
        return factory

    return decorate


def create(name: str, **config: Any) -> Any:
    """Build the part registered as `name` with `config` as keyword arguments."""
    _load_builtins()
    try:
        factory = _factories[name]
    except KeyError:
        known = ", ".join(sorted(_factories))
        raise InvalidInput(f"no suggester part named '{name}' (known: {known})") from None
    return factory(**config)


def names() -> list[str]:
    _load_builtins()
    return sorted(_factories)


def _load_builtins() -> None:
    # The built-in parts register themselves when their modules are imported.
    from qualcode.nlp.suggest import definitions, families, keywords, learned, neighbours, ranker, stacking  # noqa: F401
