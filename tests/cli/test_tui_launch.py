"""Without textual the workbench refuses in one line, and the CLI noun modules all exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Runs `qualcode` with textual made unimportable (None in sys.modules stops an import).
NO_TEXTUAL = "import sys; sys.modules['textual'] = None; sys.argv = ['qualcode', '--project', sys.argv[1]]; " \
             "from qualcode.cli import main; main()"


def test_no_textual_is_one_clear_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", NO_TEXTUAL, str(tmp_path / "p.db")], capture_output=True,
                         text=True, env=env, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "workbench needs textual" in run.stderr and "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0


def test_every_listed_noun_module_exists():
    from qualcode.cli import COMMAND_MODULES

    missing = [m for m in COMMAND_MODULES if not (REPO / "qualcode" / "cli" / f"{m}.py").is_file()]
    assert missing == []
