"""HiddenSpace: the input plane beside its picture in the hidden layer, while the network trains.

Left, the input plane (x1, x2): its grid lines, the data points and the network's output as a
pale background. Right, the same grid lines and points where the hidden layer sends them: the
hidden neurons' outputs (a1, a2, as the course writes a layer's outputs) are their coordinates,
for 2 hidden units the plane (a1, a2) itself, for 3 a view of the cube (a1, a2, a3) that the
student turns with two sliders. In hidden space the output neuron draws one straight line (a
plane, for 3 units): the classes are separable when it splits them. Press play and watch XOR's
four points move until a line can split them. The numbers come from `nnlab.hidden_space` and
`nnlab.MLP`; this module only binds and draws.
"""

import ipywidgets as ipw
import numpy as np

from .. import datasets
from ..decision_line import boundary_line, visible_segment
from ..hidden_space import (
    grid_lines,
    hidden_image,
    output_boundary,
    output_from_hidden,
    plane_in_box,
    positive_side,
    projection,
    separated,
)
from ..network import MLP
from ..optimizers import SGD
from . import style
from .base import Widget, number, serialized
from .canvas import Canvas

__all__ = ["HiddenSpace"]

DATASETS = {"xor": "XOR (4 points)", "circle": "circle (200 points)"}
#: Where the data lie, and where the grid is drawn.
LIMITS = {"xor": (-0.5, 1.5), "circle": (-6.0, 6.0)}
#: The hidden activations' range: the sides of the square (cube) drawn in hidden space.
RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
LEARNING_RATES = (0.03, 0.1, 0.3, 1.0, 3.0)
EPOCHS_PER_TICK = 5
MAX_EPOCHS = 3000                 # play pauses here
GRID_STYLES = (style.LINE_STYLES[0][0], style.LINE_STYLES[3][0])    # x1 = c and x2 = c lines
MAP = 48                          # output samples per axis for the pale backgrounds
CUBE_EDGES = [(i, i | 1 << k) for i in range(8) for k in range(3) if not i & 1 << k]


def _broken(lines):
    """Polylines (k, m, 2) as one x and one y array with NaN between lines (one layer)."""
    gaps = np.full((lines.shape[0], 1, lines.shape[2]), np.nan)
    joined = np.concatenate([lines, gaps], axis=1).reshape(-1, lines.shape[2])
    return joined[:, 0], joined[:, 1]


def _centres(low, high):
    """The centres of MAP equal cells from low to high: where an image's colours are
    computed (the image spans low..high)."""
    return low + (np.arange(MAP) + 0.5) * (high - low) / MAP


