"""How live the widgets feel in the browser: keypress to changed pixels, in Chromium.

    python benchmarks/browser_latency.py            (part of `make bench`; about 3-5 minutes)

A real `jupyter lab` and Chromium (as in tests/browser) open one notebook showing the widgets of
issue #28's goal table: NeuronExplorer, ActivationExplorer, PerceptronTrainer, DescentExplorer
and BackpropStepper. For every row of the table a key is pressed 20 times (a slider: one step
right, one left, alternately; a button: Enter), one row after the other, and each press is
timed on the page's own clock (performance.now()):

- on the Canvas (nnlab/widgets/canvas.py), with its probe, as benchmarks/spike_drawing.py
  measures: the keydown, the time the frame's numbers reached the browser (the canvas root's
  ``data-received``), the time it was drawn (a change of ``data-frames``) and the next animation
  frame after the last frame of the press, when the pixels are on screen: **keypress ->
  changed pixels** is keydown -> that animation frame;
- a widget not moved to the Canvas yet is timed as before #28: keydown -> the last time ipympl
  drew the new figure on its canvas (``drawImage``), and its row says so.

In the kernel, `Widget.update` is timed with time.process_time (the **kernel CPU per update**:
compute, draw and the frame's message), and the kernel process's whole CPU per press is read
from /proc (message handling and the button's own work included).

The "old" column is what the same key cost with ipympl (+ blitting), as recorded before the
widgets moved (benchmarks/RESULTS.md's "Slider latency in the browser" and the spike's tables,
and issue #28's "now" column where nothing finer was recorded).
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import labdriver  # noqa: E402

PRESSES = 20
TARGET_MS = 30.0               # issue #28's goal: keypress -> changed pixels
TARGET_CPU_MS = 10.0           # issue #28's goal: kernel CPU per slider update

#: (row, css class of the widget, slider description or None, button text or None,
#:  tab to open first or None, old figure (ipympl) as recorded)
ROWS = [
    ("NeuronExplorer: weight w1", "nnlab-neuron-explorer", "weight w1", None, None,
     "68 ms (90 ms in the spike's run)"),
    ("ActivationExplorer: input z", "nnlab-activation-explorer", "input z", None, None,
     "47-85 ms (the issue's range)"),
    ("PerceptronTrainer: Step (one sample)", "nnlab-perceptron-trainer", None,
     "Step (one sample)", None, "47-85 ms (the issue's range)"),
    ("DescentExplorer: learning rate", "nnlab-descent-explorer", "learning rate", None, None,
     "82-99 ms"),
    ("DescentExplorer: start w", "nnlab-descent-explorer", "start w", None, None,
     "57-103 ms (the issue's range)"),
    ("DescentExplorer: batch size", "nnlab-descent-explorer", "batch size", None, None,
     "68-83 ms"),
    ("DescentExplorer: momentum", "nnlab-descent-explorer", "momentum", None, "optimizers",
     "57-103 ms (the issue's range)"),
    ("BackpropStepper: next", "nnlab-backprop-stepper", None, "next", None,
     "~45 ms (in-process alone)"),
]

#: Widget.update timed in the kernel (outermost calls only), per widget class.
SETUP = """%matplotlib widget
import time
from nnlab.widgets import base
UPDATE_CPU_MS = {}
_update, _depth = base.Widget.update, [0]
def _timed_update(self, change=None):
    _depth[0] += 1
    start = time.process_time()
    try:
        return _update(self, change)
    finally:
        _depth[0] -= 1
        if _depth[0] == 0:
            UPDATE_CPU_MS.setdefault(type(self).__name__, []).append(
                (time.process_time() - start) * 1000)
