"""Issue #28's spike: which drawing mechanism makes the NeuronExplorer's picture fastest?

    python benchmarks/spike_drawing.py            (or `make bench-spike`; about 3-4 minutes)

A real `jupyter lab` and Chromium (tests/browser/labdriver.py) open one notebook with four
widgets that all show a 2-input neuron's decision map, line and points, the numbers computed in
the kernel by nnlab:

- canvas: the anywidget prototype (benchmarks/spike/canvas_neuron.js), native range inputs;
- canvas+ipw: the same canvas, its w1/w2/b jslinked to ipywidgets FloatSliders;
- canvas+ipw kernel link: the same, linked in the kernel (slider -> kernel -> canvas);
- bqplot: HeatMap + Lines + Scatter updated in place (benchmarks/spike/bqplot_neuron.py);
- ipympl: the NeuronExplorer of that day (Agg + blitting), the baseline. Since #28 the
  NeuronExplorer draws on the Canvas, so this row now measures the Canvas again: the spike's
  figures are recorded in benchmarks/spike/RESULTS.md (run this at commit 3255bfe to repeat it).

The "w1" slider of each is pressed 20 times (10 right, 10 left), the options interleaved
(canvas, canvas+ipw, canvas+ipw kernel link, bqplot, ipympl, canvas, ...) so that the load of
the shared machine falls on all alike. Per press we measure, on the page's clock, keydown -> the
last animation frame whose pixels changed (every canvas of the widget hashed in a
requestAnimationFrame loop; SVG changes seen by a MutationObserver), the kernel's CPU
(time.process_time around the update in the kernel, and the whole kernel process's CPU from
/proc), and the kernel websocket's bytes in both directions. Once per run: the JavaScript each
option loads (bytes of every file served under /lab/extensions/<name>/, plus the anywidget ES
module), axe-core violations inside each widget, and every request to a host other than this
machine (offline or not).
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import labdriver  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import browser_latency  # noqa: E402

PRESSES = 20
SETTLE_MS = 300          # a press is over when no frame changed for this long
AXE = ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ESM = ROOT / "benchmarks" / "spike" / "canvas_neuron.js"

#: (name, css class of the widget, what to press, the kernel's list of update CPU times,
#:  the lab extensions whose JavaScript it needs)
OPTIONS = [
    ("canvas", "nnlab-spike-canvas", "input[type=range]", "canvas.cpu_ms", ["anywidget"]),
    ("canvas+ipw", "nnlab-spike-linked", ".noUi-handle", "linked.cpu_ms", ["anywidget"]),
    ("canvas+ipw kernel link", "nnlab-spike-kernel-linked", ".noUi-handle", "kernel_linked.cpu_ms",
     ["anywidget"]),
    ("bqplot", "nnlab-spike-bqplot", ".noUi-handle", "bq_box.cpu_ms", ["bqplot", "bqscales"]),
    ("ipympl", "nnlab-neuron-explorer", ".noUi-handle", "explorer.cpu_ms",
     ["jupyter-matplotlib"]),
]

SETUP = f"""%matplotlib widget
import sys, time
sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
from spike.canvas_neuron import CanvasNeuron, linked_canvas_neuron
from spike.bqplot_neuron import bqplot_neuron
from nnlab.widgets import NeuronExplorer"""

BASELINE = """explorer = NeuronExplorer()
explorer.cpu_ms = []
def _timed_update(change=None):
    start = time.process_time()
    explorer.update(change)
    explorer.cpu_ms.append((time.process_time() - start) * 1000)
for _name in ("w1", "w2", "bias", "activation", "gate"):
    explorer.controls[_name].unobserve(explorer.update, names="value")
    explorer.controls[_name].observe(_timed_update, names="value")
