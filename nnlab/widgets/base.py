"""What every widget shares: controls, state, a figure, and `update()`.

A widget computes its `state` with the nnlab core, then draws that state by updating existing
matplotlib artists (set_data, set_array, set_offsets, set_text), never by re-plotting: that is
what makes sliders feel live.
"""

import contextlib
import re

import ipywidgets as ipw
import matplotlib.pyplot as plt


def new_figure(width=8.0, height=4.0, **kwargs):
    """A matplotlib figure that is not shown on its own (the widget shows it).

    With the ipympl backend (``%matplotlib widget``) the canvas is itself an ipywidget; its
    header, toolbar and footer are hidden so the widget looks like one piece.
    """
    with plt.ioff():
        fig = plt.figure(figsize=(width, height), **kwargs)
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


class Widget:
    """Base class of the nnlab widgets.

    Subclasses fill `self.controls` (name -> ipywidget), create `self.figure`, build their
    artists, and implement `compute()` (fill `self.state` using the core) and `draw()` (update the
    artists from `self.state`). Then they call `self._connect()` and `self.update()`.

    Attributes
    ----------
    controls : dict of str -> ipywidgets.Widget
    state : dict of plain Python values describing what is shown
    figure : matplotlib.figure.Figure
    """

    css_class = "nnlab-widget"
    _held = 0

    def __init__(self):
        self.controls = {}
        self.state = {}
        self.figure = None
        self._view = None

    # subclasses implement these two
    def compute(self):
        raise NotImplementedError

    def draw(self):
        raise NotImplementedError

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
        """Recompute the state and redraw (the controls call this when they change)."""
        if self.held:
            return
        self.compute()
        self.draw()
        self.redraw()

    def redraw(self):
        self.figure.canvas.draw_idle()

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
        if self._view is None:
            self._view = self.layout()
            self._view.add_class(self.css_class)
            # e.g. "nnlab-neuron-explorer": a stable hook for browser tests and styling
            kind = re.sub(r"(?<!^)(?=[A-Z])", "-", type(self).__name__).lower()
            self._view.add_class(f"nnlab-{kind}")
        return self._view

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)
