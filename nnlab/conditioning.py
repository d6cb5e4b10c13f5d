"""Conditioning: why gradient descent zig-zags when the inputs have different scales.

Take a linear neuron without bias, y_hat = X @ w, and its mean-squared loss on data (X, y):

    L(w) = mean((X w - y)**2) = w^T A w - 2 c^T w + mean(y**2),
    A = X^T X / n,   c = X^T y / n.

L is a quadratic form in w: its contours are ellipses, its gradient is 2 (A w - c) and its
Hessian, the matrix of second derivatives, is the same everywhere: H = 2 A. The diagonal of H
is the curvature along each weight's axis, 2 mean(x_j**2): an input ten times larger makes the
valley a hundred times steeper along its weight.

One step of gradient descent, w <- w - eta * grad, moves the error e = w - w* (w* the minimum)
to (I - eta H) e. Along an eigenvector of H with eigenvalue lambda the error is multiplied by
(1 - eta lambda) at every step, so

- descent converges only if |1 - eta lambda| < 1 for every lambda: eta < 2 / lambda_max, the
  largest stable learning rate, set by the steepest direction;
- below it, the flattest direction (lambda_min) shrinks by |1 - eta lambda_min| per step, slowly
  when lambda_min is much smaller than lambda_max: the condition number
  kappa = lambda_max / lambda_min measures how elongated the valley is;
- at eta between 1 / lambda_max and 2 / lambda_max the steep direction overshoots and comes back
  every step: the zig-zag across the valley.

Standardising the inputs (each column minus its mean, divided by its standard deviation) makes
every diagonal entry of H equal to 2: for inputs that are not correlated the valley becomes
round (kappa near 1) and one learning rate suits every direction.

    scaled_data(n, scales, ...)      two inputs of different scales and their targets
    standardize(X)                   columns with mean 0 and standard deviation 1
    QuadraticLoss(X, y)              the loss, its Hessian, eigenvalues, 2 / lambda_max,
                                     its contours (ellipses) and the path of gradient descent
"""

import numpy as np

from .validation import check_nonnegative, check_positive, check_rng, check_same_length, check_X

__all__ = ["scaled_data", "standardize", "QuadraticLoss"]


