"""Independent correct answers to ps3's `losses` cell (mse and bce), as different students
would write them, and a copy of one of them with renamed variables and reordered lines.

Each is a full answer cell: the release's EPSILON line and function headers, then a body.
"""

HEADER = "EPSILON = 1e-7   # probabilities are clipped to [EPSILON, 1 - EPSILON] inside the logs\n"

INDEPENDENT = {
    "ines": HEADER + '''

def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(np.mean((p - y) ** 2))


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), EPSILON, 1 - EPSILON)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
''',
    "jonas": HEADER + '''

def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    diff = np.subtract(p, y)
    total = np.sum(np.square(diff))
    return total / np.size(diff)


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    q = np.minimum(np.maximum(p, EPSILON), 1 - EPSILON)
    terms = np.where(np.asarray(y) == 1, np.log(q), np.log(1 - q))
    return -terms.sum() / terms.size
''',
    "karin": HEADER + '''
import math


def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    pairs = list(zip(np.ravel(y), np.ravel(p)))
    return sum((b - a) ** 2 for a, b in pairs) / len(pairs)


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    losses = []
    for label, prob in zip(np.ravel(y), np.ravel(p)):
        prob = min(max(prob, EPSILON), 1 - EPSILON)
        losses.append(-(label * math.log(prob) + (1 - label) * math.log(1 - prob)))
    return sum(losses) / len(losses)
''',
    "lars": HEADER + '''

def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    e = (np.array(p, float) - np.array(y, float)).ravel()
    return float(e @ e) / e.shape[0]


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    y = np.array(y, float).ravel()
    p = np.array(p, float).ravel().clip(EPSILON, 1 - EPSILON)
    log_likelihood = y @ np.log(p) + (1 - y) @ np.log1p(-p)
    return float(-log_likelihood / len(y))
''',
    "mona": HEADER + '''

def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    return np.average(np.power(np.asarray(y) - np.asarray(p), 2))


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    y = np.asarray(y)
    safe = np.clip(p, EPSILON, 1.0 - EPSILON)
    positive = y * np.log(safe)
    negative = (1.0 - y) * np.log(1.0 - safe)
    return -np.average(positive + negative)
''',
    "nils": HEADER + '''

def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    squared = (y - p) * (y - p)
    return squared.mean()


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    p = np.where(p < EPSILON, EPSILON, np.where(p > 1 - EPSILON, 1 - EPSILON, p))
    return -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()
''',
}

#: "olga" is the source of the copy; "petra" hands in her answer with every variable renamed
#: and the lines (and the two functions) reordered.
COPIED_FROM = "olga"
COPIER = "petra"

ORIGINAL = HEADER + '''

def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    targets = np.asarray(y, dtype=float).reshape(-1)
    guesses = np.asarray(p, dtype=float).reshape(-1)
    residuals = guesses - targets
    n_items = residuals.shape[0]
    return float(np.dot(residuals, residuals) / n_items)


def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    targets = np.asarray(y, dtype=float).reshape(-1)
    clipped = np.clip(np.asarray(p, dtype=float).reshape(-1), EPSILON, 1 - EPSILON)
    log_pos = np.log(clipped)
    log_neg = np.log(1 - clipped)
    per_item = -(targets * log_pos + (1 - targets) * log_neg)
    return float(per_item.sum() / per_item.shape[0])
'''

COPY = HEADER + '''

def bce(y, p):
    """Binary cross-entropy, the mean over all elements; p is clipped first."""
    c = np.clip(np.asarray(p, dtype=float).reshape(-1), EPSILON, 1 - EPSILON)
    t = np.asarray(y, dtype=float).reshape(-1)
    b = np.log(1 - c)
    a = np.log(c)
    each = -(t * a + (1 - t) * b)
    return float(each.sum() / each.shape[0])


def mse(y, p):
    """Mean squared error over all elements; y and p have the same shape."""
    guess = np.asarray(p, dtype=float).reshape(-1)
    truth = np.asarray(y, dtype=float).reshape(-1)
    r = guess - truth
    count = r.shape[0]
    return float(np.dot(r, r) / count)
'''

ANSWERS = {**INDEPENDENT, COPIED_FROM: ORIGINAL, COPIER: COPY}
