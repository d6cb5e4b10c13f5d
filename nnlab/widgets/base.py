"""What every widget shares: controls, state, a canvas, its text twin, and `update()`.

A widget computes its `state` with the nnlab core, then draws that state by setting the layers of
its `Canvas` (canvas.py): the kernel sends the numbers, the browser draws them in the next frame,
which is what makes sliders feel live. It also says in words what the figure shows
(`describe()`), in a live region under the figure that is the figure's accessible description
(see accessibility.py).
"""

import contextlib
import functools
import re
import threading

import ipywidgets as ipw

from .accessibility import TextTwin


def number(value, digits=2, small=False):
    """A number for a readout: `digits` decimals, and never "-0.00" (a rounded zero is 0).

    With ``small=True`` a value that is not 0 but rounds to 0 keeps two significant digits
    instead, so that a readout never says 0 about a weight that still draws a line.

    >>> number(-0.001), number(0.126), number(-1.5, 1), number(-0.00123, small=True)
    ('0.00', '0.13', '-1.5', '-0.0012')
    """
    value = float(value)
    rounded = round(value, digits)
    if small and rounded == 0 and value != 0:
        return f"{value:.2g}"
    return f"{rounded + 0.0:.{digits}f}"


def serialized(method):
    """Run a widget method holding the widget's `lock` (see `Widget.lock`)."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return locked


class Widget:
    """Base class of the nnlab widgets.

    Subclasses fill `self.controls` (name -> ipywidget), create `self.canvas` (a `Canvas`, or
    several in `self.canvas_list`) with its panels, and implement `compute()` (fill `self.state`
    using the core), `draw()` (set the canvas's layers from `self.state`) and `describe()` (say
    in words what the figure shows, from `self.state`). Then they call `self._connect()` and
    `self.update()`.

    Every control needs a `description` a screen reader can say ("weight w1"); a button with
    only an icon needs a `tooltip`.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
    state : dict of plain Python values describing what is shown
    canvas : nnlab.widgets.canvas.Canvas
        The figure, drawn in the browser from the layers `draw()` sets.
    text_twin : TextTwin
        The live region under the figure; its `text` is `describe()` after every update.
    figure_label : str (class attribute)
        A short accessible name of the figure, e.g. "neuron explorer figure".
    """

    css_class = "nnlab-widget"
    figure_label = "figure"
    _held = 0
    _lock = None

    @property
    def lock(self):
        """A re-entrant lock held while the widget changes its state and its canvas's layers.
        JupyterLab (>= 4.4 with ipykernel >= 7) services widget messages on a kernel subshell,
        a thread of its own: without the lock, a play timer's tick and a control's callback
        could interleave, and a frame could mix two states."""
        if self._lock is None:
            self._lock = threading.RLock()
        return self._lock

    def __init__(self):
        self.controls = {}
        self.state = {}
        self.canvas = None
        self._view = None
        self.text_twin = TextTwin(label=self.figure_label)

    # subclasses implement these three
    def compute(self):
        raise NotImplementedError

    def draw(self):
        raise NotImplementedError

    def describe(self):
        """What the figure shows now, in plain words (one or a few sentences), computed from
        `self.state` only: a screen reader reads it, and it must say the truth."""
        raise NotImplementedError(f"{type(self).__name__} must say what its figure shows: "
                                  "implement describe()")

    @contextlib.contextmanager
    def hold(self):
        """Hold redraws back while changing several controls: inside, `update()` does nothing
        and observers may check `held`; call `update()` once afterwards."""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1

    @property
    def held(self):
        """True inside `hold()`."""
        return self._held > 0

    def update(self, change=None):
        """Recompute the state, redraw, and say what the figure shows now (the controls call
        this when they change)."""
        if self.held:
            return
        with self.lock:
            with contextlib.ExitStack() as frames:
                for canvas in self.canvases:       # every layer set below: one message each
                    frames.enter_context(canvas.frame())
                self.compute()
                self.draw()
            self.finish()                          # after the picture: it is what is watched
            self.retell()

    def retell(self):
        """Put `describe()` in the text twin (the live region a screen reader reads out);
        `update()` calls it after every frame. A widget that animates may say it less often."""
        self.text_twin.text = self.describe()

    @property
    def canvases(self):
        """The widget's browser-drawn `Canvas` figures (canvas.py): `self.canvas`, or a list
        in `self.canvas_list` for a widget with several."""
        many = getattr(self, "canvas_list", None)
        if many:
            return list(many)
        one = getattr(self, "canvas", None)
        return [one] if one is not None else []

    def finish(self):
        """Work the picture need not wait for (e.g. what a hidden tab shows), done after
        `redraw()`; `state` must be complete when it returns. Nothing by default."""

    def _connect(self, names=None):
        """Make every value control (or those in `names`) call `update` when it changes."""
        for name, control in self.controls.items():
            if names is not None and name not in names:
                continue
            if isinstance(control, ipw.ValueWidget):
                control.observe(self.update, names="value")

    # ---------------------------------------------------------------- display
    def layout(self):
        """The ipywidgets container shown in the notebook; subclasses may arrange it."""
        controls = [c for c in self.controls.values() if isinstance(c, ipw.DOMWidget)]
        return ipw.VBox([ipw.HBox(controls, layout=ipw.Layout(flex_flow="row wrap")),
                         self.figure_widget()])

    @property
    def figure(self):
        """What the widget draws on (API.md's `.figure`): its `Canvas`, or a box of them."""
        return self.figure_widget()

    def figure_widget(self):
        """The widget's figure as an ipywidget: its `Canvas` (or the canvases of
        `canvas_list` in a box)."""
        canvases = self.canvases
        return canvases[0] if len(canvases) == 1 else ipw.VBox(canvases)

    @property
    def view(self):
        """The widget as displayed: `layout()`, with the text twin at the end unless the layout
        placed it already."""
        if self._view is None:
            self._view = self.layout()
            _fit_labels(self._view)
            if not _contains(self._view, self.text_twin):
                self._view.children = (*self._view.children, self.text_twin)
            self._view.add_class(self.css_class)
            # e.g. "nnlab-neuron-explorer": a stable hook for browser tests and styling
            kind = re.sub(r"(?<!^)(?=[A-Z])", "-", type(self).__name__).lower()
            self._view.add_class(f"nnlab-{kind}")
        return self._view

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)


def _fit_labels(box):
    """Labels are never cut off ("gradient accumul..."): every description gets the width it
    needs, and buttons grow with their text."""
    for child in getattr(box, "children", ()):
        _fit_labels(child)
    style = getattr(box, "style", None)
    if getattr(box, "description", "") and hasattr(style, "description_width"):
        if not style.description_width:
            style.description_width = "initial"
    if isinstance(box, ipw.ToggleButtons) and not box.style.button_width:
        box.style.button_width = "auto"
    if (isinstance(box, (ipw.Button, ipw.ToggleButton, ipw.FileUpload))
            and box.layout.width is None):
        box.layout.width = "auto"


def _contains(box, widget):
    """Whether `widget` is `box` or lies somewhere inside it."""
    if box is widget:
        return True
    return any(_contains(child, widget) for child in getattr(box, "children", ()))
