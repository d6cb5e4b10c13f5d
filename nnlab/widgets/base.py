"""What every widget shares: controls, state, a figure, its text twin, and `update()`.

A widget computes its `state` with the nnlab core, then draws that state by updating existing
matplotlib artists (set_data, set_array, set_offsets, set_text), never by re-plotting: that is
what makes sliders feel live. It also says in words what the figure shows (`describe()`), in a
live region under the figure that is the figure's accessible description (see accessibility.py).
"""

import contextlib
import functools
import re
import threading

import ipywidgets as ipw
import matplotlib.pyplot as plt

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


def new_figure(width=8.0, height=4.0, **kwargs):
    """A matplotlib figure that belongs to a widget (the widget shows it), not to pyplot.

    With the ipympl backend (``%matplotlib widget``) the canvas is itself an ipywidget; its
    header, toolbar and footer are hidden so the widget looks like one piece.

    The figure is made by the current backend but not registered with pyplot: a student's
    ``plt.plot()`` in a later cell must not draw on a widget's figure, pyplot must not redraw
    it after every widget message (the widget renders it when it changes, see
    `Widget.redraw`), and re-run cells do not fill pyplot's list of open figures. (ipywidgets
    still keeps every widget, the canvas too, until it is closed.)
    """
    with plt.ioff():
        # (0: a number pyplot never gives; pyplot numbers its own figures from 1)
        fig = plt.new_figure_manager(0, figsize=(width, height), **kwargs).canvas.figure
    canvas = fig.canvas
    for name in ("header_visible", "footer_visible", "toolbar_visible"):
        if hasattr(canvas, name):
            setattr(canvas, name, False)
    if hasattr(canvas, "resizable"):
        canvas.resizable = False
    if hasattr(canvas, "syncing_data_url"):
        # Until the browser's view reports "initialized", ipympl (0.10) stores every frame it
        # draws in `_data_url` as bare base64, without its "data:image/png;base64," prefix. A view
        # built from that state holds a broken image and stays blank for good (see
        # matplotlib/ipympl#472; seen in lesson 11 during Run All). Our canvases always sit in a
        # widget box and are never shown as a static image, so that copy is not needed: the view
        # asks for a fresh frame as soon as it exists.
        canvas.syncing_data_url = False
    return fig


def serialized(method):
    """Run a widget method holding the widget's `lock` (see `Widget.lock`)."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)
    return locked


def _locked_canvas(canvas, lock):
    """Make the canvas draw (and, with ipympl, read its frame) only while holding `lock`."""
    if getattr(canvas, "nnlab_lock", None) is lock:
        return
    for name in ("draw", "get_diff_image"):
        method = getattr(canvas, name, None)
        if method is not None:
            setattr(canvas, name, _with_lock(lock, getattr(type(canvas), name).__get__(canvas)))
    canvas.nnlab_lock = lock


def _with_lock(lock, function):
    @functools.wraps(function)
    def locked(*args, **kwargs):
        with lock:
            return function(*args, **kwargs)
    return locked


class Widget:
    """Base class of the nnlab widgets.

    Subclasses fill `self.controls` (name -> ipywidget), create `self.figure`, build their
    artists, and implement `compute()` (fill `self.state` using the core), `draw()` (update the
    artists from `self.state`) and `describe()` (say in words what the figure shows, from
    `self.state`). Then they call `self._connect()` and `self.update()`.

    Every control needs a `description` a screen reader can say ("weight w1"); a button with
    only an icon needs a `tooltip`.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
    state : dict of plain Python values describing what is shown
    figure : matplotlib.figure.Figure
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
        """A re-entrant lock held while the widget changes its state or artists and while its
        canvas draws. JupyterLab (>= 4.4 with ipykernel >= 7) services widget messages on a
        kernel subshell, a thread of its own: without the lock, ipympl could draw a frame in
        one thread while a control's callback clears and rebuilds the axes in another
        (matplotlib is not thread-safe), and two callbacks could interleave."""
        if self._lock is None:
            self._lock = threading.RLock()
        return self._lock

    def __init__(self):
        self.controls = {}
        self.state = {}
        self.figure = None
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
            canvases = self.canvases
            if canvases:
                with contextlib.ExitStack() as frames:
                    for canvas in canvases:        # every layer set below: one message each
                        frames.enter_context(canvas.frame())
                    self.compute()
                    self.draw()
                self.finish()
                self.text_twin.text = self.describe()
                return
            for figure in getattr(self, "figures", None) or [self.figure]:
                if figure is not None:
                    _locked_canvas(figure.canvas, self.lock)
            self.compute()
            self.draw()
            self.redraw()               # the picture first: it is what a slider is watched for
            self.finish()
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

    def redraw(self):
        self.figure.canvas.draw_idle()

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

    def figure_widget(self, figure=None):
        """A figure (default: `self.figure`) as an ipywidget: ipympl's canvas, or an Output
        widget elsewhere."""
        if figure is None and getattr(self, "canvas", None) is not None:
            return self.canvas
        figure = self.figure if figure is None else figure
        if isinstance(figure.canvas, ipw.DOMWidget):
            return figure.canvas
        out = ipw.Output()
        with out:
            from IPython.display import display

            display(figure)
        return out

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
