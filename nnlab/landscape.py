"""The loss landscape: the loss seen as a function of the weights.

For fixed data (X, y), every setting theta of a model's weights gives one number,

    L(theta) = loss(y, model_theta(X)) + penalty(theta),

so the loss is a landscape over weight space, and training walks downhill on it. A single
neuron with one input has just two parameters, the weight w and the bias b, so its landscape
is a surface over the (w, b) plane: draw it as contours and put the path of gradient descent
on top.

    loss_along(model, X, y, weights)      L at each of several weight settings (a path)
    loss_along_stacked(model, X, y, stacks)   the same, the settings stacked per array
    loss_surface(model, X, y, ws, bs)     L on a grid of (w, b) for a two-parameter model
"""

import numpy as np

__all__ = ["loss_along", "loss_along_stacked", "loss_surface"]


def loss_along(model, X, y, weights):
    """The loss of `model` on (X, y) at each of several settings of its weights.

    The same number as ``model.evaluate(X, y)['loss']`` after ``model.set_weights(theta)``, for
    every theta, but X and y are checked once and all settings go through the network at once
    (numpy over a stack of weights), so a few thousand settings take milliseconds.

    Parameters
    ----------
    model : MLP
        A compiled model; its weights are not touched.
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
    X, Y = model.check_data(X, y)
    params = model.params()
    thetas = [list(theta) for theta in weights]
    if not thetas:
        return np.empty(0)
    for i, theta in enumerate(thetas):
        if len(theta) != len(params):
            raise ValueError(f"weights[{i}] must hold {len(params)} arrays laid out like "
                             f"model.get_weights(), but it holds {len(theta)}")
    stacks = []
    for j, p in enumerate(params):
        try:
            stack = np.array([theta[j] for theta in thetas], dtype=np.float64)
        except ValueError:                      # ragged: some setting has another shape
            stack = None
        if stack is None or stack.shape[1:] != p.shape:
            i, value = next((i, np.shape(theta[j])) for i, theta in enumerate(thetas)
                            if np.shape(theta[j]) != p.shape)
            raise ValueError(f"weights[{i}][{j}] must have shape {p.shape}, "
                             f"but got {value}")
        stacks.append(stack.reshape(len(thetas), *p.shape))
    return _loss_of_stacks(model, X, Y, stacks)


def loss_along_stacked(model, X, y, stacks):
    """`loss_along` for settings already stacked: [W1s (P, n_in, n_out), b1s (P, n_out), ...].

    Examples
    --------
    >>> from nnlab import MLP
    >>> model = MLP([1, 1], output_activation='sigmoid').compile('mse', 'sgd')
    >>> X, y = np.array([[0.0], [1.0]]), np.array([0.0, 1.0])
    >>> path = np.array([[0.0, 0.0], [4.0, -2.0]])          # (w, b) per row
    >>> loss_along_stacked(model, X, y, [path[:, :1, None], path[:, 1:]]).round(4)
    array([0.25  , 0.0142])
    """
    X, Y = model.check_data(X, y)
    params = model.params()
    if len(stacks) != len(params):
        raise ValueError(f"stacks must hold {len(params)} arrays, one per array of "
                         f"model.get_weights(), but it holds {len(stacks)}")
    stacks = [np.asarray(s, dtype=np.float64) for s in stacks]
    for j, (p, s) in enumerate(zip(params, stacks)):
        if s.shape[1:] != p.shape or len(s) != len(stacks[0]):
            raise ValueError(f"stacks[{j}] must have shape ({len(stacks[0])}, "
                             f"{', '.join(map(str, p.shape))}), but got {s.shape}")
    return _loss_of_stacks(model, X, Y, stacks)


#: floats of one layer's outputs over a chunk of settings, (P, n, n_out): a chunk stays small
_CHUNK_FLOATS = 2 ** 21


def _loss_of_stacks(model, X, Y, stacks):
    """Losses (P,) at P settings given as stacks [W1s (P, n_in, n_out), b1s (P, n_out), ...].

    All settings go forward at once (`MLP.forward_stacked`), then the loss of each
    (`Loss.values`) plus its penalty (`MLP.penalty`). Long stacks go in chunks, so memory
    stays bounded.
    """
    n_settings = len(stacks[0]) if stacks else 0
    widest = max(layer.n_out for layer in model.layers)
    chunk = max(1, _CHUNK_FLOATS // max(1, len(X) * widest))
    losses = np.empty(n_settings, dtype=np.float64)
    for start in range(0, n_settings, chunk):
        part = [s[start:start + chunk] for s in stacks]
        out = model.forward_stacked(X, part)                  # (P, n, n_outputs)
        losses[start:start + chunk] = model.loss.values(Y, out) + model.penalty(part[0::2])
    return losses


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
    X, Y = model.check_data(X, y)
    w, b = np.meshgrid(w_values, b_values)        # (n_b, n_w): b slowest, as the result
    stacks = [w.reshape(-1, 1, 1), b.reshape(-1, 1)]
    return _loss_of_stacks(model, X, Y, stacks).reshape(len(b_values), len(w_values))
