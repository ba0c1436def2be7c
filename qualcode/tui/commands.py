"""The command palette provider: every binding of the current screen and app, and every registered view."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from qualcode.tui import registry


def screen_actions(app, screen) -> list[tuple[str, str, str, object]]:
    """(title, key, action, node) for each distinct binding active on `screen`, app bindings included."""
    seen: set[tuple[int, str]] = set()
    found = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        marker = (id(active.node), binding.action)
        if marker in seen or not binding.description:
            continue
        seen.add(marker)
        found.append((binding.description, app.get_key_display(binding), binding.action, active.node))
    for view in registry.views():
        found.append((view.title, view.key, f"show('{view.id}')", app))
    return sorted(found, key=lambda item: item[0].lower())


class WorkbenchCommands(Provider):
    """Lists what the keyboard can do here, so nothing needs to be memorised."""

    def _commands(self):
        for title, key, action, node in screen_actions(self.app, self.screen):
            yield title, key, partial(self.app.run_action, action, node)

    async def discover(self) -> Hits:
        for title, key, run in self._commands():
            yield DiscoveryHit(title, run, help=f"key: {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, key, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=f"key: {key}")
