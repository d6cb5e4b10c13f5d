"""The DescentExplorer's pictures: the loss surface with the paths, and the loss per step.

`DescentView` is the drawing half of `DescentExplorer` (nnlab.widgets.descent_explorer). Each
tab has one browser-drawn `Canvas` (nnlab.widgets.canvas): a surface panel (the landscape as
grey shades and contour lines, the paths, the start and the minimum), a loss panel (the loss on
the whole dataset after every step) and a legend under both. The landscape's layers are
computed once (they are ~15 KB of each frame: the Canvas sends a panel's every layer); an update
sets only the layers that move (paths, curves, start, texts). It computes no training.
"""

import contourpy
import numpy as np

from .. import optimizers
from .canvas import Canvas
from .panel import round_up
from .style import CURRENT, LINE_STYLES, TEXT, WRONG

__all__ = ["DescentView", "BATCH_PATHS", "RACE_PATHS"]

#: The three batch sizes of the first tab, and the four optimizers of the second:
#: key -> (label, colour, dash, marker), from style.LINE_STYLES, so that the paths are told
#: apart in greyscale and by every eye. (Orange and blue mean negative/positive in this course,
#: so paths get other colours.)
BATCH_PATHS = {"full_batch": ("full batch", *LINE_STYLES[0]),
               "sgd": ("SGD (batch 1)", *LINE_STYLES[1]),
               "minibatch": ("mini-batch", *LINE_STYLES[2])}
#: The race has every optimizer of the core's menu (nnlab.optimizers.MENU), in its order.
RACE_PATHS = {label.lower(): ("SGD + momentum" if label == "momentum" else label,
                              *LINE_STYLES[i % len(LINE_STYLES)])
              for i, label in enumerate(optimizers.MENU)}
BAND = "#f0e442"            # yellow band: the large-batch path under the accumulated one
CONTOUR = "#8c8c8c"         # contour lines (matplotlib's "0.55")
WHITE = "#ffffff"
LEVELS = 14                 # contour levels, geometrically spaced from the minimum to the top
BAND_DARKEST = 0.35         # the grey of the highest level (0 white, 1 black)

# The layout of one tab's canvas, in CSS pixels: fits the lesson area (~883 px) at 1366x768.
WIDTH, HEIGHT = 820, 400
SURFACE = {"left": 56, "top": 26, "width": 300, "height": 300}
LOSS = {"left": 452, "top": 26, "width": 350, "height": 300}
LEGEND = {"left": 0, "top": 366, "width": WIDTH, "height": 30}
LINE_HEIGHT = 14            # px between the lines of a note
NOTE_SIZE = 11              # px, the notes' font size
PATH_WIDTH, MARKER_SIZE = 1.3, 4
#: Styles of the lines and markers that are not a method's path.
LARGE_BATCH = {"color": BAND, "width": 7, "alpha": 0.5}       # under the accumulated path
ACCUMULATED = {"color": CURRENT, "width": 1, "dash": "dashed", "marker": "D", "size": 3}
START = {"fill": WHITE, "edge": CURRENT, "size": 8, "width": 2}   # a white dot, black rim
MINIMUM_LOSS = {"color": WRONG, "width": 0.8, "dash": "dotted"}
CHAR, ENTRY = 7.4, 52       # legend: px per character of a 12 px label, px around each label


def contour_lines(xs, ys, surface, levels):
    """The contour lines of `surface` (rows along `ys`, columns along `xs`) at `levels`, as one
    polyline: two arrays (x, y) with NaN between the pieces.

    >>> grid = np.linspace(-1.0, 1.0, 21)
    >>> x, y = contour_lines(grid, grid, grid[None, :] ** 2 + grid[:, None] ** 2, [0.25])
    >>> bool(np.allclose(np.hypot(x, y), 0.5, atol=0.01))     # a circle of radius 0.5
    True
    """
    generator = contourpy.contour_generator(xs, ys, surface, line_type="ChunkCombinedNan")
    pieces = []
    for level in levels:
        for chunk in generator.lines(float(level))[0]:
            if chunk is not None and len(chunk):
                pieces += [chunk, np.full((1, 2), np.nan)]
    if not pieces:
        return np.empty(0), np.empty(0)
    points = np.concatenate(pieces[:-1])
    return points[:, 0], points[:, 1]