explorer"""


def _cell(source):
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": source}


NOTEBOOK = {
    "cells": [_cell(SETUP), _cell("canvas = CanvasNeuron()\ncanvas"),
              _cell("linked = linked_canvas_neuron()\nlinked"),
              _cell("kernel_linked = linked_canvas_neuron(in_kernel=True)\nkernel_linked"),
              _cell("bq_box = bqplot_neuron()\nbq_box"), _cell(BASELINE)],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

# The probe: keydown times, and per animation frame a signature of what the watched widget
# shows (a hash of every canvas's pixels and a count of SVG mutations); frames whose signature
# changed are recorded.
PROBE = """() => {
  if (window.__spike) return;
  const helper = document.createElement('canvas');
  const hctx = helper.getContext('2d', {willReadFrequently: true});
  const spike = window.__spike = {keydowns: [], changes: [], el: null, mutations: 0,
                                  observer: null, running: false, last: null,
                                  cost: 0, frames: 0};
  document.addEventListener('keydown', () => spike.keydowns.push(performance.now()), true);
  spike.signature = () => {
    const start = performance.now();
    let h = 0;
    for (const c of spike.el.querySelectorAll('canvas')) {
      if (!c.width || !c.height) continue;
      if (helper.width !== c.width || helper.height !== c.height) {
        helper.width = c.width; helper.height = c.height;
      }
      hctx.clearRect(0, 0, c.width, c.height);
      hctx.drawImage(c, 0, 0);
      const d = new Uint32Array(hctx.getImageData(0, 0, c.width, c.height).data.buffer);
      for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + d[i]) | 0;
    }
    spike.cost += performance.now() - start; spike.frames++;
    return h + ':' + spike.mutations;
  };
  spike.watch = (el) => {
    spike.el = el; spike.changes = []; spike.mutations = 0; spike.cost = 0; spike.frames = 0;
    if (spike.observer) spike.observer.disconnect();
    spike.observer = new MutationObserver(() => { spike.mutations++; });
    for (const svg of el.querySelectorAll('svg'))
      spike.observer.observe(svg, {subtree: true, attributes: true, childList: true,
                                   characterData: true});
    spike.last = spike.signature();
    if (!spike.running) {
      spike.running = true;
      const frame = (t) => {
        if (!spike.running) return;
        const s = spike.signature();
        if (s !== spike.last) { spike.changes.push(performance.now()); spike.last = s; }
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }
  };
  spike.stop = () => { spike.running = false; };
}"""

RUN_IN_KERNEL = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let out = '';
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  future.onIOPub = (msg) => { if (msg.header.msg_type === 'stream') out += msg.content.text; };
  await future.done;
  return out;
}"""


def kernel_pid(server_pid):
    """The pid of the ipykernel started by the jupyter server `server_pid`."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == server_pid and b"ipykernel" in cmdline:
            return int(stat.parent.name)
    raise RuntimeError("no kernel found under the jupyter server")


def process_cpu_ms(pid):
    """User + system CPU of a process so far, in ms (clock-tick resolution, 10 ms)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


class Traffic:
    """What the page loads and sends: kernel websocket bytes, extension JS, foreign hosts."""

    def __init__(self, page):
        self.ws_bytes = 0
        self.extension_bytes = {}
        self.foreign = []
        page.on("websocket", self._websocket)
        page.on("requestfinished", self._finished)
        page.on("request", self._request)

    def _websocket(self, ws):
        if "/api/kernels/" not in ws.url:
            return
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._frame)

    def _frame(self, payload):
        self.ws_bytes += len(payload)

    def _request(self, request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            return
        self.foreign.append(request.url)

    def _finished(self, request):
        path = urlparse(request.url).path
        if "/lab/extensions/" not in path or not path.endswith(".js"):
            return
        name = path.split("/lab/extensions/", 1)[1].split("/static/", 1)[0]
        try:
            size = request.sizes()["responseBodySize"]
        except Exception:  # noqa: BLE001 - a request torn down with the page
            return
        self.extension_bytes[name] = self.extension_bytes.get(name, 0) + size


def press_once(notebook, widget, target, key, kernel, traffic, timeout=10_000):
    """Press `key` on the widget's `target` and wait until its pixels settle.

    Returns {latency: keydown -> last changed frame, first: -> first changed frame, process_cpu:
    the kernel process's CPU, bytes: kernel websocket bytes, probe: the probe's own ms per
    frame, key_time} (times in ms)."""
    page = notebook.page
    page.evaluate("el => window.__spike.watch(el)", widget.element_handle())
    cpu, sent = process_cpu_ms(kernel), traffic.ws_bytes
    target.press(key)
    page.wait_for_function("() => window.__spike.changes.length > 0", timeout=timeout,
                           polling=20)
    while True:       # settled: no changed frame for SETTLE_MS
        quiet = page.evaluate("() => performance.now() - window.__spike.changes.at(-1)")
        if quiet >= SETTLE_MS:
            break
        page.wait_for_timeout(SETTLE_MS - quiet + 10)
    notebook.wait_idle()
    key_time, changes, cost, frames = page.evaluate(
        "() => { const s = window.__spike; return [s.keydowns.at(-1), s.changes, s.cost, "
        "s.frames]; }")
    # the canvas prototypes say when the frame's numbers arrived and how long drawing took
    received, draw_ms = widget.evaluate(
        "el => { const r = el.matches('[data-received]') ? el"
        " : el.querySelector('[data-received]');"
        " return r ? [Number(r.dataset.received), Number(r.dataset.drawMs)] : [NaN, NaN]; }")
    return {"latency": changes[-1] - key_time, "first": changes[0] - key_time,
            "round_trip": received - key_time, "draw": draw_ms,
            "process_cpu": process_cpu_ms(kernel) - cpu, "bytes": traffic.ws_bytes - sent,
            "probe": cost / max(frames, 1), "key_time": key_time}


def axe_violations(page, widget):
    """{rule id: nodes} of axe-core's violations inside the widget (None without axe-core)."""
    if not AXE.exists():
        return None
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=AXE.read_text())
    found = page.evaluate("async el => (await axe.run(el)).violations"
                          ".map(v => [v.id, v.nodes.length])", widget.element_handle())
    return dict(found)


