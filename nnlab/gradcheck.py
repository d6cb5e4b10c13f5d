"""Checking backpropagation against the definition of a derivative.

For each weight w, the central difference

    dL/dw ~ (L(w + eps) - L(w - eps)) / (2 eps)

is accurate to about eps^2. If backprop is right, both numbers agree to many digits. They are
compared by their relative error, entry by entry,

    err = |a - n| / max(|a| + |n|, tiny)        a: backprop, n: numerical

which is 0 when they are equal and 1 when they have opposite signs or one of them is 0, whatever
the scale: a gradient that is twice too large gives err = 1/3, at 1e-4 as at 1e+4.

Why `tiny` = 1e-3 and not smaller: in float64 the difference L(w + eps) - L(w - eps) is only
known to about 2e-16 * L, so with eps = 1e-6 the numerical gradient carries rounding noise of
about 1e-10 (for a loss around 1). Entries smaller than that noise cannot be checked relatively.
Below |a| + |n| = tiny the error is measured against tiny instead, so an absolute difference of
1e-9 (ten times the noise) still shows up as 1e-6: any mistake larger than the noise is caught.
"""

import numpy as np

from .validation import check_positive

__all__ = ["gradcheck", "numerical_gradients", "relative_error", "TINY"]

#: The smallest denominator of the relative error (see the module docstring).
TINY = 1e-3


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


def relative_error(a, b, tiny=TINY):
    """|a - b| / max(|a| + |b|, tiny), elementwise.

    Examples
    --------
    >>> relative_error([2e-4, 3.0, 0.0], [1e-4, 3.0, 0.0])   # doubled, equal, both zero
    array([0.1, 0. , 0. ])
    >>> relative_error([2.0], [1.0])
    array([0.33333333])
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), tiny)


def gradcheck(model, X, y, eps=1e-6):
    """The largest relative error |a - n| / max(|a| + |n|, tiny) between backprop's gradients a
    and central finite differences n, over every weight and bias.

    Parameters
    ----------
    model : compiled MLP
    X : (n, n_inputs) array, y : targets
    eps : float, the finite-difference step

    Returns
    -------
    float
        Below about 1e-7 means the gradients agree; above 1e-4 means something is wrong.

    Examples
    --------
    >>> import nnlab
    >>> X, y = nnlab.datasets.logic_gate('xor')
    >>> model = nnlab.MLP([2, 3, 1], seed=0).compile(loss='binary_crossentropy')
    >>> gradcheck(model, X, y) < 1e-7
    True
    """
    _, analytic = model.loss_and_gradients(X, y)
    numeric = numerical_gradients(model, X, y, eps)
    return float(max(relative_error(a, n).max() for a, n in zip(analytic, numeric)))
