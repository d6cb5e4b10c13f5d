"""Hidden space: the input plane as the hidden layer sees it.

A network with one hidden layer first maps every input point x = (x1, x2) to the hidden
layer's activations h = f(x W1 + b1), then its output neuron draws ONE straight line (one
plane, for three hidden units) in that new space: the output is sigmoid(h . w2 + b2), and
it says 1 where h . w2 + b2 >= 0. XOR cannot be split by one line in the input plane; training
moves the hidden layer until its four points can be split in hidden space.

These functions compute what a picture of that needs: the grid lines of the input plane and
their images in hidden space, the output neuron's line there, and for three hidden units a
projection onto the screen that the student turns with two angles.

    grid_lines(xlim, ylim)              the input plane's grid as polylines
    hidden_image(model, points)         the hidden layer's activations of any points
    output_boundary(model)              (w2, b2): the output neuron's line h . w2 + b2 = 0
    projection(azimuth, elevation)      a (3, 2) matrix: 3-D hidden space -> the screen
    plane_in_box(weights, bias, low, high)   the plane h . w + b = 0 inside a cube, a polygon
    separated(model, X, y)              whether the output neuron's line splits the classes
"""

import numpy as np

from .validation import check_binary_labels, check_positive, check_X

__all__ = ["grid_lines", "hidden_image", "output_boundary", "projection", "plane_in_box",
           "separated"]


def grid_lines(xlim, ylim, n_lines=9, n_points=41):
    """The grid of the input plane: n_lines lines of constant x1, then n_lines of constant x2.

    Parameters
    ----------
    xlim, ylim : pairs of floats, the box the grid covers
    n_lines : int >= 2, lines in each direction (the box's edges included)
    n_points : int >= 2, points along each line (a line's image in hidden space is curved)

    Returns
    -------
    ndarray (2 * n_lines, n_points, 2): line k, point i, (x1, x2).

    Examples
    --------
    >>> lines = grid_lines((0, 1), (0, 2), n_lines=3, n_points=2)
    >>> lines.shape
    (6, 2, 2)
    >>> lines[1].tolist(), lines[3].tolist()     # x1 = 0.5, then x2 = 0
    ([[0.5, 0.0], [0.5, 2.0]], [[0.0, 0.0], [1.0, 0.0]])
    """
    n_lines = check_positive(n_lines, "n_lines", integer=True)
    n_points = check_positive(n_points, "n_points", integer=True)
    if n_lines < 2 or n_points < 2:
        raise ValueError(f"n_lines and n_points must be at least 2, but got {n_lines} and "
                         f"{n_points}")
    (x0, x1), (y0, y1) = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    along_x, along_y = np.linspace(x0, x1, n_points), np.linspace(y0, y1, n_points)
    lines = np.empty((2 * n_lines, n_points, 2))
    for k, x in enumerate(np.linspace(x0, x1, n_lines)):        # vertical lines, x1 fixed
        lines[k, :, 0], lines[k, :, 1] = x, along_y
    for k, y in enumerate(np.linspace(y0, y1, n_lines)):        # horizontal lines, x2 fixed
        lines[n_lines + k, :, 0], lines[n_lines + k, :, 1] = along_x, y
    return lines


def _limits(pair, name):
    low, high = (float(v) for v in pair)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"{name} must be (low, high) with low < high, but got {tuple(pair)}")
    return low, high


def _check_model(model):
    layers = getattr(model, "layers", None)
    if layers is None or len(layers) != 2 or layers[-1].n_out != 1:
        shape = getattr(model, "layer_sizes", None)
        raise ValueError(f"model must be an MLP with one hidden layer and one output, e.g. "
                         f"MLP([2, 2, 1]), but got layer sizes {shape}")
    return layers


def hidden_image(model, points):
    """The hidden layer's activations h = f(x W1 + b1) of any points.

    Parameters
    ----------
    model : MLP with one hidden layer, e.g. ``MLP([2, 2, 1])``
    points : array (..., n_inputs), e.g. (n, 2) points or (lines, points, 2) grid lines

    Returns
    -------
    ndarray (..., n_hidden)

    Examples
    --------
    >>> from nnlab import MLP
    >>> model = MLP([2, 2, 1], activation='step', output_activation='step')
    >>> model.set_weights([np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]),
    ...                    np.array([[1.0], [1.0]]), np.array([-1.5])])
    >>> hidden_image(model, [[0, 0], [0, 1], [1, 0], [1, 1]])     # (OR, NAND) of each row
    array([[0., 1.],
           [1., 1.],
           [1., 1.],
           [1., 0.]])
    """
    hidden = _check_model(model)[0]
    points = np.asarray(points, dtype=np.float64)
    if points.ndim < 1 or points.shape[-1] != hidden.n_in:
        raise ValueError(f"points must end in {hidden.n_in} coordinates (the model's inputs), "
                         f"but they have shape {points.shape}")
    flat = check_X(points.reshape(-1, hidden.n_in), name="points")
    return hidden.forward(flat, keep=False).reshape(*points.shape[:-1], hidden.n_out)


def output_boundary(model):
    """The output neuron's weights and bias (w2 (n_hidden,), b2): in hidden space it answers
    1 where h . w2 + b2 >= 0 (the output activation's midpoint: sigmoid 0.5, tanh 0, step's
    jump), a straight line for 2 hidden units and a plane for 3."""
    output = _check_model(model)[1]
    return output.W[:, 0].copy(), float(output.b[0])


