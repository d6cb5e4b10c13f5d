"""Small datasets for the lessons, all generated or shipped with the package (no downloads).

Classification sets have labels 0/1 (or 0..k-1); X is always (n, n_features) float64.

    logic_gate(name)     the four rows of a truth table
    blobs(n)             two Gaussian clusters, one shifted by (10, 10): the first
                         perceptron example
    circle, xor, gauss, spiral
                         the four classification sets of the TensorFlow Playground (on [-6, 6]^2)
    three_class          three Gaussian clusters, for softmax
    plane, gauss_regression
                         the Playground's two regression sets (targets in [-1, 1])
    iris()               150 iris flowers, 4 measurements, 3 species
    digits()             1797 handwritten digits, 8x8 pixels of 0..16, labels 0-9

`noise` is on the Playground's scale: 0 is clean, 0.5 is its maximum (50 %).
`features(X, names)` computes the Playground's input features (x1, x1^2, sin x1, x1*x2, ...);
`grid(xlim, ylim, resolution)` gives the points of a plane where a figure shows a model's
output; `overlapping_1d()` is one feature whose two classes overlap (the DescentExplorer's).
"""

import csv
import gzip
import os

import numpy as np

from .validation import check_nonnegative, check_positive, check_rng, check_X, lookup

__all__ = ["logic_gate", "blobs", "circle", "xor", "gauss", "spiral", "three_class", "plane",
           "gauss_regression", "iris", "digits",
           "overlapping_1d", "grid", "features", "FEATURES", "GENERATED", "CLASSIFICATION",
           "REGRESSION"]

_TRUTH = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: ~(a & b),
    "nor": lambda a, b: ~(a | b),
    "xor": lambda a, b: a ^ b,
    "xnor": lambda a, b: ~(a ^ b),
}


def logic_gate(name):
    """Truth table of a two-input gate ('and', 'or', 'nand', 'nor', 'xor', 'xnor').

    Returns
    -------
    X : (4, 2) array, the rows (0,0), (0,1), (1,0), (1,1)
    y : (4,) array of 0/1 targets
    """
    rule = lookup(_TRUTH, name, "gate")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=bool)
    y = rule(X[:, 0], X[:, 1])
    return X.astype(np.float64), y.astype(np.float64)


def _setup(n, noise, seed):
    n = check_positive(n, "n", integer=True)
    noise = check_nonnegative(noise, "noise")
    return n, noise, check_rng(seed)


def blobs(n=200, seed=None):
    """Two round Gaussian clusters (std 1): class 0 around (10, 10), class 1 around (0, 0).

    Returns X (n, 2) and y (n,); the first half is class 0.
    """
    n, _, rng = _setup(n, 0.0, seed)
    X = rng.standard_normal((n, 2))
    half = n // 2
    X[:half] += (10.0, 10.0)
    y = np.ones(n)
    y[:half] = 0.0
    return X, y


