"""Per-user workbench settings under $QUALCODE_HOME: coder identity and pinned codes per project, theme, recent projects."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.files import write_text
from qualcode.home import qualcode_home

SETTINGS_FILE = "tui.json"
MAX_RECENT = 12


@dataclass
class ProjectPrefs:
    """What one user remembers about one project."""

    coder: str | None = None
    """The coder identity last used on this project by this user."""
    pinned: list[int] = field(default_factory=list)
    """Code ids bound to the number keys 1-9, in order."""


@dataclass
class UserSettings:
    """Everything the workbench remembers for this user, stored as JSON so it is easy to inspect."""

    theme: str = "textual-dark"
    """Textual theme name; toggled with the theme key."""
    recent: list[str] = field(default_factory=list)
    """Project URLs, most recent first."""
    projects: dict[str, ProjectPrefs] = field(default_factory=dict)
    """Preferences keyed by project URL."""

    def project(self, url: str) -> ProjectPrefs:
        return self.projects.setdefault(url, ProjectPrefs())

    def touch(self, url: str) -> None:
        self.recent = [url] + [u for u in self.recent if u != url][: MAX_RECENT - 1]


def load(home: Path | None = None) -> UserSettings:
    path = (home or qualcode_home()) / SETTINGS_FILE
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # A missing or damaged settings file must never stop anyone from coding.
        return UserSettings()
    projects = {
        url: ProjectPrefs(coder=p.get("coder"), pinned=[int(i) for i in p.get("pinned", []) if str(i).isdigit()])
        for url, p in (raw.get("projects") or {}).items()
        if isinstance(p, dict)
    }
    return UserSettings(
        theme=str(raw.get("theme") or "textual-dark"),
        recent=[str(u) for u in raw.get("recent", [])][:MAX_RECENT],
        projects=projects,
    )


def save(settings: UserSettings, home: Path | None = None) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a settings file."""
    folder = home or qualcode_home()
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "theme": settings.theme,
        "recent": settings.recent,
        "projects": {url: {"coder": p.coder, "pinned": p.pinned} for url, p in settings.projects.items()},
    }
    write_text(folder / SETTINGS_FILE, json.dumps(data, indent=2))
