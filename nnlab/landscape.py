"""The loss landscape: the loss seen as a function of the weights.

For fixed data (X, y), every setting theta of a model's weights gives one number,

    L(theta) = loss(y, model_theta(X)) + penalty(theta),

so the loss is a landscape over weight space, and training walks downhill on it. A single
neuron with one input has just two parameters, the weight w and the bias b, so its landscape
is a surface over the (w, b) plane: draw it as contours and put the path of gradient descent
on top.

    loss_along(model, X, y, weights)      L at each of several weight settings (a path)
    loss_surface(model, X, y, ws, bs)     L on a grid of (w, b) for a two-parameter model
"""

import numpy as np

__all__ = ["loss_along", "loss_surface"]


def loss_along(model, X, y, weights):
    """The loss of `model` on (X, y) at each of several settings of its weights.

    The same number as ``model.evaluate(X, y)['loss']`` after ``model.set_weights(theta)``, for
    every theta, but X and y are checked once, so a few thousand settings take milliseconds.

    Parameters
    ----------
    model : MLP
        A compiled model; its own weights are left as they were.
    X : array (n, n_inputs)
    y : array (n,) or (n, n_outputs), as for `model.evaluate`
    weights : iterable of weight lists
        Each laid out like ``model.get_weights()``: [W1 (n_in, n_out), b1 (n_out,), ...],
        e.g. the points of a training path or of a grid.

    Returns
    -------
    ndarray (P,)
        The loss (with the regularization penalty) at each of the P settings.

    Examples
    --------
    >>> from nnlab import MLP
    >>> model = MLP([1, 1], output_activation='sigmoid').compile('mse', 'sgd')
    >>> X, y = np.array([[0.0], [1.0]]), np.array([0.0, 1.0])
    >>> loss_along(model, X, y, [[[[0.0]], [0.0]], [[[4.0]], [-2.0]]]).round(4)
    array([0.25  , 0.0142])
    """
    model._require_compiled()
    X = model._check_X(X)
    Y = model._targets(y, X)
    params = model.params()
    saved = [p.copy() for p in params]
    losses = []
    try:
        for i, theta in enumerate(weights):
            theta = list(theta)
            if len(theta) != len(params):
                raise ValueError(f"weights[{i}] must hold {len(params)} arrays laid out like "
                                 f"model.get_weights(), but it holds {len(theta)}")
            for j, (p, value) in enumerate(zip(params, theta, strict=True)):
                value = np.asarray(value, dtype=np.float64)
                if value.shape != p.shape:
                    raise ValueError(f"weights[{i}][{j}] must have shape {p.shape}, "
                                     f"but got {value.shape}")
                p[...] = value
            out = model._forward(X, keep=False)
            losses.append(model._loss(Y, out))
    finally:
        for p, value in zip(params, saved, strict=True):
            p[...] = value
    return np.array(losses, dtype=np.float64)


def loss_surface(model, X, y, w_values, b_values):
    """The loss on a grid of (w, b) for a model with exactly two parameters.

    That model is a single neuron with one input, e.g. ``MLP([1, 1])``: z = w x + b.

    Parameters
    ----------
    model : MLP
        Compiled, with one weight and one bias; its own weights are left as they were.
    X : array (n, 1)
    y : array (n,)
    w_values : array (n_w,)
    b_values : array (n_b,)

    Returns
    -------
    ndarray (n_b, n_w)
        ``L[i, j]`` is the loss at w = w_values[j], b = b_values[i], the layout that
        ``plt.contour(w_values, b_values, L)`` expects.
    """
    if model.count_params() != 2:
        raise ValueError("model must have exactly two parameters (one weight and one bias, "
                         f"e.g. MLP([1, 1])), but it has {model.count_params()}")
    w_values = np.asarray(w_values, dtype=np.float64).ravel()
    b_values = np.asarray(b_values, dtype=np.float64).ravel()
    grid = ([np.array([[w]]), np.array([b])] for b in b_values for w in w_values)
    return loss_along(model, X, y, grid).reshape(len(b_values), len(w_values))
