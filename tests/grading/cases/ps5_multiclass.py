"""Simulated students for ps5 (the multi-class network): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently (loops, np.logaddexp, an index-based training
loop). WRONG: a confusion matrix with rows and columns swapped; only its own test catches it (the
precision/recall test builds its matrices itself). FAILING: the answer cell the harness breaks and
the test cells that then score 0. COPIER: everything the lessons print (parts 1-3, 5-7) but the
transfer tasks wrong (parts 4, 8, 9); that student must not pass.
"""

ALTERNATIVE = {
    # A loop over the labels.
    "one_hot": '''
def one_hot(y, k):
    rows = []
    for label in np.asarray(y).tolist():
        if label not in range(k):
            raise ValueError("every label in y must be one of 0.." + str(k - 1)
                             + ", got " + str(label))
        row = [0.0] * k
        row[int(label)] = 1.0
        rows.append(row)
    return np.array(rows).reshape(len(rows), k)
''',
    # The log of the softmax with numpy's logaddexp, picked with the labels.
    "cce_from_scores": '''
def cce_from_scores(Y, Z):
    Z = np.asarray(Z, dtype=float)
    log_norm = np.logaddexp.reduce(Z, axis=1)
    labels = np.argmax(Y, axis=1)
    return float(np.mean(log_norm - Z[np.arange(len(Z)), labels]))
''',
    # Indices and an explicit weight per sample.
    "weighted_cce_gradient": '''
def weighted_cce_gradient(Y, Z, class_weights):
    n = Z.shape[0]
    labels = np.argmax(Y, axis=1)
    per_sample = np.array([class_weights[c] for c in labels], dtype=float)
    return (softmax(Z) - Y) * per_sample.reshape(n, 1) / n
''',
    # Loops over the classes, no division by zero.
    "precision_recall": '''
def precision_recall(C):
    k = len(C)
    precision, recall = np.zeros(k), np.zeros(k)
    for c in range(k):
        column, row = sum(C[r][c] for r in range(k)), sum(C[c])
        if column:
            precision[c] = C[c][c] / column
        if row:
            recall[c] = C[c][c] / row
    return precision, recall
''',
}

WRONG = ("confusion_matrix", '''
def confusion_matrix(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[p, t] += 1          # rows and columns swapped
    return C
''', ["test_confusion"])

FAILING = ("precision_recall", ["test_precision_recall"])

# The copier: the lessons' softmax, clipped cross-entropy, P - Y gradient, training loop, k-fold
# and confusion matrix (the solution); for the transfer tasks what the lessons' formulas give:
# the clipped loss of the probabilities, the unweighted gradient with the weights pasted onto the
# targets, and plain divisions that warn (and give nan) for a class never predicted.
COPIER = ({
    "cce_from_scores": '''
def cce_from_scores(Y, Z):
    return cce(Y, softmax(Z))
''',
    "weighted_cce_gradient": '''
def weighted_cce_gradient(Y, Z, class_weights):
    return (softmax(Z) - Y * class_weights) / len(Z)
''',
    "precision_recall": '''
def precision_recall(C):
    C = np.asarray(C, dtype=float)
    return np.diag(C) / C.sum(axis=0), np.diag(C) / C.sum(axis=1)
''',
}, ["test_cce_from_scores", "test_weighted_cce_gradient", "test_precision_recall"])
