"""A scripted tmux walkthrough of every workbench view at 80x24 and 160x50, with checks for clipped or broken words.

It builds the demo project, opens the workbench in a detached tmux session of each size, drives it by keyboard,
saves each screen as text (``--out``), and checks every capture heuristically:

* clipped: a word touching a right-hand border or the terminal's last column ("board a▏", "q Q▏");
* broken: a word split across two lines of the same column ("strategic-involvemen" / "t"), judged against the
  project's own words (document text, titles, code names) - a break after '/' is allowed.

``--docs docs/coding.md`` replaces each ```` ``` ```` block that follows a ``<!-- capture: NAME -->`` marker with
the capture of that name. Exit status 1 when a check fails.

Run: PYTHONPATH=. python bench/tui_walkthrough.py [--out DIR] [--docs docs/coding.md] [--sizes 80x24,160x50]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BORDERS = "▏│▎┤├╭╮╰╯▊▌┃"  # what separates columns of text on screen
BUSY = ("computing", "loading", "suggesting", "searching", "reading the codebook", "summarising", "building")

# (name, what to do, seconds to let it settle at most); an item is a key, or ("wait", text) to wait for that text on
# screen before the next key (a view's title, a dialog's heading). Names get the width appended: reader-80.
W, S = "wait", "sleep"
STEPS = [
    ("overview", [(W, "Overview"), (W, "interview-01")], 20),
    ("reader", ["R", (W, "Reader ·"), "}", "}", "}"], 20),
    ("reader-panel", ["i"], 10),  # at 80 columns: the side panel beside the re-wrapped text
    ("suggestions", ["tab", (W, "Suggestions")], 90),  # one tab from the transcript
    ("code-palette", ["BTab", "i", "S", "c", (W, "Apply code"), *"awaren"], 10),
    # escape is followed by a pause: a key right behind it would arrive as alt+key
    ("codebook", ["escape", (S, 1.5), "K", (W, "Codebook"), (W, "stage"), "down", "down"], 20),
    ("retrieve", ["E", (W, "Retrieve"), "c", (W, "Retrieve excerpts"), *"implement", (S, 2), "enter"], 30),
    ("search", ["slash", (W, "Search"), *"volunteer", "enter"], 30),
    ("analysis", ["tab", (S, 0.5), "Y", (W, "Analysis")], 90),
    ("analysis-tallies", ["2"], 30),
    ("agreement", ["G", (W, "Agreement")], 90),
    ("disagreements", ["D", (W, "disputed"), *["down"] * 9], 60),
    ("quotes", ["Q", (W, "Quote bank")], 20),
    ("quotes-built", ["b", (W, "unreviewed"), (S, 6)], 180),  # the pause lets the "built" toast go
    ("help", ["R", (W, "Reader ·"), "question_mark", (W, "Keys here")], 10),
]
MODAL = {"code-palette", "help"}  # drawn over another screen: that screen's text is cut by the dialog on purpose
TMUX_KEYS = {"escape": "Escape", "enter": "Enter", "tab": "Tab", "down": "Down", "up": "Up", "slash": "/",
             "question_mark": "?"}


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, text: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while text not in capture(session) and time.monotonic() < deadline:
        time.sleep(0.3)


def settle(session: str, limit: float) -> str:
    """The screen once it stops changing and shows no busy message (or after `limit` seconds)."""
    deadline = time.monotonic() + limit
    seen = [capture(session)]
    while time.monotonic() < deadline:
        time.sleep(0.7)
        seen.append(capture(session))
        # unchanged for three looks in a row: on a loaded machine the app can pause for a second
        if seen[-1] == seen[-2] == seen[-3 if len(seen) > 2 else -2] and not any(w in seen[-1].lower() for w in BUSY):
            return seen[-1]
    return seen[-1]


def vocabulary(db_path: Path) -> set[str]:
    """Every word of the project (texts, titles, code paths and names), lower-cased, as the broken-word check's reference."""
    from qualcode.store import Database
    from qualcode.store import codes as code_repo
    from qualcode.store import documents as doc_repo

    db = Database(f"sqlite:///{db_path}")
    words: set[str] = set()
    with db.reading() as session:
        for doc in doc_repo.list_all(session):
            words.update(_tokens(doc.text + " " + doc.title))
        for code in code_repo.list_all(session):
            words.update(_tokens(code.path))
            words.update(code.path.lower().split("/"))
    db.dispose()
    return words


def _tokens(text: str) -> list[str]:
    return [w.strip(".,;:!?'\"()[]…").lower() for w in text.split() if len(w) > 1]


