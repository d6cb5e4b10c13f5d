"""The decision line of a neuron with two inputs: where w1 x1 + w2 x2 + b equals a level.

A neuron (or perceptron) with two inputs answers one thing on one side of a straight line in
the input plane and the other thing on the other side. These functions find that line inside
the box a figure shows; the widgets only draw what they return.
"""

import numpy as np

__all__ = ["boundary_line", "visible_segment"]


def boundary_line(weights, bias, xlim, ylim, level=0.0):
    """Two points of the straight line w1 x1 + w2 x2 + b = level, spanning the box xlim x ylim.

    Parameters
    ----------
    weights : pair of floats (w1, w2)
    bias : float
    xlim, ylim : pairs of floats, the box to span
    level : float, the value of the weighted sum on the line

    Returns
    -------
    xs, ys : arrays of shape (2,), or empty arrays when w1 = w2 = 0 (there is no line).
    """
    w1, w2 = float(weights[0]), float(weights[1])
    if w1 == 0.0 and w2 == 0.0:
        return np.empty(0), np.empty(0)
    if abs(w2) >= abs(w1):
        # a flat-ish line: solve for x2 at both ends of the x1 range
        xs = np.asarray(xlim, dtype=np.float64)
        ys = (level - bias - w1 * xs) / w2
    else:
        # a steep line: solve for x1 at both ends of the x2 range
        ys = np.asarray(ylim, dtype=np.float64)
        xs = (level - bias - w2 * ys) / w1
    return xs, ys


def visible_segment(xs, ys, xlim, ylim):
    """The part of the line through (xs[0], ys[0]) and (xs[1], ys[1]) inside the box
    xlim x ylim, as ((x0, y0), (x1, y1)), or None when the line misses the box.

    >>> visible_segment([0.0, 2.0], [0.0, 2.0], (0, 1), (0, 1))
    ((0.0, 0.0), (1.0, 1.0))
    """
    if len(xs) < 2:
        return None
    (x0, x1), (y0, y1) = map(float, xs), map(float, ys)
    dx, dy = x1 - x0, y1 - y0
    # Liang-Barsky on the infinite line x = x0 + t dx, y = y0 + t dy
    low, high = -np.inf, np.inf
    for p, q in ((-dx, x0 - xlim[0]), (dx, xlim[1] - x0), (-dy, y0 - ylim[0]), (dy, ylim[1] - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    if low > high or not np.isfinite(low) or not np.isfinite(high):
        return None
    return ((x0 + low * dx, y0 + low * dy), (x0 + high * dx, y0 + high * dy))