def circle(n=500, noise=0.0, seed=None):
    """A disc of class 1 (radius < 2.5) inside a ring of class 0 (radius 3.5 to 5)."""
    n, noise, rng = _setup(n, noise, seed)
    radius = 5.0
    inner = n // 2
    r = np.concatenate([rng.uniform(0, 0.5 * radius, inner),
                        rng.uniform(0.7 * radius, radius, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    # the label is decided on the jittered position, so noise can put points on the wrong side
    y = (np.hypot(*(X + jitter).T) < 0.5 * radius).astype(np.float64)
    return X, y


def xor(n=500, noise=0.0, seed=None):
    """Four quadrants: class 1 where x1 and x2 have the same sign (checkerboard)."""
    n, noise, rng = _setup(n, noise, seed)
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)                  # keep a small gap around the axes
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    y = (np.prod(X + jitter, axis=1) >= 0).astype(np.float64)
    return X, y


def gauss(n=500, noise=0.0, seed=None):
    """Two Gaussian clusters, class 1 around (2, 2) and class 0 around (-2, -2).

    Their variance grows with noise, from 0.5 (noise 0) to 4 (noise 0.5).
    """
    n, noise, rng = _setup(n, noise, seed)
    variance = 0.5 + (4.0 - 0.5) * min(noise / 0.5, 1.0)
    half = n // 2
    centres = np.array([[2.0, 2.0]] * half + [[-2.0, -2.0]] * (n - half))
    X = centres + np.sqrt(variance) * rng.standard_normal((n, 2))
    y = np.concatenate([np.ones(half), np.zeros(n - half)])
    return X, y


def spiral(n=500, noise=0.0, seed=None):
    """Two interleaved spiral arms, class 1 and class 0."""
    n, noise, rng = _setup(n, noise, seed)
    arms = []
    for label, (count, turn) in enumerate([(n - n // 2, np.pi), (n // 2, 0.0)]):
        i = np.arange(count)
        r = i / max(count, 1) * 5.0
        t = 1.75 * i / max(count, 1) * 2 * np.pi + turn
        points = np.column_stack([r * np.sin(t), r * np.cos(t)])
        points += rng.uniform(-1, 1, (count, 2)) * noise
        arms.append((points, np.full(count, float(label))))
    return np.concatenate([a[0] for a in arms]), np.concatenate([a[1] for a in arms])


def three_class(n=600, noise=0.0, seed=None):
    """Three Gaussian clusters on a circle of radius 3 (labels 0, 1, 2), for softmax."""
    n, noise, rng = _setup(n, noise, seed)
    y = np.arange(n) % 3
    angles = np.pi / 2 + 2 * np.pi * y / 3
    centres = 3.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    X = centres + (0.8 + 3.0 * noise) * rng.standard_normal((n, 2))
    return X, y.astype(np.float64)


def plane(n=500, noise=0.0, seed=None):
    """Regression on a tilted plane: target (x1 + x2) / 10, in [-1.2, 1.2]; X on [-6, 6]^2."""
    n, noise, rng = _setup(n, noise, seed)
    X = rng.uniform(-6, 6, (n, 2))
    jitter = rng.uniform(-6, 6, (n, 2)) * noise
    return X, (X + jitter).sum(axis=1) / 10.0


_BUMPS = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]


def gauss_regression(n=500, noise=0.0, seed=None):
    """Regression on six bumps of alternating sign; target in [-1, 1], X on [-6, 6]^2.

    Near a bump at distance d < 2, the target is sign * (1 - d / 2); elsewhere 0.
    """
    n, noise, rng = _setup(n, noise, seed)
    X = rng.uniform(-6, 6, (n, 2))
    P = X + rng.uniform(-6, 6, (n, 2)) * noise
    y = np.zeros(n)
    for cx, cy, sign in _BUMPS:
        value = sign * np.clip(1.0 - np.hypot(P[:, 0] - cx, P[:, 1] - cy) / 2.0, 0.0, 1.0)
        y = np.where(np.abs(value) > np.abs(y), value, y)
    return X, y


#: The generated two-dimensional data sets, one registry: name -> (problem, generator); every
#: generator takes (n, noise, seed). The playground offers them all.
GENERATED = {"circle": ("classification", circle), "xor": ("classification", xor),
             "gauss": ("classification", gauss), "spiral": ("classification", spiral),
             "three_class": ("classification", three_class), "plane": ("regression", plane),
             "gauss_regression": ("regression", gauss_regression)}
CLASSIFICATION = {name: make for name, (problem, make) in GENERATED.items()
                  if problem == "classification"}
REGRESSION = {"plane": plane, "gauss": gauss_regression}


def overlapping_1d(n=24, seed=1):
    """A small one-feature dataset whose classes overlap, so the best (w, b) of one sigmoid
    neuron is finite (the DescentExplorer's default data).

    Returns X (n, 1) sorted by x, and y (n,) of 0/1 labels: mostly 1 for large x.

    >>> X, y = overlapping_1d()
    >>> X.shape, y.shape, bool(np.all(np.diff(X[:, 0]) >= 0)), sorted(set(y.tolist()))
    ((24, 1), (24,), True, [0.0, 1.0])
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.normal(0.5, 1.2, n))
    y = (x + rng.normal(0.0, 0.7, n) > 0.8).astype(np.float64)
    return x.reshape(-1, 1), y


def grid(xlim, ylim, resolution):
    """Every point of a resolution x resolution grid over the box xlim x ylim, as rows.

    Returns
    -------
    xs : (resolution,), ys : (resolution,)
        The coordinates along each axis.
    points : (resolution * resolution, 2)
        Row i * resolution + j is (xs[j], ys[i]): reshape a value per point to
        (resolution, resolution) for an image whose row i is at y = ys[i].

    >>> xs, ys, points = grid((0, 1), (0, 2), 3)
    >>> points[:4].tolist()
    [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [0.0, 1.0]]
    """
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def iris():
    """Fisher's iris flowers, shipped as a CSV file in the package.

    Source: R. A. Fisher (1936), measurements by Edgar Anderson, as distributed by the UCI
    Machine Learning Repository (https://doi.org/10.24432/C56C76) under CC BY 4.0; see
    nnlab/data/README.md.

    Returns
    -------
    X : (150, 4) array of sepal length, sepal width, petal length, petal width (cm)
    y : (150,) integer array of species 0, 1, 2
    feature_names : list of 4 str
    class_names : list of 3 str ('setosa', 'versicolor', 'virginica')
    """
    path = os.path.join(os.path.dirname(__file__), "data", "iris.csv")
    with open(path, newline="") as f:
        rows = [row for row in csv.reader(f) if row and not row[0].startswith("#")]
    header, rows = rows[0], rows[1:]
    class_names = sorted({row[-1] for row in rows})
    X = np.array([[float(v) for v in row[:-1]] for row in rows])
    y = np.array([class_names.index(row[-1]) for row in rows])
    return X, y, header[:-1], class_names


def digits():
    """Handwritten digits, 8x8 pixels: the UCI optical-digits test set, shipped with the package.

    1797 digits written by 13 people, scanned at 32x32 and reduced to 8x8 by counting the ink
    pixels in each 4x4 block, so each pixel is an integer from 0 (white) to 16 (black).

    Source and licence: E. Alpaydin and C. Kaynak, *Optical Recognition of Handwritten Digits*,
    UCI Machine Learning Repository (1998), https://doi.org/10.24432/C50P49, licensed under
    CC BY 4.0. This is the same copy scikit-learn ships as ``load_digits``; see
    nnlab/data/README.md.

    Returns
    -------
    X : (1797, 64) float64 array
        The pixels row by row, values 0..16; ``X[i].reshape(8, 8)`` is image i.
    y : (1797,) int array
        The digit, 0..9.

    Examples
    --------
    >>> X, y = digits()
    >>> X.shape, y.shape, float(X.min()), float(X.max())
    ((1797, 64), (1797,), 0.0, 16.0)
    >>> sorted(set(y.tolist())) == list(range(10))
    True
    """
    path = os.path.join(os.path.dirname(__file__), "data", "digits.csv.gz")
    with gzip.open(path, "rt", newline="") as f:
        rows = [row for row in csv.reader(f) if row and not row[0].startswith("#")]
    table = np.array(rows[1:], dtype=np.int64)          # skip the header p0..p63,digit
    return table[:, :64].astype(np.float64), table[:, 64]


FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1^2": lambda X: X[:, 0] ** 2,
    "x2^2": lambda X: X[:, 1] ** 2,
    "x1*x2": lambda X: X[:, 0] * X[:, 1],
    "sin(x1)": lambda X: np.sin(X[:, 0]),
    "sin(x2)": lambda X: np.sin(X[:, 1]),
}


def features(X, names=("x1", "x2")):
    """The Playground's input features of 2-D points.

    Parameters
    ----------
    X : (n, 2) array
    names : sequence of names from FEATURES: 'x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin(x1)',
        'sin(x2)'

    Returns
    -------
    (n, len(names)) array, one column per feature in the given order.
    """
    X = check_X(X, 2)
    names = list(names)
    if not names:
        raise ValueError("names must list at least one feature, but got none")
    return np.column_stack([lookup(FEATURES, name, "feature")(X) for name in names])