#: JS: (width, height, [[x, y], ...] of the dark pixels) of the first canvas under an element,
#: in canvas pixels.
DARK_PIXELS = """el => {
  const c = el.querySelector('canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const dark = [];
  for (let i = 0; i < d.length; i += 4)
    if (d[i] < 60 && d[i + 1] < 60 && d[i + 2] < 60) dark.push([(i / 4) % c.width,
                                                               Math.floor(i / 4 / c.width)]);
  return [c.width, c.height, dark];
}"""

#: the state the picture is checked at (w1, w2, b): a line that is neither flat nor diagonal
CHECKED = (1.3, 0.7, -0.9)


def line_check(page, widget, kernel_name="canvas"):
    """Set the canvas prototype to CHECKED in the kernel and compare its drawn line with
    nnlab.decision_line.boundary_line: (largest distance in pixels of a dark pixel, away from the
    four points, from the expected line; how many such pixels there are)."""
    from nnlab.activations import SUM_THRESHOLD
    from nnlab.decision_line import boundary_line
    from nnlab.gates import INPUTS

    w1, w2, b = CHECKED
    page.evaluate(RUN_IN_KERNEL, f"{kernel_name}.w1, {kernel_name}.w2, {kernel_name}.b = "
                                 f"{w1}, {w2}, {b}")
    page.wait_for_timeout(500)
    width, height, dark = widget.evaluate(DARK_PIXELS)
    lo, hi = -0.5, 1.5                      # spike.picture.LIMITS

    def to_pixels(x, y):                    # pixel centres: +0.5
        return (x - lo) / (hi - lo) * width - 0.5, height - (y - lo) / (hi - lo) * height - 0.5

    xs, ys = boundary_line((w1, w2), b, (lo, hi), (lo, hi), level=SUM_THRESHOLD["step"])
    (x0, y0), (x1, y1) = to_pixels(xs[0], ys[0]), to_pixels(xs[1], ys[1])
    markers = [to_pixels(*point) for point in INPUTS]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    distances = [abs((x1 - x0) * (y0 - py) - (x0 - px) * (y1 - y0)) / length
                 for px, py in dark
                 if min((px - mx) ** 2 + (py - my) ** 2 for mx, my in markers) > 12 ** 2]
    return (max(distances) if distances else float("nan")), len(distances)


