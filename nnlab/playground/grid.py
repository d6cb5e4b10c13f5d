"""What the network computes over the plane: every neuron's output on a grid of points.

The decision map shows the output; the network diagram shows each hidden neuron's output in its
square. Row i of a grid is at x2 = x[i], column j at x1 = x[j], on [-EXTENT, EXTENT]^2.
"""

from functools import lru_cache

import numpy as np

from .. import datasets

__all__ = ["outputs", "map_share", "EXTENT"]

EXTENT = 6.0        # the plane shown is [-EXTENT, EXTENT]^2


@lru_cache(maxsize=8)
def _inputs(resolution, features):
    """The grid's coordinates (r,) and its features (r * r, n_features), computed once."""
    xs, _, points = datasets.grid((-EXTENT, EXTENT), (-EXTENT, EXTENT), resolution)
    F = datasets.features(points, features)
    xs.setflags(write=False)
    F.setflags(write=False)
    return xs, F


def outputs(session, resolution=60):
    """Every neuron's output over the plane on a resolution x resolution grid.

    Returns
    -------
    dict
        'x' (resolution,) the coordinates along each axis; 'inputs' (r, r, n_features) the
        features; 'layers' a list with one (r, r, n_neurons) array per layer, hidden layers
        first; 'output' the last of those.

    Examples
    --------
    >>> from nnlab.playground import PlaygroundSession
    >>> g = outputs(PlaygroundSession(hidden=[3], seed=0), resolution=5)
    >>> g['x'].tolist(), [a.shape for a in g['layers']]
    ([-6.0, -3.0, 0.0, 3.0, 6.0], [(5, 5, 3), (5, 5, 1)])
    """
    xs, a = _inputs(resolution, tuple(session.features))
    shape = (resolution, resolution, -1)
    layers = []
    inputs = a
    for layer in session.model.layers:
        a = layer.forward(a, False)
        layers.append(a.reshape(shape))
    return {"x": xs, "inputs": inputs.reshape(shape), "layers": layers, "output": layers[-1]}


def map_share(output, n_classes):
    """What the decision map shows, in numbers.

    Parameters
    ----------
    output : (r, r, n_outputs) array, the network's output over the grid (`outputs`'s 'output')
    n_classes : 2, 3 or None (regression)

    Returns
    -------
    list of float
        For a classifier, the share of the plane given to each class (class 1 where the one
        output is >= 0.5; with three classes, the largest output); for a regression, the
        lowest and the highest output.

    Examples
    --------
    >>> map_share(np.array([[[0.2], [0.7]], [[0.9], [0.5]]]), 2)
    [0.25, 0.75]
    >>> map_share(np.array([[[-0.5], [0.25]]]), None)
    [-0.5, 0.25]
    """
    out = np.asarray(output).reshape(-1, np.shape(output)[-1])
    if n_classes is None:
        return [float(out.min()), float(out.max())]
    best = out.argmax(axis=1) if n_classes == 3 else (out[:, 0] >= 0.5)
    return [float((best == k).mean()) for k in range(n_classes)]
