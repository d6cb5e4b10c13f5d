"""The visual language shared by every widget: one colour, one meaning.

As in the TensorFlow Playground, orange means negative and blue means positive, for weights,
outputs and classes alike (class 0 is orange, class 1 is blue); white is zero. A third class is
green. Wrong answers are marked with a red ring, the current sample with a black one.
"""

import matplotlib.colors as mcolors
import numpy as np

NEGATIVE = "#f59322"        # orange: negative weights and outputs, class 0
POSITIVE = "#0877bd"        # blue: positive weights and outputs, class 1
THIRD = "#2ca25f"           # green: class 2 (three-class problems)
NEUTRAL = "#e8eaeb"         # near-white: zero
WRONG = "#d62728"           # red ring: a misclassified point / a wrong truth-table row
CURRENT = "#000000"         # black ring: the sample being processed
CLASS_COLORS = [NEGATIVE, POSITIVE, THIRD]

#: Diverging colour map: orange (-1) -> white (0) -> blue (+1). Use with vmin=-1, vmax=1, or
#: with the `norm_for` helper below for outputs in [0, 1].
CMAP = mcolors.LinearSegmentedColormap.from_list("nnlab", [NEGATIVE, "#ffffff", POSITIVE])
#: CMAP as a table of 256 RGBA bytes. Colouring an image through it costs less, on every redraw,
#: than letting matplotlib colour-map a float image.
CMAP_BYTES = CMAP(np.linspace(0.0, 1.0, 256), bytes=True)
#: Three classes: each cell coloured by the most probable class.
CLASS_CMAP = mcolors.ListedColormap(CLASS_COLORS)


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


def to_bytes(rgba):
    """Float RGBA colours in [0, 1] -> 8-bit RGBA (the image format matplotlib draws fastest)."""
    return (np.asarray(rgba, dtype=np.float64) * 255.0 + 0.5).astype(np.uint8)


def lighten(rgba, amount):
    """Mix float RGBA colours with white: amount 1 keeps them, 0 makes them white."""
    out = np.array(rgba, dtype=np.float64)
    out[..., :3] = 1.0 - amount * (1.0 - out[..., :3])
    return out