def positive_side(model, hidden):
    """Whether points `hidden` (..., n_hidden) of hidden space lie on the output neuron's class-1
    side, h . w2 + b2 >= 0: what the network answers for the inputs they are the image of.

    >>> from nnlab import MLP
    >>> model = MLP([2, 2, 1], activation='step', output_activation='step')
    >>> model.set_weights([np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]),
    ...                    np.array([[1.0], [1.0]]), np.array([-1.5])])
    >>> positive_side(model, [[0, 1], [1, 1], [1, 0]]).tolist()          # AND of (OR, NAND)
    [False, True, False]
    """
    weights, bias = output_boundary(model)
    return np.asarray(hidden, dtype=np.float64) @ weights + bias >= 0


def output_from_hidden(model, hidden):
    """The network's output a2 = f2(h . w2 + b2) at points `hidden` (..., n_hidden) of hidden
    space (the output layer alone): the colour of hidden space behind the points.

    >>> from nnlab import MLP
    >>> model = MLP([2, 2, 1], activation='step', output_activation='step')
    >>> model.set_weights([np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]),
    ...                    np.array([[1.0], [1.0]]), np.array([-1.5])])
    >>> output_from_hidden(model, [[0, 1], [1, 1]]).tolist()
    [0.0, 1.0]
    """
    output = _check_model(model)[1]
    hidden = np.asarray(hidden, dtype=np.float64)
    if hidden.ndim < 1 or hidden.shape[-1] != output.n_in:
        raise ValueError(f"hidden must end in {output.n_in} coordinates (the hidden units), "
                         f"but it has shape {hidden.shape}")
    flat = check_X(hidden.reshape(-1, output.n_in), name="hidden")
    return output.forward(flat, keep=False)[:, 0].reshape(hidden.shape[:-1])


def separated(model, X, y):
    """Whether the output neuron's line in hidden space puts every point on its class's side
    (class 1 where h . w2 + b2 >= 0): the hidden layer has made the classes linearly separable
    and the network classifies every point right.

    >>> from nnlab import MLP
    >>> model = MLP([2, 2, 1], activation='step', output_activation='step')
    >>> model.set_weights([np.array([[1.0, -1.0], [1.0, -1.0]]), np.array([-0.5, 1.5]),
    ...                    np.array([[1.0], [1.0]]), np.array([-1.5])])
    >>> separated(model, [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    True
    """
    X = check_X(X, name="X")
    y = check_binary_labels(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, but X has {len(X)} "
                         f"and y has {len(y)}")
    return bool(np.all(positive_side(model, hidden_image(model, X)) == (y == 1)))


def projection(azimuth, elevation):
    """An orthographic view of 3-D hidden space: a (3, 2) matrix P, screen = h @ P.

    The eye looks at the origin from the direction (cos e cos a, cos e sin a, sin e)
    (a the azimuth around the h3 axis, e the elevation above the h1-h2 plane, in degrees).
    The screen's x axis is horizontal (no h3 part), its y axis points up, both at right angles
    to the eye's direction, so lengths across the view are kept.

    >>> projection(0, 0).round(12)          # from the h1 axis: h2 to the right, h3 up
    array([[0., 0.],
           [1., 0.],
           [0., 1.]])
    """
    a, e = np.radians(float(azimuth)), np.radians(float(elevation))
    right = np.array([-np.sin(a), np.cos(a), 0.0])
    up = np.array([-np.sin(e) * np.cos(a), -np.sin(e) * np.sin(a), np.cos(e)])
    return np.column_stack([right, up]) + 0.0


def plane_in_box(weights, bias, low, high):
    """Where the plane h . w + b = 0 crosses the cube [low, high]^3: a convex polygon.

    Parameters
    ----------
    weights : three floats, bias : float
    low, high : floats, the cube's extent on every axis (tanh: -1 and 1; sigmoid: 0 and 1)

    Returns
    -------
    ndarray (k, 3): the polygon's corners in order around it (k from 3 to 6), or shape (0, 3)
    when the plane misses the cube.

    Examples
    --------
    >>> plane_in_box([0.0, 0.0, 1.0], -0.5, 0.0, 1.0)        # h3 = 0.5: a square
    array([[0. , 0. , 0.5],
           [1. , 0. , 0.5],
           [1. , 1. , 0.5],
           [0. , 1. , 0.5]])
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (3,):
        raise ValueError(f"weights must be three numbers, but got shape {w.shape}")
    corners = np.array([[(i >> k) & 1 for k in range(3)] for i in range(8)], dtype=np.float64)
    corners = low + (high - low) * corners
    side = corners @ w + float(bias)
    points = []
    for i in range(8):
        for k in range(3):
            j = i | (1 << k)
            if j == i:
                continue
            si, sj = side[i], side[j]
            if si == 0:
                points.append(corners[i])
            if si * sj < 0:
                t = si / (si - sj)
                points.append(corners[i] + t * (corners[j] - corners[i]))
    if not points:
        return np.empty((0, 3))
    points = np.unique(np.round(np.array(points), 12), axis=0)
    if len(points) < 3:
        return np.empty((0, 3))
    # order the corners around their centre, in the plane
    centre = points.mean(axis=0)
    normal = w / np.linalg.norm(w)
    u = points[0] - centre
    if np.linalg.norm(u) == 0:
        return np.empty((0, 3))
    u /= np.linalg.norm(u)
    v = np.cross(normal, u)
    angles = np.mod(np.arctan2((points - centre) @ v, (points - centre) @ u), 2 * np.pi)
    return points[np.argsort(angles)] + 0.0
