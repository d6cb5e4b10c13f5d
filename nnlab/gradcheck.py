"""Checking backpropagation against the definition of a derivative.

For each weight w, the central difference

    dL/dw ~ (L(w + eps) - L(w - eps)) / (2 eps)

is accurate to about eps^2. If backprop is right, both numbers agree to many digits.
"""

import numpy as np

from ._validation import check_positive

__all__ = ["gradcheck", "numerical_gradients", "relative_error"]


def numerical_gradients(model, X, y, eps=1e-6):
    """Central-difference gradients of `model.loss_and_gradients(X, y)[0]`, laid out like
    `model.get_weights()`. Costs two forward passes per weight: only for small models."""
    eps = check_positive(eps, "eps")
    params = model.params()
    grads = []
    for p in params:
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            saved = p[idx]
            p[idx] = saved + eps
            up = model.loss_and_gradients(X, y)[0]
            p[idx] = saved - eps
            down = model.loss_and_gradients(X, y)[0]
            p[idx] = saved
            g[idx] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


def relative_error(a, b):
    """|a - b| / max(1, |a|, |b|) elementwise: relative for large values, absolute for small ones
    (so that a gradient which is exactly zero does not make the ratio explode)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))


def gradcheck(model, X, y, eps=1e-6):
    """The largest relative error between backprop's and numerical gradients.

    Parameters
    ----------
    model : compiled MLP
    X : (n, n_inputs) array, y : targets
    eps : float, the finite-difference step

    Returns
    -------
    float
        Below about 1e-7 means the gradients agree; above 1e-4 means something is wrong.
    """
    _, analytic = model.loss_and_gradients(X, y)
    numeric = numerical_gradients(model, X, y, eps)
    return float(max(relative_error(a, n).max() for a, n in zip(analytic, numeric)))
