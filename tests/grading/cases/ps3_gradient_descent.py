"""Simulated students for ps3 (gradient descent, SGD, mini-batch): see the grading conventions.

ALTERNATIVE holds correct answers written differently from the instructor's solution (loops
instead of vectorised numpy, other helper names, another but equivalent algorithm); they must
score full marks. WRONG is one plausible mistake and the test cells it must lose. FAILING names
the answer cell that the harness breaks, and every test cell that depends on it. COPIER copies
every lesson (task 3c is lesson 09's schedule) and lesson answer, and gets the transfer tasks
2b, 3b, 3d (the fastest rate) and 5b wrong.
"""

ALTERNATIVE = {
    # Python loops and math.log instead of numpy reductions.
    "losses": '''
import math

EPSILON = 1e-7


def mse(y, y_hat):
    flat_y, flat_p = np.ravel(y), np.ravel(y_hat)
    total = 0.0
    for target, guess in zip(flat_y, flat_p):
        total += (guess - target) ** 2
    return total / len(flat_y)


def bce(y, y_hat):
    flat_y, flat_p = np.ravel(y), np.ravel(y_hat)
    total = 0.0
    for target, guess in zip(flat_y, flat_p):
        guess = min(max(guess, EPSILON), 1 - EPSILON)
        total -= target * math.log(guess) + (1 - target) * math.log(1 - guess)
    return total / len(flat_y)
''',
    # A sigmoid that never overflows, and the gradient summed sample by sample.
    "neuron_gradient": '''
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def predict_proba(X, w, b):
    return sigmoid(np.dot(X, w) + b)


def neuron_gradient(X, y, w, b):
    p = predict_proba(X, w, b)
    dw, db = np.zeros(len(w)), 0.0
    for x_i, p_i, y_i in zip(X, p, y):
        dw += (p_i - y_i) * x_i
        db += p_i - y_i
    return dw / len(X), db / len(X)
''',
    # SGD written as mini-batch training with batches of one.
    "sgd": '''
def train_minibatch(X, y, w, b, learning_rate, epochs, batch_size, rng):
    params = [np.array(w, dtype=float), b]
    for epoch in range(epochs):
        for features, labels in minibatches(X, y, batch_size, rng):
            params = gd_step(params, list(neuron_gradient(features, labels, *params)),
                             learning_rate)
    return params[0], params[1]


def train_sgd(X, y, w, b, learning_rate, epochs, rng):
    return train_minibatch(X, y, w, b, learning_rate, epochs, 1, rng)
''',
    # The weighted gradient through the BCE gradient and the chain rule, sample weights explicit.
    "weighted_gradient": '''
def weighted_neuron_gradient(X, y, w, b, pos_weight):
    p = predict_proba(X, w, b)
    sample_weight = np.where(y == 1, pos_weight, 1.0)
    # weighted BCE: dL/dp = weight * (p - y) / (p (1 - p)) / n, and dp/dz = p (1 - p)
    dz = sample_weight * (p - y) / len(y)
    return X.T @ dz, float(dz.sum())
''',
    # Per-sample gradients written out in one matrix product, the variance with ddof=0 by hand.
    "gradient_noise": '''
def minibatch_gradient_std(X, y, w, b, batch_size):
    n = X.shape[0]
    error = predict_proba(X, w, b) - y                  # one row per sample
    per_sample = np.column_stack([X * error[:, None], error])
    centred = per_sample - per_sample.mean(axis=0)
    variance = (centred ** 2).sum(axis=0) / n
    if n == 1:
        return np.zeros(X.shape[1]), 0.0
    spread = np.sqrt(variance / batch_size * (n - batch_size) / (n - 1))
    return spread[:-1], float(spread[-1])
''',
    # Indices shuffled in place and a while loop.
    "minibatches": '''
def minibatches(X, y, batch_size, rng):
    if int(batch_size) != batch_size or batch_size <= 0:
        raise ValueError("batch_size should be a positive integer, got " + str(batch_size))
    idx = np.arange(len(y))
    rng.shuffle(idx)
    start = 0
    while start < len(idx):
        part = idx[start:start + batch_size]
        yield X[part], y[part]
        start += batch_size
''',
    # The schedule with math and the half-angle form of the cosine, in one expression per phase.
    "schedule": '''
import math


def scheduled_rate(step, peak, warmup_steps, total_steps):
    if step >= total_steps:
        return 0.0
    if step < warmup_steps:
        return float(peak * (step + 1) / warmup_steps)
    x = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(peak * math.cos(math.pi * x / 2) ** 2)
''',
    # The batch gradients collected in lists, then averaged with np.average weighted by size.
    "accumulate": '''
def accumulate(X, y, w, b, batch_size):
    starts = range(0, len(X), batch_size)
    pieces = [neuron_gradient(X[i:i + batch_size], y[i:i + batch_size], w, b) for i in starts]
    sizes = [len(X[i:i + batch_size]) for i in starts]
    return (np.average([dw for dw, _ in pieces], axis=0, weights=sizes),
            float(np.average([db for _, db in pieces], weights=sizes)))
''',
    # The Hessian entry by entry in loops; the rate from eigvals (not eigvalsh), min and max.
    "conditioning": '''
def loss_hessian(X):
    X = np.array(X, dtype=float)
    n, d = X.shape
    H = np.zeros((d, d))
    for j in range(d):
        for k in range(d):
            H[j, k] = 2 * sum(X[i, j] * X[i, k] for i in range(n)) / n
    return H


def fastest_learning_rate(X):
    curvatures = np.linalg.eigvals(loss_hessian(X)).real
    low, high = curvatures.min(), curvatures.max()
    # the worst factors 1 - eta low and eta high - 1 are equal there
    return 2 / (low + high)
''',
}

