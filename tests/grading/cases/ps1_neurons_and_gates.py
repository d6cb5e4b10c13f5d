"""Simulated students for ps1 (neurons and gates): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently from the instructor's (loops, other formulas,
other weights, another two-layer network, != and ^ mentioned in a docstring); they must score
full marks. WRONG: a step function
that does not fire at exactly zero; the visible test tries step(0.0), as the text stresses, so the
student sees it before grading. FAILING: the answer cell the harness breaks and the test cells
that then score 0. COPIER: a student who copies everything the lessons print (parts 1, 2, 3, 5)
and every lesson answer, but gets every transfer task wrong (parts 4, 6, 7); that student must
not pass.
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
    # A step that takes numbers and arrays but not lists (only weighted_sum promises lists: no test
    # may call step on one), and a sigmoid that clips z instead of splitting by sign.
    "step_and_sigmoid": '''
def step(z):
    return np.where(z >= 0, 1.0, 0.0)


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
    # The range written as the four conditions, checked one by one.
    "and_bias_range": '''
def and_bias_range(w1, w2):
    must_not_fire = [0.0, w1, w2]          # rows 00, 10, 01: their sums minus b
    must_fire = w1 + w2                    # row 11
    low = -must_fire
    high = min(-s for s in must_not_fire)
    if high <= low:
        return None
    return low, high
''',
    # Parity with four hidden neurons: "at least one", "at least two", "at least three", "none"
    # (the last one unused by the output), and other weights.
    "parity_network": '''
def parity_network(X):
    X = np.array(X, dtype=float)
    count = X.sum(axis=1)
    hidden = np.column_stack([(2 * count - 1 >= 0), (2 * count - 3 >= 0), (2 * count - 5 >= 0),
                              (-count >= 0)]).astype(float)
    output = (2 * hidden[:, 0] - 2 * hidden[:, 1] + 2 * hidden[:, 2] + 0 * hidden[:, 3] - 1 >= 0)
    return hidden, output.astype(float)
''',
    # NOT with a constant input, OR and XOR in other circuits.
    "nand_only": '''
def not_(a):
    return nand(a, 1)


def and_(a, b):
    return nand(nand(a, b), 1)


def or_(a, b):
    return nand(nand(a, a), nand(b, b))


def xor_(a, b):
    return and_(or_(a, b), nand(a, b))
''',
    # Another network: hidden OR and AND, output "OR and not AND".
    "xor_network": '''
def fire(z):
    return np.where(z >= 0, 1.0, 0.0)


def xor_network(X):
    """Not X[:, 0] != X[:, 1], X[:, 0] ^ X[:, 1] or np.logical_xor: neurons only."""
    # (the grader judges behaviour: these words in a docstring or comment cost nothing)
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

# Parts whose answer a lesson answer (a <details> block of course/) gives away: none. Lesson 03's
# answers give the biases for AND with w = (1, 1) (the first check of part 4's test, not all of it).
FROM_LESSONS = {}

# The copier: the lessons' code for parts 1, 2, 3 and 5 (the solution), and for the transfer tasks
# what copying the lessons gives: the one bias range of the OR/AND picture without the cases where
# no bias works, XOR of the first two inputs, gates written with arithmetic instead of NAND.
COPIER = ({
    "and_bias_range": '''
def and_bias_range(w1, w2):
    return -(w1 + w2), -max(w1, w2)
''',
    "parity_network": '''
def parity_network(X):
    X = np.asarray(X, dtype=float)
    hidden = np.column_stack([X[:, 0] + X[:, 1] - 1 >= 0,
                              -X[:, 0] - X[:, 1] + 1 >= 0]).astype(float)
    return hidden, (hidden.sum(axis=1) - 2 >= 0).astype(float)
''',
    "nand_only": '''
def not_(a):
    return 1 - a


def and_(a, b):
    return a * b


def or_(a, b):
    return a + b - a * b


def xor_(a, b):
    return (a + b) % 2
''',
}, ["test_and_bias_range", "test_parity", "test_nand"])

# Words that would give a transfer task's answer away: no lesson may contain them (checked in
# tests/grading/test_simulated_class.py), or the task is no longer transfer.
TRANSFER_WORDS = {
    "and_bias_range": [r"-\(w_1 \+ w_2\) \\le b", r"\\min\(0, -w_1, -w_2\)"],
    "parity_network": [r"parity"],
    "nand_only": [r"from NAND alone", r"NAND is universal", r"universal gate"],
}
