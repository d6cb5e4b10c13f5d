"""Simulated students for ps1 (neurons and gates): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently from the instructor's (loops, other formulas,
other weights, another two-layer network); they must score full marks. WRONG: a step function
that does not fire at exactly zero. It passes the visible test and only the hidden one catches
it. FAILING: the answer cell the harness breaks and the test cells that then score 0.
"""

ALTERNATIVE = {
    # Python loops over samples and inputs instead of a matrix product.
    "weighted_sum": '''
def weighted_sum(X, w, b):
    rows = np.atleast_2d(np.asarray(X, dtype=float))
    sums = []
    for row in rows:
        total = b
        for x_i, w_i in zip(row, w):
            total += x_i * w_i
        sums.append(total)
    if np.ndim(X) == 1:
        return sums[0]
    return np.array(sums)
''',
    # A comparison cast to float, and a sigmoid that clips z instead of splitting by sign.
    "step_and_sigmoid": '''
def step(z):
    return (np.array(z, dtype=float) >= 0).astype(float)


def sigmoid(z):
    z = np.clip(np.asarray(z, dtype=float), -500.0, 500.0)  # exp(500) is still finite
    return 1.0 / (1.0 + np.exp(-z))
''',
    # Other weights that draw other, equally good lines.
    "gate_weights": '''
def gate_weights(name):
    table = {
        "or": ((1.0, 1.0), -1.0),
        "and": ((0.5, 0.5), -0.75),
        "nand": ((-2.0, -2.0), 3.0),
        "nor": ((-1.0, -1.0), 0.5),
    }
    w, b = table[name.lower()]
    return w, b
''',
    # Another network: hidden OR and AND, output "OR and not AND".
    "xor_network": '''
def fire(h):
    return np.where(h >= 0, 1.0, 0.0)


def xor_network(X):
    X = np.asarray(X, dtype=float)
    h_or = fire(X[:, 0] + X[:, 1] - 1.0)
    h_and = fire(X[:, 0] + X[:, 1] - 2.0)
    hidden = np.column_stack([h_or, h_and])
    output = fire(1.0 * h_or - 1.0 * h_and - 1.0)
    return hidden, output
''',
}

WRONG = ("step_and_sigmoid", '''
def step(z):
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, 0.0)   # misses z == 0


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
''', ["test_step"])

FAILING = ("gate_weights", ["test_gates"])