def measure(presses=PRESSES):
    """Run the spike; {option name: figures} and the run's facts."""
    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nnlab-spike-") as root:
        (Path(root) / "spike.ipynb").write_text(json.dumps(NOTEBOOK))
        with labdriver.JupyterLabServer(root) as server, sync_playwright() as playwright:
            browser = labdriver.launch_chromium(playwright)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                traffic = Traffic(page)
                notebook = labdriver.Notebook(page, server, "spike.ipynb").open()
                notebook.run_all()
                problems = notebook.problems()
                if problems:
                    raise RuntimeError("the notebook did not run clean:\n" + "\n".join(problems))
                kernel = kernel_pid(server.process.pid)
                page.evaluate(PROBE)
                widgets, targets = {}, {}
                for name, css, target, _, _ in OPTIONS:
                    [widgets[name]] = notebook.widgets(css)
                    targets[name] = widgets[name].locator(target).first
                figures = {name: {"latency": [], "first": [], "process_cpu": [], "bytes": [],
                                  "probe": [], "round_trip": [], "draw": []}
                           for name, *_ in OPTIONS}
                # Cross-check of the probe on the baseline: browser_latency.py's own measure
                # (keydown -> ipympl's last drawImage on its canvas) on the same presses.
                baseline_canvas = widgets["ipympl"].locator(labdriver.CANVAS).first
                page.evaluate(browser_latency.HOOKS, baseline_canvas.element_handle())
                hooked = []
                for i in range(presses):
                    key = "ArrowRight" if i < presses // 2 else "ArrowLeft"
                    for name, *_ in OPTIONS:
                        targets[name].scroll_into_view_if_needed()
                        targets[name].focus()
                        press = press_once(notebook, widgets[name], targets[name], key, kernel,
                                           traffic)
                        for measure_name, values in figures[name].items():
                            values.append(press[measure_name])
                        if name == "ipympl":
                            draws = page.evaluate("() => window.__draws")
                            hooked.append(max((t for t in draws if t > press["key_time"]),
                                              default=float("nan")) - press["key_time"])
                page.evaluate("() => window.__spike.stop()")
                lists = json.loads(page.evaluate(RUN_IN_KERNEL, "import json; print(json.dumps("
                                                 "{" + ", ".join(f"{n!r}: {expr}" for n, _, _,
                                                                 expr, _ in OPTIONS) + "}))"))
                for name, _, _, _, extensions in OPTIONS:
                    f = figures[name]
                    f["update_cpu"] = lists[name][-presses:]   # the presses' updates
                    f["axe"] = axe_violations(page, widgets[name])
                    f["js_bytes"] = sum(traffic.extension_bytes.get(e, 0) for e in extensions)
                    if name.startswith("canvas"):
                        f["js_bytes"] += ESM.stat().st_size
                facts = {"line_check": line_check(page, widgets["canvas"]),
                         "ipympl_drawimage": hooked, "load_before": load_before,
                         "load_after": os.getloadavg(),
                         "foreign": traffic.foreign, "extensions": traffic.extension_bytes,
                         "problems": notebook.problems()}
                return figures, facts
            finally:
                browser.close()


