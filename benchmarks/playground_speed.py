"""How fast the playground plays: spiral data, two hidden layers of 8 neurons (tanh, batch 10).

    python benchmarks/playground_speed.py

Figures:
- headless: `PlaygroundSession.tick()` epochs per second (training plus the scores of every
  epoch), no drawing;
- in-process widget: the kernel's share of a frame: CPU time of `Playground.update()` (the
  numbers of every view computed and the frame's message built) and of a play tick in 'auto'
  mode (training several epochs, then the update);
- Chromium: epochs per second read off the page while play runs in JupyterLab (the same
  measurement as tests/browser/test_playground_play.py), canvas frames per second (every
  frame carries the map, every neuron's square, the weights and the loss chart), and the
  browser's time to paint a frame.

Issue #28's goal: at least 60 epochs per second with the map and each hidden neuron's square
redrawn at least 20 times a second (the TensorFlow Playground trains one epoch per animation
frame: about 60 epochs per second on a 60 Hz screen). Before #28 (ipympl, an Agg render and a
PNG per frame; RESULTS.md of 2026-12-06): 207 epochs/s at 5.4 frames/s in Chromium, 36 epochs
per tick; the issue's own measurement: 150 epochs/s at 4.5 frames/s.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EPOCHS_GOAL, FRAMES_GOAL = 60.0, 20.0
TF_PLAYGROUND = "about 60 (1 epoch per animation frame at 60 Hz)"
BEFORE = {"epochs_per_s": 207, "frames_per_s": 5.4}       # ipympl, RESULTS.md before #28
SETUP = {"dataset": "spiral", "hidden": [8, 8], "seed": 0}


def headless(epochs=200, repeats=3):
    from nnlab.playground import PlaygroundSession

    rates = []
    for _ in range(repeats):
        session = PlaygroundSession(**SETUP)
        start = time.perf_counter()
        for _ in range(epochs):
            session.tick()
        rates.append(epochs / (time.perf_counter() - start))
    return statistics.median(rates)


def in_process(repeats=40):
    """Median kernel CPU (ms) of an update (a frame without training) and of a play tick."""
    from nnlab.widgets import Playground

    widget = Playground(**SETUP)
    widget.tick()
    updates, ticks, epochs = [], [], []
    for _ in range(repeats):
        start = time.process_time()
        widget.update()
        updates.append(time.process_time() - start)
        epoch, start = widget.session.epoch, time.process_time()
        widget.play_tick()                        # what a play tick does ('auto' epochs)
        ticks.append(time.process_time() - start)
        epochs.append(widget.session.epoch - epoch)
    return {"update_ms": 1e3 * statistics.median(updates),
            "tick_ms": 1e3 * statistics.median(ticks), "epochs_per_tick": statistics.median(epochs)}


#: JS: count the frames the canvas paints, and the time painting them takes
WATCH = """el => {
    const root = el.querySelector('.nnlab-canvas');
    window.__paints = []; window.__paintsWatch && window.__paintsWatch.disconnect();
    window.__paintsWatch = new MutationObserver(() => window.__paints.push(
        [performance.now(), Number(root.dataset.drawMs)]));
    window.__paintsWatch.observe(root, {attributes: true, attributeFilter: ['data-frames']});
}"""


def in_chromium(seconds=8.0):
    """Epochs and frames per second seen in Chromium, or a RuntimeError saying why not."""
    from tests.browser import labdriver
    from tests.browser.test_playground_play import measure_play, write_notebook

    with tempfile.TemporaryDirectory(prefix="nnlab-play-") as root:
        write_notebook(Path(root) / "play.ipynb", f"Playground(**{SETUP!r})")
        with labdriver.run_notebook(root, "play.ipynb") as notebook:
            [widget] = notebook.widgets("nnlab-playground")
            widget.scroll_into_view_if_needed()
            widget.evaluate(WATCH)
            seen = measure_play(widget, epochs=20, duration=seconds)
            paints = widget.page.evaluate("() => window.__paints")
    seen["paint_ms"] = statistics.median(p[1] for p in paints) if paints else float("nan")
    return seen


def markdown_rows():
    """Rows for benchmarks/run.py's RESULTS.md."""
    load = os.getloadavg()[0]
    rows = ["| measure (spiral, 2x8 hidden, batch 10) | epochs/s | frames/s | before #28 "
            "(ipympl) | goal |", "|---|---|---|---|---|",
            f"| session.tick() headless | {headless():.0f} | - | - | - |"]
    kernel = in_process()
    rows.append(f"| kernel CPU per frame: update() {kernel['update_ms']:.1f} ms; play tick "
                f"('auto', {kernel['epochs_per_tick']:.0f} epochs) {kernel['tick_ms']:.1f} ms "
                "| - | - | - | <= 10 ms per update |")
    try:
        seen = in_chromium()
        met = ("met" if seen["epochs_per_s"] >= EPOCHS_GOAL
               and seen["frames_per_s"] >= FRAMES_GOAL else "NOT met")
        rows.append(f"| play in Chromium (JupyterLab, Canvas; painting a frame "
                    f"{seen['paint_ms']:.1f} ms) | {seen['epochs_per_s']:.0f} | "
                    f"{seen['frames_per_s']:.1f} | {BEFORE['epochs_per_s']} epochs/s at "
                    f"{BEFORE['frames_per_s']} frames/s | >= {EPOCHS_GOAL:.0f} epochs/s at >= "
                    f"{FRAMES_GOAL:.0f} frames/s: {met} |")
    except (RuntimeError, ImportError) as error:
        rows.append(f"| play in Chromium | not measured: {error} | | {TF_PLAYGROUND} | |")
    rows.append(f"\nLoad average when measured: {load:.1f} before, {os.getloadavg()[0]:.1f} "
                "after, on 2 cores (other work may share the machine).")
    return rows


if __name__ == "__main__":
    print("\n".join(markdown_rows()))
