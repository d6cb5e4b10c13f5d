"""The visual language shared by every widget: one colour, one meaning, and never colour alone.

As in the TensorFlow Playground, orange means negative and blue means positive, for weights,
outputs and classes alike (class 0 is orange, class 1 is blue); white is zero. A third class is
green. Wrong answers are marked with a red ring, the current sample with a black one.

The colours are the Okabe-Ito palette's orange, blue and bluish green, which stay apart under
every common colour-vision deficiency. Colour never carries a meaning alone: classes also differ
by marker shape (`CLASS_MARKERS`), and lines by dash and marker (`LINE_STYLES`).
Text is drawn in `TEXT` or `TEXT_MUTED`, both at least 4.5:1 on white (`contrast_ratio`).
"""

import matplotlib.colors as mcolors
import numpy as np

NEGATIVE = "#e69f00"        # orange: negative weights and outputs, class 0
POSITIVE = "#0072b2"        # blue: positive weights and outputs, class 1 (5.2:1 on white)
THIRD = "#009e73"           # bluish green: class 2 (three-class problems)
NEUTRAL = "#e8eaeb"         # near-white: zero
WRONG = "#b2182b"           # dark red ring: a misclassified point / a wrong row (6.9:1)
RIGHT = "#117733"           # dark green text: a right row (5.7:1)
CURRENT = "#000000"         # black ring: the sample being processed
EDGE = "#222222"            # the outline of every class marker: a shape visible on any colour
TEXT = "#222222"            # text (15.9:1 on white)
TEXT_MUTED = "#595959"      # secondary text, never lighter (7.0:1 on white)
CLASS_COLORS = [NEGATIVE, POSITIVE, THIRD]
#: Marker shape per class (the Canvas's marker names, as matplotlib's): class 0 a circle, 1 a
#: square, 2 a triangle.
CLASS_MARKERS = ["o", "s", "^"]
#: The shape's name per class, for text ("orange circles").
CLASS_SHAPES = ["circles", "squares", "triangles"]
CLASS_COLOR_NAMES = ["orange", "blue", "green"]
#: Lines that must be told apart: (colour, dash, marker) each, distinct in greyscale too.
LINE_STYLES = [("#444444", "-", "o"), ("#882255", "--", "v"), ("#117733", "-.", "s"),
               ("#332288", ":", "D")]

#: Diverging colour map: orange (-1) -> white (0) -> blue (+1). Use with vmin=-1, vmax=1, or with
#: `output_range` below for outputs in [0, 1].
CMAP = mcolors.LinearSegmentedColormap.from_list("nnlab", [NEGATIVE, "#ffffff", POSITIVE])
#: CMAP as a table of 256 RGBA bytes: the Canvas's "diverging" palette (canvas.PALETTES), which
#: the browser looks up for every cell of a heat map; the lessons' static figures use CMAP.
CMAP_BYTES = CMAP(np.linspace(0.0, 1.0, 256), bytes=True)


def sign_color(value):
    """Orange for a negative value, blue for a positive one (zero counts as positive)."""
    return NEGATIVE if value < 0 else POSITIVE


def output_range(activation_name):
    """The (vmin, vmax) over which outputs of an activation are coloured, centred on its midpoint
    so that orange and blue always mean 'below' and 'above' the decision threshold."""
    if activation_name in ("sigmoid", "step", "softmax"):
        return 0.0, 1.0
    return -1.0, 1.0


def diverging_rgba(values, low=-1.0, high=1.0, table=CMAP_BYTES):
    """RGBA bytes, shape values.shape + (4,), of `values` on CMAP: `low` orange, the middle
    white, `high` blue; values outside [low, high] are clipped. `table` may be a paler copy."""
    index = np.rint((np.clip(values, low, high) - low) * (255.0 / (high - low)))
    return table[index.astype(np.intp)]


def class_name(label):
    """'class 0 (orange circles)' etc.: how a describe() text names a class."""
    label = int(label)
    return f"class {label} ({CLASS_COLOR_NAMES[label]} {CLASS_SHAPES[label]})"


def _luminance(color):
    rgb = np.asarray(mcolors.to_rgb(color))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(foreground, background="white"):
    """WCAG 2.1 contrast ratio of two colours, from 1 (same) to 21 (black on white).

    >>> round(contrast_ratio("black", "white"), 1)
    21.0
    """
    high, low = sorted([_luminance(foreground), _luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)
