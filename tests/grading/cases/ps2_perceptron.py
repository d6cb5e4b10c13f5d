"""Simulated students for ps2 (the perceptron): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently (loops, if/else instead of arithmetic on the
error, indices, a while loop, a list of lines and argmin). WRONG: training that never stops
early. It still learns AND and the blobs; the visible check that the errors end at the first
epoch without mistakes catches it. FAILING: the answer cell the harness breaks and the test
cells that then score 0. COPIER: the lesson's perceptron (parts 1 to 4) with the transfer tasks
wrong (parts 5 and 6); no lesson answer gives away a part of this set (FROM_LESSONS is empty).
"""

ALTERNATIVE = {
    "predict": '''
def predict(X, w, b):
    answers = []
    for x in X:
        z = sum(w_i * x_i for w_i, x_i in zip(w, x)) + b
        answers.append(1.0 if z >= 0 else 0.0)
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
        z = sum(w_i * x_i for w_i, x_i in zip(w, x)) + b
        margins.append(z / length if label == 1 else -z / length)
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
    # Every line kept in a list, counted at the end; argmin picks the first of equal counts.
    "pocket": '''
def fit_pocket(X, y, learning_rate=1.0, max_epochs=100):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    lines = [(w, b)]
    for _ in range(max_epochs):
        w, b, mistakes = train_epoch(w, b, X, y, learning_rate)
        lines.append((w, b))
        if mistakes == 0:
            break
    wrong = [int(np.count_nonzero((X @ lw + lb >= 0) != (y == 1))) for lw, lb in lines]
    best = int(np.argmin(wrong))
    return lines[best][0], lines[best][1], wrong[best]
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

# Parts whose answer a lesson answer (a <details> block of course/) gives away: none in this set
# (part 6 used to ask what lesson 04's answer 5 says about the learning rate: the pocket replaced
# it).
FROM_LESSONS = {}

# The copier: parts 1 to 4 as the lesson does them (the solution); for the transfer tasks the
# theorem applied to the weights alone (the bias forgotten), and a pocket kept by the lesson's
# count of mistakes per epoch (made by a moving line) instead of the samples the line gets wrong.
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
    "pocket": '''
def fit_pocket(X, y, learning_rate=1.0, max_epochs=100):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    best = (np.inf, w, b)
    for _ in range(max_epochs):
        w, b, mistakes = train_epoch(w, b, X, y, learning_rate)
        if mistakes < best[0]:
            best = (mistakes, w, b)
        if mistakes == 0:
            break
    mistakes, w, b = best
    return w, b, int(mistakes) if np.isfinite(mistakes) else 0
''',
}, ["test_mistake_bound", "test_pocket"])

# Words that would give a transfer task's answer away: no lesson may contain them (checked in
# tests/grading/test_simulated_class.py), or the task is no longer transfer.
TRANSFER_WORDS = {
    "mistake_bound": [r"\(R\s*/\s*\\gamma\)", r"mistake bound", r"Novikoff's bound"],
    "pocket": [r"pocket", r"best line (seen|so far)"],
}
