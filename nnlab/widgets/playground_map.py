"""The playground's decision map and loss chart: two views of a PlaygroundSession, drawn as
panels of the playground's `Canvas` (canvas.py).

DecisionMap: the output over the plane as a pale heat map (orange below the threshold, blue
above, white where the network is unsure), with the training points filled and the test points
hollow on top; classes differ by marker shape as well as by colour.
LossChart: training (dashed, grey) and test (solid, black) loss per epoch, with axes, ticks and
a key above it.

The kernel sends the numbers (the outputs over a GRID x GRID grid, the points, the losses); the
browser colours them through a palette.
"""

import numpy as np

from ..playground import EXTENT
from . import style
from .palettes import FADES, class_fades

__all__ = ["DecisionMap", "LossChart", "GRID", "map_image"]

GRID = 60             # the heat map is GRID x GRID cells
LIGHTEN = 0.65        # the heat map is paler than the points drawn on it
TRAIN_LINE, TEST_LINE = "#595959", "#000000"    # 7:1 and 21:1 on white
TICKS = (-6, -3, 0, 3, 6)

def map_image(output, n_classes, discretize=False):
    """What the map shows for the network's output over the grid (r, r, n_outputs): the
    arguments of `Panel.image`, (values (r, r), low, high, palette).

    Two classes: the probability of class 1, white at the threshold 0.5; regression: the
    output clipped to [-1, 1], white at 0; both on the diverging palette, whose ends lie
    beyond the values' range so that the strongest colour is paler than the points' (a colour
    mixed LIGHTEN of the way from white). Three classes: the likeliest class's colour, faded
    towards white as the network gets less sure (FADES entries). `discretize`: every cell at
    full strength.

    >>> values, low, high, palette = map_image(np.array([[[0.2], [0.9]]]), 2)
    >>> values.tolist(), palette, round(high - low, 3)
    ([[0.2, 0.9]], 'diverging', 1.538)
    """
    out = np.asarray(output, dtype=float)
    if n_classes == 3:
        best = out.argmax(axis=2)
        sure = np.ones(best.shape) if discretize else (out.max(axis=2) - 1 / 3) / (2 / 3)
        return class_fades(best, LIGHTEN * sure), 0.0, 255.0, FADES
    middle = 0.5 if n_classes == 2 else 0.0
    half = 0.5 if n_classes == 2 else 1.0
    values = np.clip(out[:, :, 0], middle - half, middle + half)   # a regression's beyond +-1
    if discretize:
        values = np.where(values >= middle, middle + half, middle - half)
    return values, middle - half / LIGHTEN, middle + half / LIGHTEN, "diverging"


def _hex(rgba):
    return "#" + "".join(f"{int(v):02x}" for v in rgba[:3])


class DecisionMap:
    """The output over the plane with the points on top, in the canvas panel `panel`."""

    def __init__(self, panel):
        self.panel = panel
        panel.set(xlim=(-EXTENT, EXTENT), ylim=(-EXTENT, EXTENT), xlabel="x1", ylabel="x2",
                  xticks=TICKS, yticks=TICKS)
        # the drawing order: the map, then the training points, then the test points
        panel.image("output", np.zeros((GRID, GRID)), low=-1.0, high=1.0)
        panel.points("train", [], [])
        panel.points("test", [], [])

    @staticmethod
    def point_style(y, n_classes):
        """(fill colours, shapes) of points with labels or targets `y`: class colour and shape,
        or for a regression the target's colour on the diverging palette (circles)."""
        if n_classes is not None:
            labels = np.asarray(y, dtype=int)
            return ([style.CLASS_COLORS[k] for k in labels],
                    [style.CLASS_MARKERS[k] for k in labels])
        index = np.rint((np.clip(y, -1.0, 1.0) + 1.0) * 127.5).astype(int)
        return [_hex(style.CMAP_BYTES[i]) for i in index], "o"

    def draw(self, session, output, discretize, show_test):
        values, low, high, palette = map_image(output, session.n_classes, discretize)
        self.panel.image("output", values, low=low, high=high, palette=palette)
        fill, shape = self.point_style(session.y_train, session.n_classes)
        self.panel.points("train", session.X_train[:, 0], session.X_train[:, 1], fill=fill,
                          shape=shape, size=7, edge=style.EDGE)
        X, y = (session.X_test, session.y_test) if show_test else (np.zeros((0, 2)), [])
        colour, shape = self.point_style(y, session.n_classes)
        # hollow: the class colour is the outline, the map shows through
        self.panel.points("test", X[:, 0], X[:, 1], fill="transparent", shape=shape, size=7,
                          edge=colour, width=1.8)


class LossChart:
    """Training and test loss per epoch in the canvas panel `panel`, with a key (lines and
    texts) in the frameless panel `key` above it."""

    def __init__(self, panel, key):
        self.panel = panel
        panel.set(xlabel="epoch", ylabel="loss")
        key.set(xlim=(0.0, 1.0), ylim=(0.0, 1.0), frame=False, xticks=[], yticks=[])
        key.line("training sample", [0.0, 0.1], [0.5, 0.5], color=TRAIN_LINE, width=1.5,
                 dash="dashed")
        key.text("training", 0.12, 0.5, "training loss", align="left", size=11)
        key.line("test sample", [0.5, 0.6], [0.5, 0.5], color=TEST_LINE, width=1.5)
        key.text("test", 0.62, 0.5, "test loss", align="left", size=11)

    #: at most about this many points per curve reach the browser (the chart is 320 px wide)
    MOST = 600

    def draw(self, history):
        epochs = np.asarray(history["epoch"], dtype=float)
        train = np.asarray(history["loss"], dtype=float)
        test = np.asarray(history["test_loss"], dtype=float)
        if len(epochs) > self.MOST:          # every k-th epoch, and the last one: a long run
            keep = np.unique(np.r_[np.arange(0, len(epochs), -(-len(epochs) // self.MOST)),
                                   len(epochs) - 1])
            epochs, train, test = epochs[keep], train[keep], test[keep]
        # at epoch 0 a single point each: show it as a marker, so the chart is never empty
        marker = "o" if len(epochs) == 1 else ""
        self.panel.line("training loss", epochs, train, color=TRAIN_LINE, width=1.5,
                        dash="dashed", marker=marker, size=5)
        self.panel.line("test loss", epochs, test, color=TEST_LINE, width=1.5, marker=marker,
                        size=5)
        top = max(np.nanmax(train), np.nanmax(test))
        self.panel.set(xlim=(0, max(epochs[-1], 10)), xticks=None, yticks=None,
                       ylim=(0, 1.1 * top if np.isfinite(top) and top > 0 else 1.0))