def shading(surface, levels):
    """The surface as greys for an image: 0 (white) up to the first level, BAND_DARKEST at the
    last, in between on the levels' geometric scale. Smooth: the browser interpolates it
    between cells, and the contour lines give the bands' edges.

    >>> shading(np.array([[0.5, 1.0], [10.0, 100.0]]), [1.0, 10.0, 100.0]) / BAND_DARKEST
    array([[0. , 0. ],
           [0.5, 1. ]])
    """
    low, high = float(levels[0]), float(levels[-1])
    share = np.log(np.maximum(surface, low) / low) / np.log(high / low)
    return np.clip(share, 0.0, 1.0) * BAND_DARKEST


def path_style(spec, size=MARKER_SIZE):
    """The line style of a method's path and loss curve from its (label, colour, dash,
    marker) in BATCH_PATHS or RACE_PATHS."""
    _, color, dash, marker = spec
    return {"color": color, "dash": dash, "marker": marker, "width": PATH_WIDTH, "size": size}


class DescentView:
    """Canvases of the DescentExplorer (a mixin: it reads the explorer's state)."""

    # ---------------------------------------------------------------- drawing, once
    def _build_views(self):
        """The two tabs' canvases, their panels, the landscape and the legends."""
        w_lo, w_hi = float(self.w_grid[0]), float(self.w_grid[-1])
        b_lo, b_hi = float(self.b_grid[0]), float(self.b_grid[-1])
        levels = np.geomspace(self._minimum[2] * 1.01, self.surface.max(), LEVELS)
        contours = contour_lines(self.w_grid, self.b_grid, self.surface, levels)
        shades = shading(self.surface, levels)
        self.canvas_list = []
        for specs, title, loss_xlabel in (
                (BATCH_PATHS, "L(w, b) and the paths of gradient descent",
                 "epochs (one point per update step)"),
                (RACE_PATHS, "", "update step")):
            canvas = Canvas(width=WIDTH, height=HEIGHT, label=self.figure_label)
            with canvas.frame():
                surface = canvas.panel("surface", **SURFACE, xlim=(w_lo, w_hi),
                                       ylim=(b_lo, b_hi), xlabel="weight w", ylabel="bias b",
                                       title=title)
                surface.image("landscape", shades, low=0.0, high=1.0, palette="grey",
                              smooth=True)
                surface.line("contours", *contours, color=CONTOUR, width=0.6)
                if specs is BATCH_PATHS:
                    # gradient accumulation: a thick band (batches of B*M) under a dashed line
                    surface.line("large_batch", [], [], **LARGE_BATCH)
                for key, spec in specs.items():
                    surface.line(f"path_{key}", [], [], **path_style(spec))
                if specs is BATCH_PATHS:
                    surface.line("accumulated", [], [], **ACCUMULATED)
                surface.points("start", [], [], **START)
                # the minimum on top of every path, with a white rim: a six-pointed star
                self._star(surface, "minimum", self._minimum[0], self._minimum[1])
                loss = canvas.panel("loss", **LOSS, ylabel="loss on the whole dataset",
                                    xlabel=loss_xlabel, title="loss after every step")
                for key, spec in specs.items():
                    loss.line(f"loss_{key}", [], [], **path_style(spec))
                # the minimum's loss, dotted, over the curves
                loss.line("minimum_loss", [], [], **MINIMUM_LOSS)
                self._legend(canvas, specs)
            self.canvas_list.append(canvas)
        self.canvas = self.canvas_list[0]
        self._drawn = [None, None]              # the settings each tab shows (see _unchanged)
        for canvas in self.canvas_list:
            canvas.on_pointer(self._on_pointer)

    @staticmethod
    def _star(panel, name, x, y, size=16):
        """A star at (x, y): two triangles, up and down, in WRONG over a white rim."""
        panel.points(f"{name}_rim", [x, x], [y, y], fill=WHITE, shape=["^", "v"], edge=None,
                     size=size + 5)
        panel.points(name, [x, x], [y, y], fill=WRONG, shape=["^", "v"], edge=None, size=size)

    def _legend(self, canvas, specs):
        """One legend for both panels (a path and its loss curve share colour, dash and
        marker), under them, where no path or curve can pass over it."""
        legend = canvas.panel("legend", **LEGEND, xlim=(0, LEGEND["width"]),
                              ylim=(0, LEGEND["height"]), frame=False, background=None)
        entries = [(f"sample_{key}", label) for key, (label, *_) in specs.items()]
        entries += [("sample_minimum", "minimum (grid)"), ("sample_start", "start")]
        width = sum(ENTRY + CHAR * len(label) for _, label in entries) - (ENTRY - 30)
        x, y = (LEGEND["width"] - width) / 2, LEGEND["height"] / 2
        xs = []
        for name, label in entries:
            key = name[len("sample_"):]
            if key in specs:
                legend.line(name, [x, x + 12, x + 24], [y, y, y],
                            **path_style(specs[key], size=MARKER_SIZE + 1))
            elif key == "minimum":
                self._star(legend, name, x + 12, y)
            else:
                legend.points(name, [x + 12], [y], **START)
            xs.append(x + 30)
            x += ENTRY + CHAR * len(label)
        legend.texts("labels", xs, [y] * len(xs), [label for _, label in entries], size=12,
                     align="left")

    # ---------------------------------------------------------------- drawing, every update
    def draw(self):
        self._draw_batch_view(self.state)
        if self.state["race_paths"] is not None:    # else drawn by finish(), see DescentExplorer
            self._draw_race_view(self.state)

    def _unchanged(self, tab, *settings):
        """Whether the tab's canvas shows these settings already (then no frame is sent: a
        momentum move changes nothing on the batch-size tab, gradient accumulation nothing
        on the optimizers tab); records them otherwise."""
        s = self.state
        settings = (s["start"], s["learning_rate"], s["batch_size"], s["epochs"], s["seed"],
                    *settings)
        if self._drawn[tab] == settings:
            return True
        self._drawn[tab] = settings
        return False

    def _draw_start(self, canvas):
        start = self.state["start"]
        canvas.panels["surface"].points("start", [start[0]], [start[1]], **START)

    def _draw_batch_view(self, s):
        acc = s["accumulation"]
        if self._unchanged(0, acc and acc["accumulation_steps"]):
            return
        canvas = self.canvas_list[0]
        surface, loss = canvas.panels["surface"], canvas.panels["loss"]
        self._draw_start(canvas)
        self._fit_loss_axes(loss, s["losses"], float(s["epochs"]))
        for key, path in s["paths"].items():
            style = path_style(BATCH_PATHS[key])
            surface.line(f"path_{key}", *self._with_start(path), **style)
            epochs = np.arange(len(path) + 1) * (s["epochs"] / len(path))
            loss.line(f"loss_{key}", epochs, self._curve(s["losses"][key]), **style)
        if acc is None:
            surface.line("large_batch", [], [], **LARGE_BATCH)
            surface.line("accumulated", [], [], **ACCUMULATED)
            notes = []
        else:
            surface.line("large_batch", *self._with_start(acc["large_path"]), **LARGE_BATCH)
            surface.line("accumulated", *self._with_start(acc["path"]), **ACCUMULATED)
            notes = [f"yellow band: batches of {acc['large_batch_size']}",
                     f"dashed: batches of {acc['batch_size']}, {acc['accumulation_steps']} "
                     "summed per update",
                     f"largest distance between them: {acc['max_distance']:.1e}"]
        self._note(surface, "accumulation_note", notes, corner="bottom left")
        steps = ["update steps"] + [f"{BATCH_PATHS[key][0]}: {len(path)}"
                                    for key, path in s["paths"].items()]
        self._note(loss, "steps", steps, corner="top right")
        loss.line("minimum_loss", [0.0, float(s["epochs"])], [self._minimum[2]] * 2,
                  **MINIMUM_LOSS)

    def _draw_race_view(self, s):
        if self._unchanged(1, s["momentum"]):
            return
        canvas = self.canvas_list[1]
        surface, loss = canvas.panels["surface"], canvas.panels["loss"]
        self._draw_start(canvas)
        steps = max(len(path) for path in s["race_paths"].values())
        self._fit_loss_axes(loss, s["race_losses"], float(steps))
        for key, path in s["race_paths"].items():
            style = path_style(RACE_PATHS[key])
            surface.line(f"path_{key}", *self._with_start(path), **style)
            loss.line(f"loss_{key}", np.arange(len(path) + 1), self._curve(s["race_losses"][key]),
                      **style)
        counts = {len(path) for path in s["race_paths"].values()}
        self._note(loss, "steps", [f"update steps: {counts.pop()} each"] if len(counts) == 1
                   else [], corner="top right")
        loss.line("minimum_loss", [0.0, float(steps)], [self._minimum[2]] * 2, **MINIMUM_LOSS)
        title = (f"{len(s['race_paths'])} optimizers, batches of {s['batch_size']}, "
                 f"learning rate {s['learning_rate']:.3g}")
        if surface.spec["title"] != title:
            surface.set(title=title)

    @staticmethod
    def _note(panel, name, lines, corner):
        """Lines of text boxed in white in a corner of a panel ("top right", "bottom left"),
        placed in the panel's data coordinates from its limits and size in pixels."""
        spec = panel.spec
        (x0, x1), (y0, y1) = spec["xlim"], spec["ylim"]
        per_px_x, per_px_y = (x1 - x0) / spec["width"], (y1 - y0) / spec["height"]
        vertical, horizontal = corner.split()
        if horizontal == "right":
            x = x1 - 6 * per_px_x
        else:
            x = x0 + 6 * per_px_x
        if vertical == "top":
            ys = [y1 - (6 + LINE_HEIGHT * i) * per_px_y for i in range(len(lines))]
        else:
            ys = [y0 + (6 + LINE_HEIGHT * (len(lines) - 1 - i)) * per_px_y
                  for i in range(len(lines))]
        panel.texts(name, [x] * len(lines), ys, lines, color=TEXT, size=NOTE_SIZE,
                    align=horizontal, baseline=vertical, background=WHITE)

    def _fit_loss_axes(self, panel, losses, last):
        """A loss panel's x from 0 to the last step, y from 0 to a round number above every
        loss; ticks follow."""
        values = np.array([self.state["start_loss"], *(v for curve in losses.values()
                                                       for v in curve)])
        finite = values[np.isfinite(values)]
        top = round_up(float(finite.max()) if finite.size else 1.0)
        if panel.spec["xlim"] != [0.0, last] or panel.spec["ylim"] != [0.0, top]:
            panel.set(xlim=(0.0, last), ylim=(0.0, top), xticks=None, yticks=None)

    def _curve(self, losses):
        """A loss curve, from the start's loss: a point after every update step."""
        y = np.empty(len(losses) + 1)
        y[0], y[1:] = self.state["start_loss"], losses
        return y

    def _with_start(self, path):
        """The w and b coordinates of a path, beginning at the start point (two arrays)."""
        points = np.empty((len(path) + 1, 2))
        points[0] = self.state["start"]
        if len(path):
            points[1:] = path
        return points[:, 0], points[:, 1]