def cells(line: str) -> list[tuple[int, str]]:
    """The line cut at border characters: (start column, text) of each piece."""
    out, start = [], 0
    for i, ch in enumerate(line + "▏"):
        if ch in BORDERS:
            out.append((start, line[start:i]))
            start = i + 1
    return out


def problems(text: str, width: int, words: set[str], modal: bool = False) -> list[str]:
    found = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        for match in () if modal else re.finditer(r"[A-Za-z0-9]([▏│▎])", line):  # text ends where a panel or box ends
            end = match.end()
            found.append(f"line {n + 1}: clipped at a border: …{line[max(0, end - 14):end]!r}")
        if len(line) >= width and line[width - 1].isalnum() and line[width - 2].isalnum():
            found.append(f"line {n + 1}: runs into the right edge: …{line[width - 12:width]!r}")
        if n + 1 < len(lines) and not modal:
            below = dict(cells(lines[n + 1]))
            for start, piece in cells(line):
                tail = piece.rstrip().rsplit(" ", 1)[-1]
                head_piece = below.get(start)
                if not tail or head_piece is None or tail.endswith(("/", "-")) or not tail[-1].isalpha():
                    continue
                head = head_piece.lstrip().split(" ", 1)[0]
                indent = len(piece) - len(piece.lstrip())
                if not head or not head[0].isalpha() or len(head_piece) - len(head_piece.lstrip()) > indent + 4:
                    continue
                joined = (tail + head).strip(".,;:!?'\"()").lower()
                a, b = tail.strip(".,;:!?'\"(").lower(), head.strip(".,;:!?'\")").lower()
                if joined in words and (a not in words or b not in words):
                    found.append(f"line {n + 1}: word broken across lines: {tail!r} / {head!r}")
    return found


def walk(size: tuple[int, int], db_path: Path, home: Path, out: Path, words: set[str]) -> dict[str, list[str]]:
    width, height = size
    session = f"qcwalk{width}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    env = {"PYTHONPATH": str(ROOT), "QUALCODE_HOME": str(home)}
    command = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command += f" {shlex.quote(sys.executable)} -m qualcode --project {shlex.quote(str(db_path))} tui --coder alex"
    tmux("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), command)
    report: dict[str, list[str]] = {}
    try:
        for name, keys, limit in STEPS:
            if name == "reader-panel" and width >= 100:
                continue  # the side panel is always shown at 100 columns and wider
            if name == "code-palette" and width >= 100:
                keys = [k for k in keys if k != "i"]  # i toggles the panel only below 100 columns
            for key in keys:
                if isinstance(key, tuple):
                    if key[0] == S:
                        time.sleep(key[1])
                    else:
                        wait_for(session, key[1], limit)
                    continue
                tmux("send-keys", "-t", session, TMUX_KEYS.get(key, key))
                time.sleep(0.3)
            text = settle(session, limit)
            label = f"{name}-{width}"
            (out / f"{label}.txt").write_text(text, encoding="utf-8")
            report[label] = problems(text, width, words, modal=name in MODAL)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return report


def update_docs(doc: Path, out: Path) -> list[str]:
    """Put each capture into the code block after its <!-- capture: NAME --> marker."""
    text = doc.read_text(encoding="utf-8")
    used = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        path = out / f"{name}.txt"
        if not path.exists():
            return match.group(0)
        used.append(name)
        body = "\n".join(line.rstrip() for line in path.read_text(encoding="utf-8").rstrip("\n").split("\n"))
        return f"<!-- capture: {name} -->\n```\n{body}\n```"

    text = re.sub(r"<!-- capture: ([\w-]+) -->\n```\n(?:[^`]*?\n)?```", replace, text)
    doc.write_text(text, encoding="utf-8")
    return used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder for the captures (default: a temporary one)")
    parser.add_argument("--docs", type=Path, default=None, help="a markdown file whose capture blocks to replace")
    parser.add_argument("--sizes", default="80x24,160x50")
    args = parser.parse_args()
    from qualcode.demo import build_demo

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "captures"
        out.mkdir(parents=True, exist_ok=True)
        db_path = build_demo(Path(tmp) / "demo.db").path
        words = vocabulary(db_path)
        failures = 0
        for spec in args.sizes.split(","):
            size = tuple(int(n) for n in spec.split("x"))
            report = walk(size, db_path, Path(tmp) / f"home-{spec}", out, words)
            for label, found in report.items():
                failures += len(found)
                print(f"{label:<22} {'ok' if not found else f'{len(found)} problem(s)'}", flush=True)
                for problem in found:
                    print(f"    {problem}")
        if args.docs:
            print("docs: replaced", ", ".join(update_docs(args.docs, out)) or "nothing")
        print(f"captures in {out}" if args.out else "")
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    sys.exit(main())
