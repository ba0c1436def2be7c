"""Write the CLI reference (docs/cli.md) from the commands themselves: python -m qualcode.cli.reference."""

from __future__ import annotations

import typer


def command_paths(app: typer.Typer) -> list[tuple[list[str], object]]:
    """Every command and group below the root, depth first, with its click command object."""
    found: list[tuple[list[str], object]] = []

    def walk(command, prefix: list[str]) -> None:
        if prefix:
            found.append((prefix, command))
        for name in sorted(getattr(command, "commands", {}) or {}):
            walk(command.commands[name], prefix + [name])

    walk(typer.main.get_command(app), [])
    return found


def render_reference(app: typer.Typer) -> str:
    lines = [
        "# CLI reference",
        "",
        "Generated from the commands' own help (`python -m qualcode.cli.reference > docs/cli.md`).",
        "Global options: `--project PATH` (env `QUALCODE_PROJECT`, default `./qualcode.db`) and",
        "`--db URL` (any SQLAlchemy URL); `--i-have-a-backup` lets a PostgreSQL project's schema be",
        "upgraded (take a `pg_dump` first). Every listing and report takes `--json`.",
        "",
    ]
    for path, command in command_paths(app):
        is_group = bool(getattr(command, "commands", None))
        heading = "##" if len(path) == 1 else "###"
        lines.append(f"{heading} `qualcode {' '.join(path)}`" + (" …" if is_group else ""))
        lines.append("")
        help_text = (getattr(command, "help", None) or "").strip()
        if help_text:
            lines.append(help_text.replace("Example: ", "\n\nExample: `").rstrip() + ("`" if "Example: " in help_text else ""))
            lines.append("")
        params = [p for p in getattr(command, "params", []) if getattr(p, "name", None) not in ("help",)]
        options = []
        for param in params:
            names = ", ".join(getattr(param, "opts", []) or [param.name])
            text = (getattr(param, "help", None) or "").strip()
            options.append(f"- `{names}`" + (f": {text}" if text else ""))
        if options:
            lines.extend(options)
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    from qualcode.cli import app

    print(render_reference(app), end="")
