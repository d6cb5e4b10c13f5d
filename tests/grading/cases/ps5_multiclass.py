"""Simulated students for ps5 (the multi-class network): see the grading conventions in
tests/grading/harness.py.

ALTERNATIVE: correct answers written differently (loops, np.logaddexp, index lists). WRONG: a
confusion matrix with rows and columns swapped; only its own test catches it (the precision,
recall and balanced-accuracy tests build their matrices themselves). FAILING: the answer cell the
harness breaks and the test cells that then score 0. COPIER: everything the lessons show, their
collapsible answers included (parts 3, 4, 5 and 7a: the gradient of lesson 08, the loop, k-fold,
the confusion matrix, precision and recall), with the tasks no lesson shows wrong (parts 1, 2, 6
and 7b); that student must not pass.
"""

ALTERNATIVE = {
    # A loop over the examples, and the geometric mean as the exp of the mean log.
    "likelihood": '''
import math


def log_likelihood(Y_hat, y):
    total = 0.0
    for row, label in zip(np.asarray(Y_hat, dtype=float), np.asarray(y).tolist()):
        total += math.log(row[int(label)])
    return total


def typical_probability(Y_hat, y):
    logs = np.log(np.asarray(Y_hat, dtype=float)[np.arange(len(y)), np.asarray(y, dtype=int)])
    return math.exp(np.mean(logs))
''',
    # The log of the softmax with numpy's logaddexp, picked with the labels.
    "cce_from_scores": '''
def cce_from_scores(Y, Z):
    Z = np.asarray(Z, dtype=float)
    log_norm = np.logaddexp.reduce(Z, axis=1)
    labels = np.argmax(Y, axis=1)
    return float(np.mean(log_norm - Z[np.arange(len(Z)), labels]))
''',
    # Indices and an explicit weight per example.
    "weighted_cce_gradient": '''
def weighted_cce_gradient(Y, Z, class_weights):
    N = Z.shape[0]
    labels = np.argmax(Y, axis=1)
    per_example = np.array([class_weights[c] for c in labels], dtype=float)
    return (softmax(Z) - Y) * per_example.reshape(N, 1) / N
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
    # A list of the recalls of the classes that occur.
    "balanced_accuracy": '''
def balanced_accuracy(C):
    recalls = [row[c] / sum(row) for c, row in enumerate(np.asarray(C).tolist()) if sum(row) > 0]
    return sum(recalls) / len(recalls)
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

# The copier: lesson 08's gradient, the training loop, k-fold, the confusion matrix, precision and
# recall (lessons 06 and 13) as the solution; for the tasks no lesson shows, what the lessons'
# formulas give: the likelihood as lesson 06 defines it, a product (it underflows to 0 and its log
# warns), the clipped cross-entropy of the probabilities, the unweighted gradient with the weights
# pasted onto the targets, and the plain accuracy of the confusion matrix.
COPIER = ({
    "likelihood": '''
def log_likelihood(Y_hat, y):
    return float(np.log(np.prod(Y_hat[np.arange(len(y)), y])))


def typical_probability(Y_hat, y):
    return float(np.prod(Y_hat[np.arange(len(y)), y]) ** (1 / len(y)))
''',
    "cce_from_scores": '''
def cce_from_scores(Y, Z):
    Y_hat = np.clip(softmax(Z), 1e-7, 1 - 1e-7)
    return float(-np.mean(np.sum(Y * np.log(Y_hat), axis=1)))
''',
    "weighted_cce_gradient": '''
def weighted_cce_gradient(Y, Z, class_weights):
    return (softmax(Z) - Y * class_weights) / len(Z)
''',
    "balanced_accuracy": '''
def balanced_accuracy(C):
    C = np.asarray(C, dtype=float)
    return float(np.trace(C) / C.sum())
''',
}, ["test_likelihood", "test_cce_from_scores", "test_weighted_cce_gradient",
    "test_balanced_accuracy"])

# No lesson answer gives a part away that the copier would not already copy as lesson code.
FROM_LESSONS = {}

# Words that would give a transfer task away if a lesson said them.
TRANSFER_WORDS = {
    "likelihood": [r"geometric mean", r"underflows?"],
    "cce_from_scores": [r"log-?sum-?exp", r"logaddexp"],
    "weighted_cce_gradient": [r"class[- ]weights?", r"weigh(s|ted) (the loss|each class)"],
    "balanced_accuracy": [r"balanced accuracy", r"mean of the recalls"],
}