base.Widget.update = _timed_update
from nnlab.widgets import (ActivationExplorer, BackpropStepper, DescentExplorer, NeuronExplorer,
                           PerceptronTrainer)"""

WIDGETS = ["NeuronExplorer()", "ActivationExplorer()", "PerceptronTrainer()",
           "DescentExplorer()", "BackpropStepper()"]


def _cell(source):
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": source}


NOTEBOOK = {
    "cells": [_cell(SETUP)] + [_cell(source) for source in WIDGETS],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

#: The Canvas's probe: keydowns, and per frame the watched widget's canvases draw: when its
#: numbers arrived, when it was drawn, how long drawing took, and the next animation frame.
PROBE = """el => {
  if (!window.__probe) {
    const probe = window.__probe = {keydowns: [], frames: [], observer: null};
    document.addEventListener('keydown', () => probe.keydowns.push(performance.now()), true);
  }
  const probe = window.__probe;
  probe.frames = [];
  if (probe.observer) probe.observer.disconnect();
  probe.observer = new MutationObserver((records) => {
    const root = records[0].target, drawn = performance.now();
    const received = Number(root.dataset.received), draw = Number(root.dataset.drawMs);
    requestAnimationFrame(() => probe.frames.push({received, drawn, draw,
                                                   shown: performance.now()}));
  });
  const roots = [...el.querySelectorAll('.nnlab-canvas')].filter(r => r.offsetParent !== null);
  for (const root of roots)
    probe.observer.observe(root, {attributes: true, attributeFilter: ['data-frames']});
  return roots.length;
}"""

# Before #28: record, on the page's clock, every keydown and every drawImage onto the watched
# ipympl canvas (benchmarks/spike_drawing.py uses it too, as its cross-check).
HOOKS = """canvas => {
    window.__watched = canvas;
    window.__draws = [];
    if (window.__hooked) return;
    window.__hooked = true;
    window.__keydowns = [];
    document.addEventListener('keydown', () => window.__keydowns.push(performance.now()), true);
    const drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const result = drawImage.apply(this, args);
        if (this.canvas === window.__watched) window.__draws.push(performance.now());
        return result;
    };
}"""

SETTLE_MS = 250                # a press is over when the kernel is idle and this long passed


def _target(widget, slider, button):
    """The element a student presses the key on: a slider's handle or a button."""
    if slider is not None:
        found = widget.locator(labdriver.SLIDER).filter(
            has=widget.page.locator(".widget-label", has_text=slider)).first
        return found.locator(".noUi-handle").first
    return widget.locator("button", has_text=button).first


def _key(target, slider, i):
    """Enter on a button; on a slider, a sweep: one step at a time in one direction, turning
    back only at an end, so that every press moves it and most presses reach a value not seen
    before (a widget that keeps what it computed, as the DescentExplorer keeps its runs, would
    otherwise be measured on its cheap case)."""
    if slider is None:
        return "Enter"
    return target.evaluate("""h => {
        const now = h.getAttribute('aria-valuenow');
        if (now === h.getAttribute('aria-valuemax')) h.dataset.latencyKey = 'ArrowLeft';
        else if (now === h.getAttribute('aria-valuemin')) h.dataset.latencyKey = 'ArrowRight';
        else if (!h.dataset.latencyKey) h.dataset.latencyKey = 'ArrowRight';
        return h.dataset.latencyKey;
    }""")


def canvas_presses(notebook, widget, target, slider, presses, kernel, timeout=10_000):
    """Press `presses` times; per press {latency, round_trip, draw, process_cpu} in ms."""
    from spike_drawing import process_cpu_ms

    page = notebook.page
    results = []
    for i in range(presses):
        page.evaluate(PROBE, widget.element_handle())
        cpu = process_cpu_ms(kernel)
        target.press(_key(target, slider, i))
        page.wait_for_function("() => window.__probe.frames.length > 0", timeout=timeout,
                               polling=20)
        notebook.wait_idle()
        page.wait_for_timeout(SETTLE_MS)
        key, frames = page.evaluate("() => [window.__probe.keydowns.at(-1), "
                                    "window.__probe.frames]")
        frames = [f for f in frames if f["drawn"] > key]
        if not frames:
            raise RuntimeError(f"press {i + 1}: no frame was drawn after the key")
        results.append({"latency": frames[-1]["shown"] - key,
                        "round_trip": frames[-1]["received"] - key,
                        "draw": frames[-1]["draw"],
                        "process_cpu": process_cpu_ms(kernel) - cpu})
    return results


def ipympl_presses(notebook, widget, target, slider, presses, kernel, timeout=10_000):
    """The same for a widget still drawn by ipympl: keydown -> its canvas's last drawImage."""
    from spike_drawing import process_cpu_ms

    page = notebook.page
    canvas = widget.locator(labdriver.CANVAS).first.element_handle()
    page.evaluate(HOOKS, canvas)
    results = []
    for i in range(presses):
        before = labdriver.canvas_pixels(widget)
        cpu = process_cpu_ms(kernel)
        target.press(_key(target, slider, i))
        if not labdriver.wait_canvas_change(widget, before, timeout):
            raise RuntimeError(f"press {i + 1}: the canvas did not change within {timeout} ms")
        notebook.wait_idle()
        page.wait_for_timeout(SETTLE_MS)
        key, draws = page.evaluate("() => [window.__keydowns.at(-1), window.__draws]")
        results.append({"latency": [t for t in draws if t > key][-1] - key,
                        "round_trip": float("nan"), "draw": float("nan"),
                        "process_cpu": process_cpu_ms(kernel) - cpu})
    return results