class HiddenSpace(Widget):
    """Watch a hidden layer re-describe the plane until a line separates the classes.

    Parameters
    ----------
    dataset : 'xor' or 'circle'
    hidden : 2 or 3, hidden units
    activation : 'tanh' or 'sigmoid', the hidden layer's
    learning_rate : float, of full-batch gradient descent
    seed : int, the initial weights' seed ("reset" moves to the next seed)
    azimuth, elevation : floats, the view of 3-D hidden space (degrees)

    Examples
    --------
    >>> widget = HiddenSpace(seed=0)
    >>> widget.state["separated"]
    False
    >>> widget.tick(200)
    >>> widget.state["epoch"], widget.state["separated"], widget.state["accuracy"]
    (200, True, 1.0)
    """

    figure_label = "hidden space figure: the input plane and its image in the hidden layer"

    def __init__(self, dataset="xor", hidden=2, activation="tanh", learning_rate=1.0, seed=0,
                 azimuth=35, elevation=25):
        super().__init__()
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}")
        if hidden not in (2, 3):
            raise ValueError(f"hidden must be 2 or 3 (hidden units), got {hidden!r}")
        if activation not in RANGES:
            raise ValueError(f"activation must be one of {sorted(RANGES)}, got {activation!r}")
        c = self.controls
        wide = {"description_width": "initial"}
        c["dataset"] = ipw.Dropdown(options=[(v, k) for k, v in DATASETS.items()],
                                    value=dataset, description="data", style=wide)
        c["hidden"] = ipw.Dropdown(options=[("2: a plane", 2), ("3: a cube", 3)],
                                   value=hidden, description="hidden units", style=wide)
        c["activation"] = ipw.Dropdown(options=list(RANGES), value=activation,
                                       description="hidden activation", style=wide)
        rates = sorted(set(LEARNING_RATES) | {float(learning_rate)})
        c["learning_rate"] = ipw.SelectionSlider(options=[(f"{r:g}", r) for r in rates],
                                                 value=float(learning_rate),
                                                 description="learning rate", style=wide)
        c["play"] = ipw.Play(value=0, min=0, max=10**9, step=1, interval=100,
                             description="play / pause training", show_repeat=False)
        c["play"].add_class("nnlab-play-timer")
        c["play"].layout.display = "none"          # driven by the labelled 'run' toggle
        c["run"] = ipw.ToggleButton(value=False, description="play", icon="play",
                                    tooltip="play: train continuously (pause: press again)")
        c["step"] = ipw.Button(description=f"train {EPOCHS_PER_TICK} epochs",
                               tooltip=f"train {EPOCHS_PER_TICK} epochs of gradient descent",
                               icon="step-forward")
        c["reset"] = ipw.Button(description="reset", icon="refresh",
                                tooltip="reset: new random initial weights")
        c["azimuth"] = ipw.IntSlider(value=azimuth, min=-180, max=180, step=5,
                                     description="turn (azimuth °)", style=wide)
        c["elevation"] = ipw.IntSlider(value=elevation, min=-90, max=90, step=5,
                                       description="tilt (elevation °)", style=wide)
        self.seed = int(seed)
        self.status = ipw.HTML(value="")           # epoch, loss, accuracy: a readout in words
        self.canvas = Canvas(width=780, height=390, label=self.figure_label)
        self.plane = self.canvas.panel("input", left=50, top=40, width=300, height=300,
                                       xlabel="x1", ylabel="x2", title="input plane")
        self.space = self.canvas.panel("hidden", left=450, top=40, width=300, height=300,
                                       title="hidden space")
        c["run"].observe(self._on_run, names="value")
        c["play"].observe(self._on_play, names="value")
        c["play"].observe(lambda ch: setattr(c["run"], "value", ch["new"]), names="playing")
        c["step"].on_click(lambda _: self.tick(EPOCHS_PER_TICK))
        c["reset"].on_click(lambda _: self.reset(self.seed + 1))
        for name in ("dataset", "hidden", "activation"):
            c[name].observe(lambda _: self.reset(self.seed), names="value")
        c["learning_rate"].observe(self._on_rate, names="value")
        for name in ("azimuth", "elevation"):
            c[name].observe(self.update, names="value")
        self.reset(self.seed)

    # ------------------------------------------------------------------ training
    @serialized
    def reset(self, seed=None):
        """A new network (initial weights from `seed`) on the chosen data; epoch 0."""
        with self.canvas.frame():         # the new limits and the new picture: one frame
            self._reset(seed)

    def _reset(self, seed):
        c = self.controls
        self.seed = self.seed if seed is None else int(seed)
        name = c["dataset"].value
        self.X, self.y = datasets.logic_gate("xor") if name == "xor" \
            else datasets.circle(n=200, seed=0)
        self.model = MLP([2, c["hidden"].value, 1], activation=c["activation"].value,
                         output_activation="sigmoid", seed=self.seed)
        self.model.compile("binary_crossentropy", SGD(c["learning_rate"].value))
        self.epoch, self.first_separated = 0, None
        self.losses = [self.model.evaluate(self.X, self.y)["loss"]]
        self._check_separated()
        low, high = LIMITS[name]
        self.plane.set(xlim=(low, high), ylim=(low, high), xticks=None, yticks=None)
        self._grid = grid_lines((low, high), (low, high), n_lines=9, n_points=41)
        axis = _centres(low, high)
        self._map_points = np.stack(np.meshgrid(axis, axis), axis=-1)
        for name in ("azimuth", "elevation"):      # the view of a cube: only for 3 units
            c[name].layout.display = "none" if c["hidden"].value == 2 else None
        self.update()

    def _check_separated(self):
        if self.first_separated is None and separated(self.model, self.X, self.y):
            self.first_separated = self.epoch

    @serialized
    def tick(self, n_epochs=EPOCHS_PER_TICK):
        """Train `n_epochs` epochs of full-batch gradient descent, epoch by epoch (to catch
        the first epoch at which the classes are separated), then redraw once."""
        for _ in range(int(n_epochs)):
            history = self.model.fit(self.X, self.y, epochs=1, batch_size=None)
            self.epoch += 1
            self.losses.append(self.model.evaluate(self.X, self.y)["loss"])
            self._check_separated()
            if getattr(history, "diverged", False):
                self.controls["play"].playing = False
                break
        if self.epoch >= MAX_EPOCHS:
            self.controls["play"].playing = False
        self.update()

    @serialized
    def _on_rate(self, change):
        self.model.optimizer.learning_rate = float(change["new"])
        self.update()                   # the text twin names the rate

    def _on_run(self, change):
        run = self.controls["run"]
        run.description, run.icon = ("pause", "pause") if change["new"] else ("play", "play")
        self.controls["play"].playing = change["new"]

    def _on_play(self, change):
        if change["new"] > change["old"]:       # "stop" sets the timer back to 0: no training
            self.tick(EPOCHS_PER_TICK)

    # ------------------------------------------------------------------ state
    def compute(self):
        c, model = self.controls, self.model
        weights, bias = output_boundary(model)
        hidden = hidden_image(model, self.X)
        predicted = positive_side(model, hidden).astype(int)
        n_hidden = int(c["hidden"].value)
        self.state = {
            "dataset": c["dataset"].value, "hidden_units": n_hidden,
            "activation": c["activation"].value, "learning_rate": float(
                c["learning_rate"].value),
            "epoch": self.epoch, "loss": float(self.losses[-1]),
            "accuracy": float(np.mean(predicted == self.y)),
            "separated": bool((predicted == self.y).all()),
            "first_separated_epoch": self.first_separated,
            "inputs": self.X.tolist(), "labels": self.y.astype(int).tolist(),
            "hidden_points": hidden.tolist(),
            "wrong": int(np.sum(predicted != self.y)),
            "wrong_points": np.flatnonzero(predicted != self.y).tolist(),
            "output_weights": weights.tolist(), "output_bias": bias,
            "azimuth": int(c["azimuth"].value), "elevation": int(c["elevation"].value),
            "playing": bool(c["play"].playing),
        }

    # ------------------------------------------------------------------ drawing
    def draw(self):
        st, model = self.state, self.model
        labels = np.asarray(st["labels"])
        rings = [""] * len(labels)
        for i in st["wrong_points"]:
            rings[i] = style.WRONG
        size = 11 if st["dataset"] == "xor" else 6
        # the input plane: output as background, grid, points
        out = model.predict(self._map_points.reshape(-1, 2)).reshape(MAP, MAP)
        # pale colours: the probabilities [0, 1] use the middle half of the palette
        self.plane.image("output", out, low=-0.5, high=1.5)
        n = len(self._grid) // 2
        for k, family in enumerate((self._grid[:n], self._grid[n:])):
            xs, ys = _broken(family)
            self.plane.line(f"grid{k + 1}", xs, ys, color=GRID_STYLES[k], width=1,
                            dash="solid" if k == 0 else "dotted")
        X = np.asarray(st["inputs"])
        self.plane.points("data", X[:, 0], X[:, 1], classes=labels, size=size, ring=rings)
        self.plane.set(title=f"input plane · epoch {st['epoch']} · loss "
                       f"{number(st['loss'], 3)}")
        verdict = "separated" if st["separated"] else "not separated yet"
        self.status.value = (f"epoch {st['epoch']} · loss {number(st['loss'], 3)} · accuracy "
                             f"{st['accuracy']:.0%} · in hidden space: {verdict}")
        images = hidden_image(model, self._grid)
        if st["hidden_units"] == 2:
            self._draw_plane(st, images, labels, rings, size)
        else:
            self._draw_cube(st, images, labels, rings, size)

    def _draw_plane(self, st, images, labels, rings, size):
        low, high = RANGES[st["activation"]]
        pad = 0.1 * (high - low)
        box = (low - pad, high + pad)
        self.space.set(xlim=box, ylim=box, xlabel="a1", ylabel="a2", frame=True,
                       xticks=None, yticks=None, title=self._space_title(st))
        for name in ("cube", "axes", "plane"):
            self.space.remove(name)
        axis = _centres(*box)
        H = np.stack(np.meshgrid(axis, axis), axis=-1)
        w, b = np.asarray(st["output_weights"]), st["output_bias"]
        self.space.image("output", output_from_hidden(self.model, H), low=-0.5, high=1.5)
        n = len(images) // 2
        for k, family in enumerate((images[:n], images[n:])):
            xs, ys = _broken(family)
            self.space.line(f"grid{k + 1}", xs, ys, color=GRID_STYLES[k], width=1,
                            dash="solid" if k == 0 else "dotted")
        segment = visible_segment(*boundary_line(w, b, box, box), box, box)
        if segment is None:
            self.space.line("boundary", [], [])
        else:
            (x0, y0), (x1, y1) = segment
            self.space.line("boundary", [x0, x1], [y0, y1], color=style.TEXT, width=3)
        hidden = np.asarray(st["hidden_points"])
        self.space.points("data", hidden[:, 0], hidden[:, 1], classes=labels, size=size,
                          ring=rings)

    def _draw_cube(self, st, images, labels, rings, size):
        low, high = RANGES[st["activation"]]
        centre, half = (low + high) / 2, (high - low) / 2
        P = projection(st["azimuth"], st["elevation"])
        reach = 1.9 * half
        self.space.set(xlim=(-reach, reach), ylim=(-reach, reach), xlabel="", ylabel="",
                       frame=False, xticks=[], yticks=[], title=self._space_title(st))
        self.space.remove("output")

        def screen(points):
            return (np.asarray(points) - centre) @ P

        corners = np.array([[(i >> k) & 1 for k in range(3)] for i in range(8)], float)
        corners = screen(low + (high - low) * corners)
        start, end = zip(*CUBE_EDGES)
        a, b = corners[list(start)], corners[list(end)]
        self.space.segments("cube", a[:, 0], a[:, 1], b[:, 0], b[:, 1], color="#b0b0b0")
        tips = screen(centre + np.diag([half * 1.25] * 3))
        self.space.texts("axes", tips[:, 0], tips[:, 1], ["a1", "a2", "a3"], size=12,
                         color=style.TEXT_MUTED, weight="bold")
        n = len(images) // 2
        for k, family in enumerate((images[:n], images[n:])):
            xs, ys = _broken(screen(family))
            self.space.line(f"grid{k + 1}", xs, ys, color=GRID_STYLES[k], width=1,
                            dash="solid" if k == 0 else "dotted")
        polygon = plane_in_box(st["output_weights"], st["output_bias"], low, high)
        if len(polygon):
            outline = screen(np.vstack([polygon, polygon[:1]]))
            self.space.line("boundary", outline[:, 0], outline[:, 1], color=style.TEXT,
                            width=3)
        else:
            self.space.line("boundary", [], [])
        self.space.remove("plane")
        hidden = screen(st["hidden_points"])
        self.space.points("data", hidden[:, 0], hidden[:, 1], classes=labels, size=size,
                          ring=rings)

    @staticmethod
    def _space_title(st):
        verdict = "separated by the line" if st["hidden_units"] == 2 else \
            "separated by the plane"
        return f"hidden space · {verdict if st['separated'] else 'not separated yet'}"

    def layout(self):
        c = self.controls
        row = ipw.Layout(flex_flow="row wrap")
        return ipw.VBox([
            ipw.HBox([c["run"], c["play"], c["step"], c["reset"], c["learning_rate"]],
                     layout=row),
            self.status,
            ipw.HBox([c["dataset"], c["hidden"], c["activation"]], layout=row),
            ipw.HBox([c["azimuth"], c["elevation"]], layout=row),
            self.figure_widget()])

    # ------------------------------------------------------------------ text twin
    def describe(self):
        st = self.state
        units = st["hidden_units"]
        data = "XOR's four points" if st["dataset"] == "xor" else "the circle's 200 points"
        space = "the plane (a1, a2)" if units == 2 else (
            f"the cube (a1, a2, a3), seen from azimuth {st['azimuth']}° and elevation "
            f"{st['elevation']}°")
        text = (f"Epoch {st['epoch']}, loss {number(st['loss'], 3)}, accuracy "
                f"{st['accuracy']:.0%}. Left: the input plane (x1, x2) with its grid and "
                f"{data}. Right: the same grid and points in the hidden layer's space, "
                f"{space}, of a 2-{units}-1 network with {st['activation']} hidden units, "
                f"trained by gradient descent with learning rate {st['learning_rate']:g}. ")
        if st["dataset"] == "xor":
            moves = "; ".join(
                f"({x:g}, {y:g}) goes to ({', '.join(number(h) for h in hs)})"
                for (x, y), hs in zip(st["inputs"], st["hidden_points"]))
            text += f"In hidden space {moves}. "
        shape = "line" if units == 2 else "plane"
        if st["separated"]:
            text += (f"The output neuron's {shape} separates the classes there: every "
                     f"{style.class_name(1)} point lies on its positive side, "
                     f"every {style.class_name(0)} point on the other (since epoch "
                     f"{st['first_separated_epoch']}).")
        else:
            text += (f"The output neuron's {shape} does not separate the classes yet: "
                     f"{st['wrong']} point{'s' if st['wrong'] != 1 else ''} on the wrong side "
                     "(ringed in red).")
        return text