def scaled_data(n=50, scales=(1.0, 10.0), weights=(1.5, 0.2), noise=0.5, seed=0):
    """Inputs of very different scales and targets from a linear rule, all centred.

    The inputs are drawn at random, then made exactly uncorrelated with exactly the asked
    standard deviations, so that the loss's curvature along weight j is exactly 2 scales[j]**2
    (see `QuadraticLoss`) and standardising makes the valley exactly round.

    Parameters
    ----------
    n : int, the number of samples
    scales : sequence of d floats > 0
        The standard deviation of each input (e.g. a height in metres and one in centimetres).
    weights : sequence of d floats, the true rule y = X @ weights + noise
    noise : float >= 0, the standard deviation of the noise added to y
    seed : None, int or numpy Generator

    Returns
    -------
    X : ndarray (n, d), every column with mean exactly 0, standard deviation scales[j], and
        no correlation between columns (X.T @ X / n is diagonal)
    y : ndarray (n,), with mean exactly 0 (so that a neuron without bias fits it)

    Examples
    --------
    >>> X, y = scaled_data(n=200, scales=(1.0, 10.0), seed=0)
    >>> X.shape, bool(abs(X.mean(axis=0)).max() < 1e-12), X.std(axis=0).round(12)
    ((200, 2), True, array([ 1., 10.]))
    >>> (X.T @ X / 200).round(12) + 0.0
    array([[  1.,   0.],
           [  0., 100.]])
    """
    n = check_positive(n, "n", integer=True)
    scales = np.asarray(scales, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    if scales.ndim != 1 or weights.shape != scales.shape:
        raise ValueError(f"scales and weights must be two sequences of the same length, "
                         f"but they have shapes {scales.shape} and {weights.shape}")
    if not (scales > 0).all():
        raise ValueError(f"scales must all be positive, but got {scales.tolist()}")
    noise = check_nonnegative(noise, "noise")
    rng = check_rng(seed)
    if n <= scales.size:
        raise ValueError(f"n must be larger than the number of inputs ({scales.size}), "
                         f"but got n={n}")
    Z = rng.standard_normal((n, scales.size))
    Q, _ = np.linalg.qr(Z - Z.mean(axis=0))     # orthonormal, centred columns
    X = Q * np.sqrt(n) * scales                   # exactly the asked scales, uncorrelated
    y = X @ weights + noise * rng.standard_normal(n)
    return X, y - y.mean()


def standardize(X):
    """Each column of X minus its mean, divided by its standard deviation.

    Parameters
    ----------
    X : array (n, d)

    Returns
    -------
    X_std : ndarray (n, d), every column with mean 0 and standard deviation 1
    mean, std : ndarrays (d,), so that X_std = (X - mean) / std

    Examples
    --------
    >>> X_std, mean, std = standardize([[1.0, 100.0], [3.0, 300.0]])
    >>> X_std, mean, std
    (array([[-1., -1.],
           [ 1.,  1.]]), array([  2., 200.]), array([  1., 100.]))
    """
    X = check_X(X)
    mean, std = X.mean(axis=0), X.std(axis=0)
    if not (std > 0).all():
        constant = [int(j) for j in np.flatnonzero(std == 0)]
        raise ValueError(f"X must vary in every column to be standardised, but column(s) "
                         f"{constant} are constant")
    return (X - mean) / std, mean, std


class QuadraticLoss:
    """The mean-squared loss of a linear neuron without bias, w -> mean((X w - y)**2).

    Parameters
    ----------
    X : array (n, d), the inputs
    y : array (n,), the targets

    Attributes
    ----------
    hessian : ndarray (d, d), H = 2 X^T X / n, the same at every w
    eigenvalues : ndarray (d,), H's eigenvalues, smallest first (the curvatures along the
        valley's axes)
    eigenvectors : ndarray (d, d), column i the direction of eigenvalue i
    minimum : ndarray (d,), w* where the gradient is zero (least squares)
    min_loss : float, L(w*)
    max_stable_rate : float, 2 / lambda_max: gradient descent converges for smaller rates
    condition_number : float, lambda_max / lambda_min (1: a round valley)

    Examples
    --------
    Two inputs that never overlap, one ten times larger than the other: the curvature along
    each weight is 2 mean(x_j**2): 1 and 100.

    >>> X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 10.0], [0.0, -10.0]])
    >>> loss = QuadraticLoss(X, [1.0, -1.0, 5.0, -5.0])
    >>> loss.hessian
    array([[  1.,   0.],
           [  0., 100.]])
    >>> loss.minimum, loss.max_stable_rate, loss.condition_number
    (array([1. , 0.5]), 0.02, 100.0)
    >>> loss.path([0.0, 0.0], learning_rate=0.019, steps=2).round(3)
    array([[0.   , 0.   ],
           [0.019, 0.95 ],
           [0.038, 0.095]])
    """

    def __init__(self, X, y):
        X = check_X(X)
        y = np.asarray(y, dtype=np.float64)
        if y.ndim != 1:
            raise ValueError(f"y must be a 1-D array of targets, but it has shape {y.shape}")
        if not np.isfinite(y).all():
            raise ValueError("y must not contain NaN or inf")
        check_same_length(X, y)
        self.X, self.y = X, y
        n = X.shape[0]
        self._A, self._c = X.T @ X / n, X.T @ y / n
        self._yy = float(y @ y / n)
        self.hessian = 2.0 * self._A
        self.eigenvalues, self.eigenvectors = np.linalg.eigh(self.hessian)
        if self.eigenvalues[0] <= 1e-12 * max(self.eigenvalues[-1], 1e-300):
            raise ValueError("X's columns must be linearly independent (the valley would "
                             "have a flat floor and no single minimum)")
        self.minimum = np.linalg.solve(self._A, self._c)
        self.min_loss = float(self(self.minimum))
        low, high = self.eigenvalues[0], self.eigenvalues[-1]
        self.max_stable_rate = float(2.0 / high)
        self.condition_number = float(high / low)

    @property
    def n_weights(self):
        return self.X.shape[1]

    def _weights(self, w, name="w"):
        w = np.asarray(w, dtype=np.float64)
        if w.shape[-1:] != (self.n_weights,):
            raise ValueError(f"{name} must end in {self.n_weights} weights (one per input), "
                             f"but it has shape {w.shape}")
        return w

    def __call__(self, w):
        """L(w) for w of shape (d,) or (..., d) (many settings at once): returns (...)."""
        w = self._weights(w)
        quad = np.einsum("...i,ij,...j->...", w, self._A, w)
        return quad - 2.0 * (w @ self._c) + self._yy

    def gradient(self, w):
        """dL/dw = 2 (A w - c) = H (w - w*), for w of shape (d,) or (..., d)."""
        w = self._weights(w)
        return 2.0 * (w @ self._A - self._c)

    def grid(self, w1s, w2s):
        """L on the grid of (w1, w2) for a two-input neuron: shape (len(w2s), len(w1s)), row i
        at w2s[i] (an image whose row 0 is the lowest w2)."""
        if self.n_weights != 2:
            raise ValueError(f"grid needs a neuron with 2 inputs, but X has {self.n_weights}")
        W1, W2 = np.meshgrid(np.asarray(w1s, float), np.asarray(w2s, float))
        return self(np.stack([W1, W2], axis=-1))

    def contour(self, level, n_points=121):
        """The contour L(w) = level of a two-input neuron: an ellipse around the minimum.

        L(w) - L(w*) = (w - w*)^T (H / 2) (w - w*), so along eigenvector i the ellipse reaches
        sqrt(2 (level - L(w*)) / lambda_i) from the minimum: long where the curvature is small.

        Returns
        -------
        ndarray (n_points, 2), closed (the last point is the first); shape (0, 2) for a level
        below the minimum loss.

        >>> X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 10.0], [0.0, -10.0]])
        >>> loss = QuadraticLoss(X, [1.0, -1.0, 5.0, -5.0])
        >>> ring = loss.contour(loss.min_loss + 1.0, n_points=5)
        >>> ring.round(6) + 0.0                 # half-axes sqrt(2 / 1) and sqrt(2 / 100)
        array([[ 2.414214,  0.5     ],
               [ 1.      ,  0.641421],
               [-0.414214,  0.5     ],
               [ 1.      ,  0.358579],
               [ 2.414214,  0.5     ]])
        """
        if self.n_weights != 2:
            raise ValueError(f"contour needs a neuron with 2 inputs, but X has {self.n_weights}")
        n_points = check_positive(n_points, "n_points", integer=True)
        gap = float(level) - self.min_loss
        if not gap >= 0:
            return np.empty((0, 2))
        t = np.linspace(0.0, 2.0 * np.pi, n_points)
        circle = np.column_stack([np.cos(t), np.sin(t)])
        radii = np.sqrt(2.0 * gap / self.eigenvalues)
        return self.minimum + (circle * radii) @ self.eigenvectors.T

    def contraction(self, learning_rate):
        """How much one step shrinks the distance to the minimum in the worst direction:
        max over the eigenvalues of |1 - eta lambda|. Below 1, descent converges; the closer
        to 1, the slower.

        >>> X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 10.0], [0.0, -10.0]])
        >>> QuadraticLoss(X, [1.0, -1.0, 5.0, -5.0]).contraction(0.01)
        0.99
        """
        rate = check_positive(learning_rate, "learning_rate")
        return float(np.abs(1.0 - rate * self.eigenvalues).max())

    def path(self, w0, learning_rate, steps=50):
        """The weights gradient descent visits: w_{k+1} = w_k - eta grad L(w_k).

        Parameters
        ----------
        w0 : array (d,), the starting weights
        learning_rate : float > 0
        steps : int >= 0

        Returns
        -------
        ndarray (k + 1, d): w0 and the weights after each step. When descent diverges the
        path stops (k < steps) at the first step whose weights grow past 1e6 times the
        starting distance to the minimum: no inf or NaN ever comes back.
        """
        w = self._weights(w0, "w0").astype(np.float64).copy()
        if w.ndim != 1:
            raise ValueError(f"w0 must be one setting of the weights, shape ({self.n_weights},)"
                             f", but it has shape {w.shape}")
        if not np.isfinite(w).all():
            raise ValueError("w0 must not contain NaN or inf")
        rate = check_positive(learning_rate, "learning_rate")
        steps = check_nonnegative(steps, "steps", integer=True)
        limit = 1e6 * max(np.linalg.norm(w - self.minimum), 1.0)
        points = [w.copy()]
        for _ in range(steps):
            w = w - rate * self.gradient(w)
            if not np.isfinite(w).all() or np.linalg.norm(w - self.minimum) > limit:
                break
            points.append(w.copy())
        return np.array(points)

    def converges(self, learning_rate):
        """Whether gradient descent at this rate reaches the minimum from every start
        (eta < 2 / lambda_max)."""
        return self.contraction(learning_rate) < 1.0
