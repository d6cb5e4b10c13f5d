"""The PerceptronTrainer's picture, drawn in the browser (a `Canvas`) from the trainer's state.

On the left the data (class 0 orange circles, class 1 blue squares) on a background shaded by
the class the perceptron predicts (pale blue: class 1), the line w1 x1 + w2 x2 + b = 0 in
black, a red ring round every point the line gets wrong and a black ring round the sample just
shown; on the right the mistakes per epoch; above both, where training is. The trainer
(perceptron_trainer.py) steps the perceptron and fills its state; this module only draws it.

>>> import numpy as np
>>> figure = PerceptronFigure("a perceptron")
>>> X, y = np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1])
>>> figure.show_data("two points", X, y, (-0.5, 1.5), (-0.5, 1.5))
>>> state = {"boundary": ([-0.5, 1.5], [1.5, -0.5]), "misclassified": [0], "current": 1,
...          "mistakes_per_epoch": [1, 0], "converged": True, "epoch": 2, "position": 0}
>>> figure.draw(state, region=np.ones((60, 60)))
>>> figure.canvas.layers("data")
['region', 'samples', 'boundary', 'wrong', 'current']
>>> figure.canvas.layer("header", "progress")["text"]
['epoch 2, sample 0/2: converged']
"""

import numpy as np

from . import style
from .canvas import Canvas

__all__ = ["PerceptronFigure"]

#: How far from white the background's shades are: +-0.3 on the diverging palette (-1 to 1) is
#: pale blue where the perceptron says class 1, pale orange where it says class 0.
SHADE = 0.3
CLEAR = "rgba(0, 0, 0, 0)"          # the fill of a ring: only its outline is drawn
WIDTH = 800                         # CSS px: the figure fits a lesson's width at 1366 x 768


def counts(limits):
    """Whole-number ticks (mistakes, epochs) inside `limits`, at most about six.

    >>> counts((0.5, 10.5)), counts((-0.5, 4.5)), counts((-0.5, 37.5))
    ([2, 4, 6, 8, 10], [0, 1, 2, 3, 4], [0, 10, 20, 30])
    """
    low, high = limits
    step = next(s * 10 ** k for k in range(8) for s in (1, 2, 5)
                if (high - low) / (s * 10 ** k) <= 6)
    return list(range(int(np.ceil(low / step)) * step, int(high) + 1, step))


class PerceptronFigure:
    """Three panels of one Canvas: "header" (the progress line), "data" and "mistakes".

    Parameters
    ----------
    label : str
        The picture's accessible name.

    Attributes
    ----------
    canvas : Canvas
    point_size : float
        The samples' marker size in CSS px (larger for the four points of a logic gate); the
        red rings are 8 px wider, the black ring 16 px.
    """

    def __init__(self, label):
        self.canvas = Canvas(width=WIDTH, height=350, label=label)
        with self.canvas.frame():
            self.header = self.canvas.panel("header", left=0, top=0, width=WIDTH, height=26,
                                            frame=False, xticks=[], yticks=[])
            self.plane = self.canvas.panel("data", left=55, top=52, width=260, height=260,
                                           xlabel="x1", ylabel="x2")
            self.mistakes = self.canvas.panel(
                "mistakes", left=405, top=52, width=380, height=260, xlabel="epoch",
                title="mistakes per epoch", xlim=(0.5, 10.5), ylim=(-0.5, 4.5),
                xticks=counts((0.5, 10.5)), yticks=counts((-0.5, 4.5)))
        self.X = np.empty((0, 2))
        self.y = np.empty(0, dtype=int)
        self.point_size = 8
        self._extent = None

    def show_data(self, name, X, y, xlim, ylim, grid=60):
        """New data: its box (xlim x ylim, the box a `grid` x `grid` region map spans), title
        and points. The points are drawn by the next `draw`."""
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
        self.plane.set(xlim=xlim, ylim=ylim, title=name, xticks=None, yticks=None)
        # the map's cells are centred on the grid's points, which span the box
        half = [(high - low) / (grid - 1) / 2 for low, high in (xlim, ylim)]
        self._extent = (xlim[0] - half[0], xlim[1] + half[0],
                        ylim[0] - half[1], ylim[1] + half[1])
        self.point_size = 8 if len(self.X) > 10 else 14

    def draw(self, state, region):
        """Draw the trainer's `state` (see PerceptronTrainer) and `region`, the class (0 or 1)
        predicted at each point of the grid, shape (grid, grid), row 0 at the bottom."""
        s, plane, size, X = state, self.plane, self.point_size, self.X
        plane.image("region", SHADE * (2.0 * np.asarray(region) - 1.0), low=-1.0, high=1.0,
                    extent=self._extent)
        plane.points("samples", X[:, 0], X[:, 1], classes=self.y, size=size)
        plane.line("boundary", *s["boundary"], color=style.CURRENT, width=2)
        wrong = X[s["misclassified"]].reshape(-1, 2)
        plane.points("wrong", wrong[:, 0], wrong[:, 1], fill=CLEAR, edge=style.WRONG,
                     size=size + 8, width=2)
        current = X[[s["current"]]] if s["current"] is not None else np.empty((0, 2))
        plane.points("current", current[:, 0], current[:, 1], fill=CLEAR, edge=style.CURRENT,
                     size=size + 16, width=2.5)

        m = s["mistakes_per_epoch"]
        xlim, ylim = (0.5, max(10, len(m)) + 0.5), (-0.5, max([4, *m]) + 0.5)
        if [*xlim] != self.mistakes.spec["xlim"] or [*ylim] != self.mistakes.spec["ylim"]:
            self.mistakes.set(xlim=xlim, ylim=ylim, xticks=counts(xlim), yticks=counts(ylim))
        self.mistakes.line("mistakes", np.arange(1, len(m) + 1), m, color=style.WRONG,
                           marker="o", size=5)

        status = "converged" if s["converged"] else f"{len(s['misclassified'])} wrong now"
        self.header.text("progress", 0.5, 0.5,
                         f"epoch {s['epoch']}, sample {s['position']}/{len(X)}: {status}",
                         size=13)