def p90(values):
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def table(figures, facts):
    """RESULTS.md rows: one per option, then the run's conditions."""
    lines = ["| option | keypress -> pixels: median | p90 | first changed frame: median | "
             "kernel CPU per update: update() median | whole kernel process, mean | kernel "
             "websocket per press, median | JS loaded (lab extension + ES module) | axe "
             "violations inside the widget | requests off this machine |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, *_ in OPTIONS:
        f = figures[name]
        axe = f["axe"]
        axe_text = ("not measured" if axe is None else
                    ", ".join(f"{k} ({n} nodes)" for k, n in axe.items()) or "0")
        lines.append(
            f"| {name} | {statistics.median(f['latency']):.0f} ms | {p90(f['latency']):.0f} ms | "
            f"{statistics.median(f['first']):.0f} ms | "
            f"{statistics.median(f['update_cpu']):.1f} ms | "
            f"{statistics.mean(f['process_cpu']):.1f} ms | "
            f"{statistics.median(f['bytes']) / 1000:.1f} KB | {f['js_bytes'] / 1000:.0f} KB | "
            f"{axe_text} | {len(facts['foreign'])} |")
    before, after = facts["load_before"], facts["load_after"]
    hooked = [t for t in facts["ipympl_drawimage"] if t == t]      # without NaN
    probe = ", ".join(f"{name} {statistics.mean(figures[name]['probe']):.1f} ms"
                      for name, *_ in OPTIONS)
    for name in ("canvas", "canvas+ipw", "canvas+ipw kernel link"):
        f = figures[name]
        lines += ["", f"Where {name}'s time goes (medians): keydown -> the frame's numbers "
                  f"arrive in the browser {statistics.median(f['round_trip']):.0f} ms, drawing "
                  f"them {statistics.median(f['draw']):.1f} ms, the rest is waiting for the "
                  "next animation frame."]
    distance, count = facts["line_check"]
    lines += ["", f"The canvas's picture is right: at w1, w2, b = {CHECKED} its {count} dark "
              "pixels (away from the four points) lie within "
              f"{distance:.1f} px of nnlab.decision_line.boundary_line's line."]
    lines += ["", f"{len(figures['canvas']['latency'])} presses of w1 each, interleaved; load "
              f"average {before[0]:.1f} before and {after[0]:.1f} after, on {os.cpu_count()} "
              "cores (other work ran on the machine). The probe's own cost per animation frame "
              f"(hashing the widget's canvases): {probe}. Cross-check on the baseline: "
              f"browser_latency.py's measure (keydown -> ipympl's last drawImage) gives "
              f"{statistics.median(hooked):.0f} ms median on the same presses."
              if hooked else "browser_latency.py's measure saw no ipympl draw."]
    return lines


RECOMMENDATION = """\
**Recommendation: draw every interactive figure with an anywidget ES module on a `<canvas>`,
controlled by ipywidgets sliders linked in the kernel** (the "canvas+ipw kernel link" row). The
canvas was the fastest mechanism in every run (28-43 ms median under load 2-5 on 2 cores,
against 52-64 ms for bqplot and 74-90 ms for ipympl in the same runs; FIELD-NOTES' floor is 24
ms at load 0.1). What is left is one round trip to the kernel (18-33 ms here) and one frame:
drawing takes 0.2 ms. The kernel's update takes under 1 ms (the whole kernel process, message
handling included, 1.5-6.5 ms per press) instead of ipympl's 18-19 ms (22-23.5 ms): no Agg
render, no PNG; 13-14 KB go over the websocket (a byte per map cell), a third of bqplot's; its
JavaScript is a 5 KB ES module on anywidget's runtime, which the course already loads for its
text twins (bqplot adds 866 KB); nothing is fetched from a CDN; the canvas has no axe violation
(role=img with an aria-label, which can carry the `describe()` text); its picture is checked
from its pixels (the line above); and it is the only option whose last picture shows in
nbconvert's HTML export of a notebook saved with widget state (its state carries the map bytes
and the ES module). bqplot's export fails: bqplot 0.13's JavaScript (bqplot@^0.6.1) is not on
npm, so no CDN can serve it; in JupyterLab bqplot is slower because the heat map and the line
come in separate messages and frames. ipympl's export showed blank canvases (from a notebook
saved headless by nbclient; one saved from JupyterLab was not tried). How the sliders are held
matters less than the mechanism: native `<input type=range>` inside the widget were never
clearly faster than ipywidgets sliders and had the worst p90 of the three canvas variants in
every run; between a browser `jslink` and a kernel link the medians differed by less than
run-to-run noise (1-8 ms). The kernel link keeps API.md's `controls` contract (setting
`controls['w1'].value` in plain Python updates `state`) and the maths in the kernel. The
ipywidgets sliders' axe violations (aria-input-field-name) are the ones the course's
text_twin.js already fixes in the real widgets. Figures vary by 10-20 ms from run to run with
the machine's load: compare options within a run (they are interleaved)."""


def markdown_rows():
    """The RESULTS.md section: the table, the static export, the recommendation."""
    try:
        figures, facts = measure()
        lines = table(figures, facts)
    except Exception as error:  # noqa: BLE001 - no Chromium, a failed run: say so, go on
        return [f"not measured: {type(error).__name__}: {error}"]
    try:
        from spike import static_export

        rows, _, refused = static_export.results()
        lines += ["", "nbconvert's HTML export of the notebook saved with widget state "
                  "(benchmarks/spike/static_export.py; CDN requests answered from npm): "
                  + "; ".join(f"{name} {painted} of {canvases} canvases painted"
                              + (", a widget error shown" if error else "")
                              for name, painted, canvases, _, error in rows)
                  + f". Not available: {', '.join(refused) or 'nothing'}."]
    except Exception as error:  # noqa: BLE001
        lines += ["", f"HTML export not checked: {type(error).__name__}: {error}"]
    return lines + ["", RECOMMENDATION]


def main():
    start = time.perf_counter()
    figures, facts = measure()
    for line in table(figures, facts):
        print(line)
    print(f"JS per lab extension loaded: {facts['extensions']}")
    print(f"requests to other hosts: {facts['foreign'] or 'none'}")
    if facts["problems"]:
        print("problems after the presses:\n" + "\n".join(facts["problems"]))
    print(f"[{time.perf_counter() - start:.0f} s in all]")


if __name__ == "__main__":
    main()
