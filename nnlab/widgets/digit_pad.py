"""DigitPad: draw a digit on an 8x8 pad and watch a network's ten class probabilities.

The pad is the image exactly as the network receives it: 8x8 squares of ink from 0 (white) to 16
(black), the pixel values of the digits data set. Drag over it with the mouse or a finger to
paint (the **pen** inks a square fully; the **soft pen** also greys its four neighbours, like
the soft edges of the data set's strokes; the **eraser**, or the right mouse button, wipes).
With the keyboard: Tab to the pad, move its cursor square with the arrow keys, and press Space
or Enter to add ink (0 -> 8 -> 16 -> 0), Delete or Backspace to erase; Tab leaves the pad.
Beside it, bars show the probability of each digit. A trained model predicts; the widget never
changes it.
"""

import ipywidgets as ipw
import numpy as np

from . import style
from .base import Widget
from .canvas import Canvas

LEVELS = (0.0, 8.0, 16.0)       # one press moves a square to the next level
SIDE = 8
INK = 16.0
SOFT = 6.0                      # the soft pen's ink on the four neighbours of a square
BRUSHES = ("pen", "soft pen", "eraser")
BAR = "#8c8c8c"                 # the bars of the other digits (3.3:1 on white)
GRID = "#b0b0b0"
KEY_HELP = ("Drawing pad of 8 by 8 squares. Arrow keys move the cursor square; Space or Enter "
            "adds ink to it (white, grey, black, then white again); Delete or Backspace "
            "erases it. Tab leaves the pad.")


