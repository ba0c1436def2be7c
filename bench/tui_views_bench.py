"""How fast each workbench view opens on the demo project (headless Pilot): first paint, and when its data is in.

"open" is from the key press until the view's first frame reaches the (headless) terminal (what the user waits for
before the screen changes), in wall time and in the UI thread's own CPU time (the figure that carries over to a
quiet machine: wall time on a shared machine includes waiting for the cores); "filled" is until its slow parts,
computed in a worker, are on screen. Each view is opened for the first
time (a fresh app per view), which is the slow case: a mode's screen is built only the first time it is shown.

Run: PYTHONPATH=. python bench/tui_views_bench.py [--size 160x50] [--repeat 3] [--views KYGDQ] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

VIEWS = {  # key -> (mode, a check that the view's slow part has arrived)
    "slash": ("search", lambda s: True),  # a reference: a small screen with no data to load
    "K": ("codebook", lambda s: bool(s.query_one("#code-tree").root.children)),
    "Y": ("analysis", lambda s: s.data is not None),
    "G": ("agreement", lambda s: s.report is not None or "computing" not in str(s.query_one("#agreement-summary").render())),
    "D": ("disagreements", lambda s: s.review is not None or "loading" not in str(s.query_one("#review-summary").render())),
    "Q": ("quotes", lambda s: getattr(s, "loaded", True)),
}


frames: list[tuple[float, object, float]] = []  # (wall clock, screen, UI thread's CPU clock)


def _record_frames() -> None:
    """Note when each frame reaches the (headless) terminal, and for which screen."""
    from textual.app import App

    display = App._display

    def recording(self, screen, update) -> None:
        display(self, screen, update)
        frames.append((time.perf_counter(), screen, time.thread_time()))

    App._display = recording


async def _open(url: str, key: str, size: tuple[int, int], home: Path) -> tuple[float, float, float]:
    from qualcode.tui.app import QualcodeApp

    mode, filled = VIEWS[key]
    app = QualcodeApp(url, coder="alex", home=home)
    async with app.run_test(size=size) as pilot:
        for _ in range(200):  # the overview fills itself first; start from a quiet app
            await pilot.pause()
            if app.screen.query("#documents") and app.screen.query_one("#documents").row_count:
                break
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = app.screen
        frames.clear()
        start, cpu_start = time.perf_counter(), time.thread_time()
        await pilot.press(key)
        # open: the first frame of the new screen handed to the terminal (compose, mount and resume have run)
        while not any(screen is not before for _, screen, _ in frames):
            await asyncio.sleep(0.001)
        first = next((t, cpu) for t, screen, cpu in frames if screen is not before)
        opened, cpu = first[0] - start, first[1] - cpu_start
        for _ in range(2000):
            if filled(app.screen):
                break
            await asyncio.sleep(0.005)
            await pilot.pause(0)
        done = time.perf_counter() - start
    return opened, done, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="160x50")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--views", default="/KYGDQ", help="keys of the views to open, e.g. KY")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    from qualcode.demo import build_demo

    _record_frames()

    with tempfile.TemporaryDirectory() as tmp:
        demo = build_demo(Path(tmp) / "demo.db").path
        url = f"sqlite:///{demo}"
        results = {}
        for key, (mode, _) in VIEWS.items():
            if key not in args.views.replace("/", "slash"):
                continue
            runs = [asyncio.run(_open(url, key, size, Path(tmp) / f"home-{key}-{i}")) for i in range(args.repeat)]
            results[mode] = {"open_s": statistics.median(r[0] for r in runs), "open_max_s": max(r[0] for r in runs),
                             "open_cpu_s": statistics.median(r[2] for r in runs),
                             "filled_s": statistics.median(r[1] for r in runs)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'view':<14} {'open (median)':>14} {'open (max)':>11} {'UI CPU':>8} {'filled':>8}   "
          f"size {args.size}, {args.repeat} runs, load {os.getloadavg()[0]:.1f}")
    for mode, r in results.items():
        print(f"{mode:<14} {r['open_s']:>13.3f}s {r['open_max_s']:>10.3f}s {r['open_cpu_s']:>7.3f}s {r['filled_s']:>7.3f}s")


if __name__ == "__main__":
    main()