# The derivative of BCE with the sign flipped (a gradient *ascent* direction). The instructor's
# other answers do not call bce_gradient, so only its own test cell loses points.
WRONG = (
    "bce_gradient",
    '''
def bce_gradient(y, y_hat):
    y_hat = np.clip(np.asarray(y_hat, dtype=float), 1e-7, 1 - 1e-7)
    return (y - y_hat) / (y_hat * (1 - y_hat)) / y_hat.size
''',
    ["test_bce_gradient"],
)

# sigmoid, predict_proba and neuron_gradient live in this cell; the weighted gradient, full-batch,
# SGD/mini-batch training, accumulation and the gradient noise all build on them.
FAILING = (
    "neuron_gradient",
    ["test_neuron_gradient", "test_weighted_gradient", "test_full_batch", "test_sgd",
     "test_accumulate", "test_gradient_noise"],
)

# Answers that hand the work to nnlab, directly or under another name: the hidden tests reject
# them (they inspect which globals, imports and notebook functions the answer's code reaches).
# Parts whose answer a lesson answer (a <details> block of course/) gives away: none. (Lesson 07's
# answers say that too large a rate overshoots, and section 7 (feature scaling) that the boundary
# is 2 / lambda_max for a quadratic loss of largest curvature lambda_max, the largest stable rate,
# not task 3b's boundary for L = a w**2, which needs its curvature 2a, nor task 3d's fastest rate;
# lesson 09's give the schedule's effect, and task 3c follows lesson 09's code anyway.)
FROM_LESSONS = {}

# The copier: tasks 1 to 5 and 3c as the lessons print them (the solution); for the transfer tasks
# the unweighted gradient of lesson 07, the boundary read off the plot for a = 1, and the noise of
# a mean of independent draws (sigma / sqrt(B)), which forgets that a batch holds distinct samples.
COPIER = ({
    "weighted_gradient": '''
def weighted_neuron_gradient(X, y, w, b, pos_weight):
    return neuron_gradient(X, y, w, b)
''',
    "max_stable_rate": '''
def max_stable_learning_rate(a):
    return 1.0
''',
    # the Hessian as lesson 07 writes it, and the rate just under the limit its widget marks
    "conditioning": '''
def loss_hessian(X):
    X = np.asarray(X, dtype=float)
    return 2 * X.T @ X / len(X)


def fastest_learning_rate(X):
    return float(0.99 * 2 / np.linalg.eigvalsh(loss_hessian(X)).max())
''',
    "gradient_noise": '''
def minibatch_gradient_std(X, y, w, b, batch_size):
    per_sample = [neuron_gradient(X[i:i + 1], y[i:i + 1], w, b) for i in range(len(X))]
    dws = np.array([dw for dw, _ in per_sample])
    dbs = np.array([db for _, db in per_sample])
    return dws.std(axis=0) / np.sqrt(batch_size), float(dbs.std() / np.sqrt(batch_size))
''',
}, ["test_weighted_gradient", "test_max_stable_rate", "test_fastest_rate", "test_gradient_noise"])

# Words that would give a transfer task's answer away: no lesson may contain them (checked in
# tests/grading/test_simulated_class.py), or the task is no longer transfer.
TRANSFER_WORDS = {
    "weighted_gradient": [r"pos_weight", r"weighs? the positive"],
    "max_stable_rate": [r"\\eta\s*<\s*1\s*/\s*a", r"1\s*-\s*2\s*a\s*\\eta"],
    "gradient_noise": [r"without replacement", r"\(N\s*-\s*B\)\s*/\s*\(N\s*-\s*1\)"],
    "conditioning": [r"\\lambda_\\text\{min\}\s*\+\s*\\lambda_\\text\{max\}",
                     r"2\s*/\s*\(\s*\\lambda", r"fastest learning rate"],
}

CALLS_NNLAB = [
    ("losses", '''
from nnlab.losses import binary_crossentropy as bce, mse
''', ["test_losses"]),
    ("minibatches", '''
from nnlab import training as tools


def minibatches(X, y, batch_size, rng):
    return tools.minibatches(X, y, batch_size, shuffle=True, seed=rng)
''', ["test_minibatches", "test_sgd"]),  # train_minibatch uses it
]