class DigitPad(Widget):
    """An 8x8 drawing pad wired to a digit classifier.

    Parameters
    ----------
    model : MLP
        A trained network with 64 inputs and a softmax over 10 outputs.
    transform : callable or None
        Applied to the (1, 64) pixel array (values 0..16) before `model.predict`; the default
        divides by 16, the scaling lesson 13 trains with.
    examples : (m, 64) array or None
        Digits the **example** slider can load onto the pad (e.g. the test set).
    labels : (m,) array or None
        The true digit of each example: shown beside the network's answer while a loaded
        example is on the pad (painting on it makes it your own drawing again).

    Attributes
    ----------
    canvas : Canvas
        Panel "pad" (x = column, y = 8 - row: square (row, col) covers x in [col, col + 1]
        and y in [7 - row, 8 - row]) and panel "bars" (x = digit, y = probability).
    cursor : (row, col)
        The square the keyboard acts on.

    Examples
    --------
    >>> from nnlab import MLP
    >>> net = MLP([64, 10], output_activation="softmax", seed=0).compile(
    ...     loss="categorical_crossentropy")
    >>> pad = DigitPad(net)
    >>> pad.press(3, 4); float(pad.state["pixels"][3, 4])
    8.0
    >>> pad.paint([(0, 0), (0, 1)]); pad.state["pixels"][0, :3].tolist()
    [16.0, 16.0, 0.0]
    >>> round(sum(pad.state["probabilities"]), 6)
    1.0
    >>> pad = DigitPad(net, examples=np.eye(2, 64) * 16, labels=[7, 1])
    >>> pad.state["example"], pad.state["true_label"]
    (None, None)
    >>> pad.load_example(); pad.state["example"], pad.state["true_label"]
    (0, 7)
    """

    figure_label = "digit pad: the drawn image and the ten digit probabilities"

    def __init__(self, model, transform=None, examples=None, labels=None):
        super().__init__()
        n_in = getattr(model, "n_inputs", None)
        if n_in != SIDE * SIDE:
            raise ValueError(f"model must take 64 inputs (8x8 pixels), but it takes {n_in}")
        self.model = model
        self.transform = transform if transform is not None else (lambda X: X / 16.0)
        self.examples = None if examples is None else np.asarray(examples, dtype=float)
        if self.examples is not None and (self.examples.ndim != 2
                                          or self.examples.shape[1] != SIDE * SIDE):
            raise ValueError(f"examples must have shape (m, 64), but got {self.examples.shape}")
        self.labels = None
        if labels is not None:
            if self.examples is None:
                raise ValueError("labels name the true digit of each example: give examples too")
            self.labels = np.asarray(labels).ravel()
            if len(self.labels) != len(self.examples) or not np.all(
                    np.isin(self.labels, np.arange(10))):
                raise ValueError(f"labels must hold one digit 0-9 per example "
                                 f"({len(self.examples)}), but got {np.asarray(labels)!r}"[:300])
        self.example = None             # the index of the example on the pad, if untouched
        self.pixels = np.zeros((SIDE, SIDE))
        self.cursor = (3, 3)
        self._last = None               # where the pointer was: a drag paints the squares between
        self.controls = {
            "brush": ipw.ToggleButtons(options=list(BRUSHES), value="pen", description="brush",
                                       tooltips=["ink a square fully",
                                                 "ink a square and grey its neighbours",
                                                 "wipe squares (or drag with the right button)"],
                                       layout=ipw.Layout(display="flex", align_items="center")),
            "clear": ipw.Button(description="clear", tooltip="make every square white"),
            "readout": ipw.HTML(),
        }
        self.controls["clear"].on_click(lambda _: self.clear())
        if self.examples is not None:
            self.controls["example"] = ipw.IntSlider(
                value=0, min=0, max=len(self.examples) - 1, description="example digit",
                style={"description_width": "initial"}, continuous_update=False)
            self.controls["load"] = ipw.Button(description="load example",
                                               tooltip="copy the chosen example onto the pad")
            self.controls["load"].on_click(lambda _: self.load_example())
            self.controls["example"].observe(lambda _: self.load_example(), names="value")
        self._build_canvas()
        self.update()

    # ---------------------------------------------------------------- drawing on the pad
    def press(self, row, col):
        """One press on a square: its ink goes to the next level (0 -> 8 -> 16 -> 0)."""
        with self.lock:
            current = LEVELS.index(self.pixels[row, col]) if self.pixels[row, col] in LEVELS else 0
            self.pixels[row, col] = LEVELS[(current + 1) % len(LEVELS)]
            self.example = None                        # your own drawing now
            self.update()

    def paint(self, squares, brush=None):
        """Paint the squares [(row, col), ...] with `brush` (default: the brush control's):
        'pen' sets them to 16, 'soft pen' also raises their four neighbours to at least 6,
        'eraser' sets them to 0. Redraws only if a pixel changed."""
        brush = self.controls["brush"].value if brush is None else brush
        if brush not in BRUSHES:
            raise ValueError(f"brush must be one of {BRUSHES}, but got {brush!r}")
        with self.lock:
            before = self.pixels.copy()
            for row, col in squares:
                if brush == "eraser":
                    self.pixels[row, col] = 0.0
                    continue
                if brush == "soft pen":
                    for r, c in ((row - 1, col), (row + 1, col), (row, col - 1), (row, col + 1)):
                        if 0 <= r < SIDE and 0 <= c < SIDE:
                            self.pixels[r, c] = max(self.pixels[r, c], SOFT)
                self.pixels[row, col] = INK
            if not np.array_equal(before, self.pixels):
                self.example = None
                self.update()

    def set_pixels(self, image):
        """Put an image on the pad: 64 values (or 8x8) from 0 to 16."""
        image = np.asarray(image, dtype=float)
        if image.size != SIDE * SIDE:
            raise ValueError(f"image must have 64 pixels (8x8), but got shape {image.shape}")
        if image.min() < 0 or image.max() > 16:
            raise ValueError("image pixels must lie between 0 and 16, but got values from "
                             f"{image.min():g} to {image.max():g}")
        self.pixels = image.reshape(SIDE, SIDE).copy()
        self.example = None
        self.update()

    def clear(self):
        self.pixels = np.zeros((SIDE, SIDE))
        self.example = None
        self.update()

    def load_example(self):
        """Copy the example chosen with the slider onto the pad."""
        index = self.controls["example"].value
        image = self.examples[index]
        self.example = None
        with self.hold():
            self.set_pixels(image)
        self.example = index
        self.update()

    # ---------------------------------------------------------------- pointer and keys
    @staticmethod
    def square_at(x, y):
        """The (row, col) of the square under pad coordinates (x, y).

        >>> DigitPad.square_at(0.2, 7.9), DigitPad.square_at(7.5, 0.1), DigitPad.square_at(8, 8)
        ((0, 0), (7, 7), (0, 7))
        """
        col = min(max(int(np.floor(x)), 0), SIDE - 1)
        row = min(max(SIDE - 1 - int(np.floor(y)), 0), SIDE - 1)
        return row, col

    def _pointer(self, event):
        """A press or drag on the pad paints every square from the last position to this one
        (the browser sends at most one move per frame: a fast stroke leaves no gaps)."""
        if event.get("panel") != "pad" or event.get("x") is None or event.get("y") is None:
            return
        with self.lock:                 # events arrive on the kernel's widget thread
            self._stroke(event)

    def _stroke(self, event):
        if event["kind"] == "up":
            self._last = None
            return
        x, y = float(event["x"]), float(event["y"])
        start = self._last if event["kind"] == "move" and self._last is not None else (x, y)
        self._last = (x, y)
        steps = int(np.ceil(4 * max(abs(x - start[0]), abs(y - start[1])))) + 1
        squares = []
        for t in np.linspace(0.0, 1.0, steps):
            square = self.square_at(start[0] + t * (x - start[0]), start[1] + t * (y - start[1]))
            if square not in squares:
                squares.append(square)
        erase = int(event.get("buttons") or 0) & 2         # the right button erases
        self.paint(squares, "eraser" if erase else None)

    def _key(self, key):
        with self.lock:
            self._on_key(key)

    def _on_key(self, key):
        moves = {"ArrowUp": (-1, 0), "ArrowDown": (1, 0), "ArrowLeft": (0, -1),
                 "ArrowRight": (0, 1)}
        row, col = self.cursor
        if key in moves:
            dr, dc = moves[key]
            self.cursor = (min(max(row + dr, 0), SIDE - 1), min(max(col + dc, 0), SIDE - 1))
            self.update()
        elif key in (" ", "Enter"):
            self.press(row, col)
        elif key in ("Delete", "Backspace"):
            self.paint([(row, col)], "eraser")

    # ---------------------------------------------------------------- compute and draw
    def compute(self):
        X = self.pixels.reshape(1, -1)
        probabilities = np.asarray(self.model.predict(self.transform(X)), dtype=float)[0]
        order = np.argsort(-probabilities)
        self.state = {
            "pixels": self.pixels.copy(),
            "ink": float(self.pixels.sum()),
            "probabilities": probabilities.tolist(),
            "prediction": int(order[0]),
            "confidence": float(probabilities[order[0]]),
            "runner_up": int(order[1]),
            "runner_up_probability": float(probabilities[order[1]]),
            "example": self.example,
            "true_label": (None if self.example is None or self.labels is None
                           else int(self.labels[self.example])),
            "cursor": self.cursor,
        }

    def _build_canvas(self):
        self.canvas = Canvas(width=640, height=296, label=self.figure_label, focusable=True,
                             key_help=KEY_HELP)
        self.canvas.panel("pad", left=16, top=26, width=256, height=256,
                                xlim=(0, SIDE), ylim=(0, SIDE), xticks=[], yticks=[],
                                title="your digit, as the network sees it")
        lines = np.arange(1, SIDE, dtype=float)                 # 7 vertical, 7 horizontal
        zeros, ends = np.zeros(SIDE - 1), np.full(SIDE - 1, float(SIDE))
        self._grid = (np.r_[lines, zeros], np.r_[zeros, lines], np.r_[lines, ends],
                      np.r_[ends, lines])
        self.canvas.panel("bars", left=360, top=26, width=264, height=226, xlim=(-0.6, 9.6),
                          ylim=(0, 1.08), xticks=list(range(10)), yticks=[0, 0.25, 0.5, 0.75, 1],
                          xlabel="digit", ylabel="probability")
        self.canvas.on_pointer(self._pointer)
        self.canvas.on_key(self._key)

    def draw(self):
        s = self.state
        pad, bars = self.canvas.panels["pad"], self.canvas.panels["bars"]
        pad.image("ink", s["pixels"][::-1], low=0.0, high=INK, palette="grey")   # row 0 on top
        pad.segments("grid", *self._grid, color=GRID, width=1)
        row, col = s["cursor"]
        pad.rects("cursor", [col + 0.06], [SIDE - row - 0.94], [col + 0.94], [SIDE - row - 0.06],
                  fill=None, edge=style.CURRENT, width=3)
        pad.rects("cursor_inner", [col + 0.16], [SIDE - row - 0.84], [col + 0.84],
                  [SIDE - row - 0.16], fill=None, edge="#ffffff", width=1.5)
        if s["ink"] == 0:
            pad.texts("hint", [4, 4], [1.35, 0.65], ["drag here to draw a digit",
                                                     "(keyboard: arrows, Space)"],
                      color=style.TEXT_MUTED, size=13, background="#ffffff")
        else:
            pad.remove("hint")
        digits = np.arange(10)
        p = np.asarray(s["probabilities"])
        bars.rects("probabilities", digits - 0.4, np.zeros(10), digits + 0.4, p,
                   fill=[style.POSITIVE if d == s["prediction"] else BAR for d in digits])
        bars.text("answer", s["prediction"], p[s["prediction"]] + 0.01,
                  f"{s['confidence']:.2f}", baseline="bottom", weight="bold", size=12)
        says = f"the network says {s['prediction']} ({s['confidence']:.0%})"
        if s["true_label"] is not None:
            says = f"true label {s['true_label']}; " + says
        bars.set(title=says)
        truth = ""
        if s["example"] is not None:
            truth = f"example {s['example']}" + (
                "" if s["true_label"] is None else f", true label <b>{s['true_label']}</b>") + ": "
        self.controls["readout"].value = (f"<p>{truth}the network says <b>{s['prediction']}</b> "
                                          f"with probability {s['confidence']:.2f}</p>")

    def describe(self):
        """What the pad and the figure show now, in words."""
        s = self.state
        if s["ink"] == 0:
            drawn = "The pad is empty."
        else:
            rows = np.flatnonzero(s["pixels"].sum(axis=1))
            cols = np.flatnonzero(s["pixels"].sum(axis=0))
            drawn = (f"{int(np.count_nonzero(s['pixels']))} of 64 squares are inked, in rows "
                     f"{rows[0] + 1} to {rows[-1] + 1} and columns {cols[0] + 1} to "
                     f"{cols[-1] + 1}.")
        if s["example"] is not None:
            drawn = f"Example {s['example']} is on the pad" + (
                "" if s["true_label"] is None else f"; its true label is {s['true_label']}") + \
                ". " + drawn
        row, col = s["cursor"]
        return (f"{drawn} The network says {s['prediction']} with probability "
                f"{s['confidence']:.2f}; next comes {s['runner_up']} with "
                f"{s['runner_up_probability']:.2f}. The keyboard cursor is on row {row + 1}, "
                f"column {col + 1} (ink {s['pixels'][row, col]:g}).")

    def layout(self):
        c = self.controls
        tools = [c["brush"], c["clear"]] + ([c["example"], c["load"]] if "example" in c else [])
        return ipw.VBox([ipw.HBox(tools, layout=ipw.Layout(flex_flow="row wrap")),
                         self.figure_widget(), c["readout"]])