def measure(presses=PRESSES):
    """Open the widgets and press every row's key; {row: figures or the reason it failed}."""
    from spike_drawing import RUN_IN_KERNEL, kernel_pid

    load_before = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="nnlab-latency-") as root:
        (Path(root) / "latency.ipynb").write_text(json.dumps(NOTEBOOK))
        with labdriver.run_notebook(root, "latency.ipynb") as notebook:
            page = notebook.page
            kernel = kernel_pid(notebook.server.process.pid)
            for row, css, slider, button, tab, _ in ROWS:
                found = notebook.widgets(css)
                if not found:
                    results[row] = f"not measured: no {css} on the page"
                    continue
                widget = found[0]
                if tab is not None:
                    widget.locator(".lm-TabBar-tab", has_text=tab).first.click()
                    notebook.wait_idle()
                target = _target(widget, slider, button)
                target.scroll_into_view_if_needed()
                target.focus()
                name = css.removeprefix("nnlab-").title().replace("-", "")
                page.evaluate(RUN_IN_KERNEL, f"UPDATE_CPU_MS.pop({name!r}, None)")
                on_canvas = widget.locator(".nnlab-canvas").count() > 0
                try:
                    presses_ = (canvas_presses if on_canvas else ipympl_presses)(
                        notebook, widget, target, slider, presses, kernel)
                except Exception as error:  # noqa: BLE001 - say why, measure the others
                    results[row] = f"not measured: {type(error).__name__}: {error}"
                    continue
                cpu = json.loads(page.evaluate(
                    RUN_IN_KERNEL, f"import json; print(json.dumps(UPDATE_CPU_MS.get({name!r}, "
                                   "[])))"))
                results[row] = {"on_canvas": on_canvas, "presses": presses_, "update_cpu": cpu}
    return results, {"load_before": load_before, "load_after": os.getloadavg()}


def _median(values):
    values = [v for v in values if v == v]          # without NaN
    return statistics.median(values) if values else float("nan")


def table(results, facts):
    """RESULTS.md rows: one per row of the goal table, then the run's conditions."""
    lines = ["| keypress -> changed pixels in Chromium (20 presses) | old (ipympl) | now: median "
             "| min | max | goal <= 30 ms | keydown -> numbers in the browser | drawing | kernel "
             "CPU per update (update(), median) | goal <= 10 ms | kernel process CPU per "
             "press (mean) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row, *_, old in ROWS:
        found = results.get(row, "not measured")
        if isinstance(found, str):
            lines.append(f"| {row} | {old} | {found} | | | | | | | | |")
            continue
        latency = [p["latency"] for p in found["presses"]]
        cpu = found["update_cpu"]
        median, cpu_median = _median(latency), _median(cpu)
        how = "" if found["on_canvas"] else " (still ipympl)"
        lines.append(
            f"| {row}{how} | {old} | {median:.0f} ms | {min(latency):.0f} ms | "
            f"{max(latency):.0f} ms | {'met' if median <= TARGET_MS else 'NOT met'} | "
            f"{_median([p['round_trip'] for p in found['presses']]):.0f} ms | "
            f"{_median([p['draw'] for p in found['presses']]):.1f} ms | "
            + (f"{cpu_median:.1f} ms | {'met' if cpu_median <= TARGET_CPU_MS else 'NOT met'} | "
               if cpu else "not called | | ")
            + f"{statistics.mean(p['process_cpu'] for p in found['presses']):.0f} ms |")
    before, after = facts["load_before"], facts["load_after"]
    lines += ["", f"Rows measured one after the other; load average {before[0]:.1f} before and "
              f"{after[0]:.1f} after, on {os.cpu_count()} cores. The kernel process's CPU is "
              "read from /proc in clock ticks (10 ms): a mean over the presses."]
    return lines


def markdown_rows():
    """Rows for benchmarks/run.py's RESULTS.md."""
    try:
        results, facts = measure()
    except Exception as error:  # noqa: BLE001 - no Chromium, a failed run: say so, go on
        return [f"not measured: {type(error).__name__}: {error}"]
    return table(results, facts)


def main():
    start = time.perf_counter()
    results, facts = measure()
    for line in table(results, facts):
        print(line)
    print(f"[{time.perf_counter() - start:.0f} s in all]")


if __name__ == "__main__":
    main()
