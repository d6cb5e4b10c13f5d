"""Simulated students for ps2 (the perceptron): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently (loops, if/else instead of arithmetic on the
error, indices, a while loop). WRONG: training that never stops early. It still learns AND and
the blobs, so the visible tests pass; the hidden comparison of the mistakes per epoch with nnlab
catches it. FAILING: the answer cell the harness breaks and the test cells that then score 0.
COPIER: the lesson's perceptron (parts 1 to 4) with the transfer tasks wrong (parts 5 and 6).
"""

ALTERNATIVE = {
    "predict": '''
def predict(X, w, b):
    answers = []
    for x in X:
        h = sum(w_i * x_i for w_i, x_i in zip(w, x)) + b
        answers.append(1.0 if h >= 0 else 0.0)
    return np.array(answers)
''',
    "update": '''
def update(w, b, x, target, learning_rate=1.0):
    fired = int(np.dot(w, x) + b >= 0)
    if fired == target:
        return np.array(w, dtype=float), b, False
    direction = 1.0 if target == 1 else -1.0
    moved = np.array(w, dtype=float) + learning_rate * direction * np.asarray(x, dtype=float)
    return moved, b + learning_rate * direction, True
''',
    "train_epoch": '''
def train_epoch(w, b, X, y, learning_rate=1.0):
    count = 0
    for i in range(len(X)):
        w, b, wrong = update(w, b, X[i], y[i], learning_rate=learning_rate)
        if wrong:
            count += 1
    return w, b, count
''',
    # The bound with loops, the margin of each sample computed one by one.
    "mistake_bound": '''
import math


def mistake_bound(X, y, w, b):
    length = math.sqrt(sum(v * v for v in w) + b * b)
    margins, radii = [], []
    for x, label in zip(X, y):
        h = sum(w_i * x_i for w_i, x_i in zip(w, x)) + b
        margins.append(h / length if label == 1 else -h / length)
        radii.append(math.sqrt(sum(x_i * x_i for x_i in x) + 1))
    if min(margins) <= 0:
        return float("inf")
    return (max(radii) / min(margins)) ** 2
''',
    "fit_perceptron": '''
def fit_perceptron(X, y, learning_rate=1.0, max_epochs=100):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    history = []
    while len(history) < max_epochs and (not history or history[-1] > 0):
        w, b, mistakes = train_epoch(w, b, X, y, learning_rate)
        history.append(mistakes)
    return w, b, history, len(history) > 0 and history[-1] == 0
''',
}

WRONG = ("fit_perceptron", '''
def fit_perceptron(X, y, learning_rate=1.0, max_epochs=100):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    errors = []
    for _ in range(max_epochs):   # forgets to stop after an epoch without mistakes
        w, b, mistakes = train_epoch(w, b, X, y, learning_rate)
        errors.append(mistakes)
    return w, b, errors, bool(errors) and errors[-1] == 0
''', ["test_fit"])

FAILING = ("fit_perceptron", ["test_fit", "test_fit_xor"])

# The copier: parts 1 to 4 as the lesson does them (the solution); for the transfer tasks the
# theorem applied to the weights alone (the bias forgotten), and "the learning rate changes
# nothing" taken literally.
COPIER = ({
    "mistake_bound": '''
def mistake_bound(X, y, w, b):
    X, w = np.asarray(X, dtype=float), np.asarray(w, dtype=float)
    signs = np.where(y == 1, 1.0, -1.0)
    gamma = np.min(signs * (X @ w)) / np.linalg.norm(w)
    if gamma <= 0:
        return np.inf
    return float((np.max(np.linalg.norm(X, axis=1)) / gamma) ** 2)
''',
    "weights_for_rate": '''
def weights_for_rate(w1, b1, learning_rate):
    return np.asarray(w1, dtype=float), b1
''',
}, ["test_mistake_bound", "test_weights_for_rate"])
