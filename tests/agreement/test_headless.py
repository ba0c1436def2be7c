"""The agreement core is headless and light to import: no TUI, no heavy statistics libraries up front."""

from __future__ import annotations

import subprocess
import sys


def test_import_leaves_textual_and_heavy_libraries_out():
    code = (
        "import sys, qualcode.agreement as a; "
        "print(sorted(m for m in ('textual', 'sklearn', 'statsmodels', 'krippendorff') if m in sys.modules)); "
        "print(callable(a.build_report))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "True"
