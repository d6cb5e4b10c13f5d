"""The Playground: the TensorFlow Playground inside Jupyter, and a little beyond it.

A thin binding: every control changes a `nnlab.playground.PlaygroundSession` (which holds the
data, the network and its training, and is tested without widgets), and three views draw what
the session says, as panels of one browser-drawn `Canvas`: the network diagram
(playground_diagram), the decision map and the loss chart (playground_map). The kernel sends
the numbers of a frame (every neuron's output over the grid, the weights, the points, the
losses) in one message per update; the browser paints them. Controls: playground_controls.
"""

import html
import os
import time

from ..playground import PlaygroundSession
from ..playground.grid import map_share
from . import playground_text as text
from .base import Widget, serialized
from .canvas import Canvas
from .playground_controls import INTERVAL, SETTINGS, Pace, layout, make_controls, sync
from .playground_diagram import NetworkDiagram
from .playground_map import GRID, DecisionMap, LossChart
from .ticker import Ticker

__all__ = ["Playground"]

#: play waits while the browser is this many frames behind, and pauses after NO_VIEW s with
#: no frame drawn by any view
BEHIND, NO_VIEW = 2, 5.0
#: seconds between two text-twin updates while playing
RETELL = 2.0
WIDTH, HEIGHT = 850, 454          # CSS px: the widget's view stays within a lesson's 883 px
#: Where each view lies in the canvas (CSS px): the diagram on the left, the map on the right
#: with the loss chart (and its key) under it; room around them for ticks and labels.
BOXES = {"network": dict(left=0, top=4, width=470, height=446),
         "map": dict(left=530, top=16, width=250, height=250),
         "loss key": dict(left=520, top=306, width=320, height=18),
         "loss": dict(left=520, top=328, width=320, height=92)}


