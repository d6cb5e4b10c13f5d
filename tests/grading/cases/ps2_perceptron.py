"""Simulated students for ps2 (the perceptron): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently (loops, if/else instead of arithmetic on the
error, indices, a while loop). WRONG: training that never stops early. It still learns AND and
the blobs, so the visible tests pass; the hidden comparison of the mistakes per epoch with nnlab
catches it. FAILING: the answer cell the harness breaks and the test cells that then score 0.
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
