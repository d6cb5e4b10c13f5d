"""Regularization: a penalty on large weights, added to the loss the optimizer lowers.

    L1   l1 * sum |W|          its gradient   l1 * sign(W)
    L2   l2 * sum W^2          its gradient   2 * l2 * W

summed over every layer's weight matrix W (not the biases), as Keras's regularizers do. L1
pushes weights to exactly zero; L2 shrinks them all a little. `MLP(l1=..., l2=...)` adds the
penalty to its loss and its gradient to every dL/dW.
"""

import numpy as np

__all__ = ["penalty", "penalty_gradient"]


def penalty(weights, l1=0.0, l2=0.0):
    """l1 * sum|W| + l2 * sum W^2 over the weight matrices `weights`.

    Each W is (n_in, n_out), or a stack (P, n_in, n_out) of P settings: then the result is one
    penalty per setting, (P,).

    >>> round(penalty([np.array([[1.0, -2.0]]), np.array([[3.0]])], l1=0.1, l2=0.01), 12)
    0.74
    """
    if not (l1 or l2):
        return 0.0
    total = sum(l1 * np.abs(W).sum(axis=(-2, -1)) + l2 * np.square(W).sum(axis=(-2, -1))
                for W in weights)
    return float(total) if np.ndim(total) == 0 else total


def penalty_gradient(W, l1=0.0, l2=0.0):
    """d/dW of l1 * sum|W| + l2 * sum W^2, for one weight matrix W (same shape).

    >>> penalty_gradient(np.array([[1.0, -2.0]]), l1=0.1, l2=0.01).round(12).tolist()
    [[0.12, -0.14]]
    """
    return l1 * np.sign(W) + 2.0 * l2 * W