class Playground(Widget):
    """Train a small network on 2-D data and watch it learn.

    Parameters
    ----------
    code : str, optional
        A share code (`PlaygroundSession.to_code`, or the widget's "share code" button): opens
        that set-up. Otherwise the settings come from the keyword arguments.
    export_path : str, default 'playground_model.npz'
        Where "export weights" writes (the script goes next to it, as .py).
    **config
        Settings of `nnlab.playground.PlaygroundSession`: dataset, noise, train_ratio,
        n_points, features, hidden, activation, batch_size, learning_rate, optimizer, loss,
        regularization, regularization_rate, max_epochs, patience, seed.

    Attributes
    ----------
    session : PlaygroundSession
        Everything computed; the widget only binds and draws.
    controls, state : as every nnlab widget
    canvas : Canvas
        The figure: panels "network", "map", "loss" (and "loss key", the chart's key).

    Examples
    --------
    >>> pg = Playground(dataset='xor', features=('x1*x2',), hidden=(2,), seed=0)
    >>> pg.tick(50)
    >>> pg.state['epoch'], pg.state['test_loss'] < pg.state['test_loss_history'][0]
    (50, True)
    >>> Playground(code=pg.session.to_code()).session.config == pg.session.config
    True
    """

    figure_label = "playground figure: network diagram, decision map and loss chart"

    def __init__(self, code=None, export_path="playground_model.npz", **config):
        super().__init__()
        self.session = PlaygroundSession.from_code(code) if code is not None \
            else PlaygroundSession(**config)
        self.export_path = os.fspath(export_path)
        self.controls = make_controls(self.session.config, self.session.n_classes)
        self.selected = self.picked_weight = None   # neuron explained, weight line clicked
        self.pace = Pace()                    # epochs per play tick in 'auto'
        # play: the kernel ticks itself, a frame every INTERVAL s (no round trip per frame)
        self.player = Ticker(self._keep_playing, INTERVAL, on_error=self._play_failed)
        self._play_started = time.monotonic()
        self._told = 0.0                      # when the text twin last spoke (time.monotonic())
        # fits 1366 px with the file browser open; under the play button on a 768 px screen
        self.canvas = canvas = Canvas(width=WIDTH, height=HEIGHT, label=self.figure_label,
                                      report_drawn=True)     # play keeps pace with the browser
        with canvas.frame():
            self.diagram = NetworkDiagram(canvas.panel("network", **BOXES["network"]))
            self.map = DecisionMap(canvas.panel("map", **BOXES["map"]))
            self.loss_chart = LossChart(canvas.panel("loss", **BOXES["loss"]),
                                        canvas.panel("loss key", **BOXES["loss key"]))
            self._connect_controls()
            self._rebuild()

    @classmethod
    def from_code(cls, code, **kwargs):
        """The playground a share code describes."""
        return cls(code=code, **kwargs)

    # ================================================================ binding
    def _connect_controls(self):
        c = self.controls
        for name in SETTINGS:
            c[name].observe(lambda ch, n=name: self._set(**{n: ch["new"]}), names="value")
        for n in ("max_epochs", "patience"):       # 0 in the box: no such stop condition
            c[n].observe(lambda ch, n=n: self._set(**{n: ch["new"] or None}), names="value")
        for name in [k for k in c if k.startswith(("feature:", "neurons_"))] + ["layers"]:
            c[name].observe(self._on_network, names="value")
        for name in ("show_test", "discretize"):
            c[name].observe(lambda _: self.update(), names="value")
        c["run"].observe(self._on_run, names="value")
        c["neuron"].observe(lambda ch: self.select(*(ch["new"] or (None, None))), names="value")
        c["upload_csv"].observe(self._on_csv, names="value")
        c["import"].observe(self._on_import, names="value")
        actions = {"step": self.tick, "reset": lambda: self._act(self.session.reset),
                   "reset_same": lambda: self._act(self.session.reset, same_weights=True),
                   "regenerate": lambda: self._act(self.session.regenerate),
                   "add_point": self._add_typed_point, "share": self._share,
                   "export": self.export_weights, "export_python": self.export_python}
        for name, action in actions.items():
            c[name].on_click(lambda _, a=action: self._report_errors(a))
        self.canvas.on_pointer(self._on_click)

    @serialized
    def _report_errors(self, action, *args, **kwargs):
        """Run an action and report its errors: a ValueError or OSError is shown as the message
        under the figure instead of being raised."""
        try:
            return action(*args, **kwargs)
        except (ValueError, OSError) as error:
            self.say(html.escape(str(error)), error=True)
            return None

    @serialized
    def _set(self, **changes):
        if not self.held:
            self._report_errors(self._act, self.session.configure, **changes)

    @serialized
    def _act(self, action, *args, **kwargs):
        """Do a session action, then rebuild the views if the network changed."""
        model = self.session.model
        action(*args, **kwargs)
        self.say("")
        self._rebuild() if self.session.model is not model else self.update()

    @serialized
    def _on_network(self, change):
        if self.held:
            return
        c = self.controls
        features = [n[8:] for n in c if n.startswith("feature:") and c[n].value]
        if not features:                      # the network needs at least one input
            with self.hold():
                change["owner"].value = True
            self.say("Keep at least one feature: the network needs an input.", error=True)
            return
        hidden = [c[f"neurons_{i}"].value for i in range(1, c["layers"].value + 1)]
        self._set(features=features, hidden=hidden)

    def _on_run(self, change):
        run = self.controls["run"]
        run.description, run.icon = ("pause", "pause") if change["new"] else ("play", "play")
        if change["new"]:
            self._play_started = time.monotonic()
            self.player.start()
        else:
            self.player.stop()
            with self.lock:
                self._told = 0.0
                self.retell()                 # what the picture shows at the pause

    def retell(self):
        """While playing, the text twin speaks at most once every RETELL s (a live region read
        out 25 times a second is noise to a screen reader); at pause and after any other
        change, at once."""
        now = time.monotonic()
        if self.player.running and now - self._told < RETELL:
            return
        self._told = now
        super().retell()

    def play_tick(self):
        """One tick of play: the epochs 'epochs per play tick' says ('auto': `Pace`), one frame."""
        speed = self.controls["speed"].value
        self.tick(speed if speed != "auto" else self.pace.epochs(time.perf_counter()))

    def _keep_playing(self):
        """The player's tick (every INTERVAL s): play on while a browser keeps up. A tick is
        skipped while the browser is more than BEHIND frames behind (a slow machine gets fewer
        frames, never a queue of stale ones), and play pauses when no view has drawn a frame
        for NO_VIEW s (the cell was re-run or the notebook closed: nobody is watching)."""
        canvas = self.canvas
        if canvas.frames - canvas.frames_drawn > BEHIND:
            waited = time.monotonic() - (canvas.drawn_at or self._play_started)
            if waited > NO_VIEW:
                self.controls["run"].value = False
                self.say("Paused: no view of this playground is drawing it.")
            return
        self.play_tick()

    def _play_failed(self, error):
        self.controls["run"].value = False
        self.say(f"Play stopped: {html.escape(str(error))}", error=True)

    @serialized
    def tick(self, n_epochs=1):
        """Train `n_epochs` epochs, then redraw once; a stop condition pauses play."""
        start = time.perf_counter()
        done = self.session.tick(n_epochs)
        self.pace.trained(done, time.perf_counter() - start)
        if self.session.stopped:
            self.controls["run"].value = False          # pauses play
            self.say(f"Paused: {html.escape(self.session.stopped)}.",
                     error="diverged" in self.session.stopped)
        self.update()

    @serialized
    def _on_click(self, event):
        """A press on the canvas (`Canvas.on_pointer`): on the map it adds a point, on the
        diagram it explains the neuron (or the weight line) under it."""
        if event["kind"] != "down":
            return
        if event["panel"] == "map":
            self._report_errors(self.add_point, event["x"], event["y"],
                                self.controls["click_label"].value)
        elif event["panel"] == "network":
            picked = self.diagram.pick(event["x"], event["y"])
            if picked is not None:
                with self.hold():                   # select() draws once, below
                    self.controls["neuron"].value = picked[:2]
                self.picked_weight = picked[2]      # the weight line clicked, if any
                self.update()

    def _add_typed_point(self):
        c = self.controls
        self.add_point(c["point_x1"].value, c["point_x2"].value, c["click_label"].value)

    @serialized
    def add_point(self, x1, x2, label):
        """Add a training point at (x1, x2) with a class (or, for regression, a target)."""
        self.session.add_point(x1, x2, label)
        self.update()

    @serialized
    def _on_csv(self, change):
        if change["new"]:
            upload = change["new"][-1]
            self._report_errors(self._act, self.session.load_csv, bytes(upload["content"]))
            with self.hold():
                self.controls["upload_csv"].value = ()

    @serialized
    def _on_import(self, change):
        if change["new"]:
            upload = change["new"][-1]
            self.import_weights(bytes(upload["content"]), name=upload.get("name", "upload"))
            with self.hold():                 # so that the same file can be chosen again
                self.controls["import"].value = ()

    # ================================================================ files and codes
    def _share(self):
        code = self.session.to_code()
        self.controls["code"].value = code
        self.say(f"Share code: <code>{code}</code> (select it in the box and copy). "
                 f"In a notebook: <code>Playground(code=\"{code}\")</code>.")

    def _download(self, path, what):
        self.say(text.download_html(path, what))
        return path

    def export_weights(self, path=None):
        """Save the network and its features (`MLP.save` format); returns the path."""
        path = self.session.export_weights(self.export_path if path is None else path)
        return self._download(path, f"the network (features {', '.join(self.session.features)})")

    def export_python(self, path=None):
        """Write the nnlab script that rebuilds this run; returns the path."""
        path = path or os.path.splitext(self.export_path)[0] + ".py"
        with open(path, "w") as f:
            f.write(self.session.to_python())
        return self._download(path, "a script that rebuilds this run")

    @serialized
    def import_weights(self, source, name=None):
        """Continue from a saved network; False (and a message) when it does not fit."""
        try:
            self._act(self.session.import_weights, source, name)
        except ValueError as error:
            self.say(html.escape(str(error)), error=True)
            return False
        self.say(f"Loaded {html.escape(name or os.fspath(source))}: hidden layers "
                 f"{self.session.hidden}, features {', '.join(self.session.features)}. "
                 "Reset to same weights now returns to these.")
        return True

    def say(self, message, error=False):
        """Show a message under the figure (HTML), kept in state['message']."""
        self.controls["message"].value = message and text.message_html(message, error)
        self.state["message"] = message

    # ================================================================ views
    @serialized
    def _rebuild(self):
        """After a new network or new data: controls follow the session, new diagram."""
        s, c = self.session, self.controls
        with self.hold():
            sync(c, s)
        self.selected = None
        with self.canvas.frame():               # the new diagram and its first picture: one frame
            self.diagram.build(s.model.layer_sizes, s.features, s.grid_outputs(GRID)["inputs"])
            self.update()

    @serialized
    def select(self, layer, neuron):
        """Explain neuron `neuron` of layer `layer` (from 1), or nothing (None)."""
        if (layer, neuron) != self.selected:
            self.picked_weight = None
        self.selected = None if layer is None else (layer, neuron)
        self.update()

    def compute(self):
        s = self.session
        self.state = dict(s.state(), message=self.state.get("message", ""),
                          loss_history=list(s.history["loss"]),
                          test_loss_history=list(s.history["test_loss"]),
                          show_test=self.controls["show_test"].value,
                          discretize=self.controls["discretize"].value,
                          n_links=len(self.diagram.segments), selected=self.selected)
        self._explained = s.explain(*self.selected) if self.selected else None
        self._grid = s.grid_outputs(GRID)
        self.state["map_share"] = map_share(self._grid["output"], s.n_classes)

    def draw(self):
        s, st, g = self.session, self.state, self._grid
        self.map.draw(s, g["output"], st["discretize"], st["show_test"])
        self.diagram.draw(s.model, g["layers"])
        self.diagram.select(*(self.selected or (None, None)))
        self.loss_chart.draw(s.history)
        self.controls["status"].value = text.status_html(st)
        self.controls["explain"].value = text.explain_html(self._explained,
                                                            self.picked_weight)

    def describe(self):
        """What the figure shows now, in words (from `state`)."""
        return text.describe(self.state)

    def layout(self):
        return layout(self.controls, self.canvas, self.text_twin)
