"""Canvas: the one way every nnlab widget draws. The kernel computes, the browser draws.

A `Canvas` is an anywidget whose ES module (canvas.js) paints on an HTML ``<canvas>``. The
kernel sends only numbers (compact float32 and byte arrays) and styles; the browser maps them to
pixels, in the frame after they arrive. There is no maths in the JavaScript beyond that mapping.
(Why not matplotlib through ipympl: every frame was rastered in the kernel, PNG-encoded, sent and
decoded, 60-100 ms from keypress to pixels; see benchmarks/RESULTS.md, "#28 spike".)

A canvas holds named **panels** (a rectangle in CSS pixels with data limits, optional axes box,
ticks, labels and title), and each panel holds named **layers**, drawn in the order they were
first set: heat-map images, lines, points (class colour *and* shape, as style.py says),
segments, rectangles, texts and legends. Set layers inside ``with canvas.frame():`` and the
whole frame reaches the browser in one message.

>>> import numpy as np
>>> canvas = Canvas(width=320, height=300, label="a neuron's output over the plane")
>>> plane = canvas.panel("map", left=50, top=20, width=250, height=250,
...                      xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), xlabel="x1", ylabel="x2")
>>> with canvas.frame():
...     plane.image("output", np.zeros((3, 3)), low=0.0, high=1.0)
...     plane.line("boundary", [-0.5, 1.5], [1.5, -0.5], width=2)
...     plane.points("inputs", [0, 1], [0, 1], classes=[0, 1])
>>> canvas.layer("map", "boundary")["x"].tolist()
[-0.5, 1.5]
>>> canvas.layers("map")
['output', 'boundary', 'inputs']
>>> canvas.frames            # one for the new panel, one for the three layers
2

Layers are plain dicts of numpy arrays and values (`layer()`), so tests read what is drawn
without a browser; browser tests read the pixels (the root element carries the panels'
geometry in ``data-panels``).
"""

import contextlib
import time
from pathlib import Path

import anywidget
import traitlets

from .palettes import PALETTES
from .panel import DASHES, MARKERS, Panel, panel_spec, wire

__all__ = ["Canvas", "Panel", "PALETTES", "DASHES", "MARKERS"]


class Canvas(anywidget.AnyWidget):
    """A figure drawn in the browser: panels of layers, sent as numbers (see the module).

    Parameters
    ----------
    width, height : int
        CSS pixels.
    label : str
        The picture's accessible name (role="img"); the widget's `describe()` text twin says
        what it shows.
    focusable : bool
        Whether the canvas takes keyboard focus (for `on_key`); then `key_help` says which
        keys do what (read by screen readers as the description of the focused canvas).
    """

    _esm = Path(__file__).with_name("canvas.js")
    _css = """
    .nnlab-canvas { position: relative; line-height: 0; }
    .nnlab-canvas canvas:focus-visible { outline: 3px solid #0072b2; outline-offset: 2px; }
    """

    width = traitlets.Int(400).tag(sync=True)
    height = traitlets.Int(300).tag(sync=True)
    label = traitlets.Unicode("figure").tag(sync=True)
    focusable = traitlets.Bool(False).tag(sync=True)
    key_help = traitlets.Unicode("").tag(sync=True)
    #: whether each view reports every frame it has drawn (`frames_drawn`): for a widget that
    #: plays and paces itself by the browser; off, no message goes back per frame
    report_drawn = traitlets.Bool(False).tag(sync=True)
    palettes = traitlets.Dict({}).tag(sync=True)
    scene = traitlets.Dict({}).tag(sync=True)

    def __init__(self, width=400, height=300, label="figure", **kwargs):
        super().__init__(width=int(width), height=int(height), label=label,
                         palettes={k: v.tobytes() for k, v in PALETTES.items()}, **kwargs)
        self.panels = {}
        self.frames = 0
        #: the newest frame a browser view reported drawn, and when (time.monotonic()), with
        #: `report_drawn`; a widget that plays waits for it (no view: nothing is drawn)
        self.frames_drawn, self.drawn_at = 0, None
        self._holding = 0
        self._dirty = False
        self._pointer = []
        self._keys = []
        self.on_msg(self._message)

    # ------------------------------------------------------------------ building
    def panel(self, name, left, top, width, height, **spec):
        """A new panel (or the existing one of that name, changed): see `panel.panel_spec`'s fields:
        xlim, ylim, xlabel, ylabel, title, xticks, yticks (None: about five round values;
        [] none; a tick is a value or (value, label)), frame (axes box and ticks),
        background, xscale/yscale ('linear'/'log')."""
        spec = panel_spec(left, top, width, height, **spec)
        if name in self.panels:
            self.panels[name].spec = spec
        else:
            self.panels[name] = Panel(self, name, spec)
        self.changed()
        return self.panels[name]

    def layer(self, panel, name):
        """The layer `name` of `panel`, as set: a dict of numpy arrays and values."""
        return self.panels[panel].layers[name]

    def layers(self, panel):
        """The names of `panel`'s layers, in drawing order."""
        return list(self.panels[panel].layers)

    @contextlib.contextmanager
    def frame(self):
        """Collect every change made inside and send them as one frame when the outermost
        `frame()` ends."""
        self._holding += 1
        try:
            yield self
        finally:
            self._holding -= 1
            if self._holding == 0 and self._dirty:
                self._send_frame()

    def changed(self):
        """Something of a panel changed: send the frame now, or when the current `frame()`
        ends."""
        self._dirty = True
        if not self._holding:
            self._send_frame()

    def _send_frame(self):
        self._dirty = False
        self.frames += 1
        self.scene = {"frame": self.frames, "order": list(self.panels),
                      "panels": {name: {"spec": p.spec,
                                        "order": list(p.layers),
                                        "layers": {k: wire(v) for k, v in p.layers.items()}}
                                 for name, p in self.panels.items()}}

    # ------------------------------------------------------------------ events
    def on_pointer(self, callback):
        """Call `callback(event)` for pointer presses, drags and releases on a panel:
        event = {"panel", "x", "y" (data coordinates), "kind": "down"|"move"|"up",
        "buttons"}. Moves are sent only while a button is pressed."""
        self._pointer.append(callback)

    def on_key(self, callback):
        """Call `callback(key)` (the DOM key name, e.g. "ArrowLeft", " ") for a key pressed
        while the canvas has focus (needs ``focusable=True``)."""
        self._keys.append(callback)

    def _message(self, _widget, content, _buffers):
        if not isinstance(content, dict):
            return
        if content.get("type") == "pointer" and content.get("panel") in self.panels:
            event = {k: content.get(k) for k in ("panel", "x", "y", "kind", "buttons")}
            for callback in list(self._pointer):
                callback(event)
        elif content.get("type") == "drawn":
            self.frames_drawn = max(self.frames_drawn, int(content.get("frame") or 0))
            self.drawn_at = time.monotonic()
        elif content.get("type") == "key":
            for callback in list(self._keys):
                callback(str(content.get("key", "")))
