"""Simulated students for ps4 (backpropagation and the MLP): see the grading conventions.

ALTERNATIVE holds correct answers written differently from the instructor's solution (loops,
other numpy routines, other names); they must score full marks. WRONG is one plausible mistake
and the test cells it must lose. FAILING names the answer cell that the harness breaks, and
every test cell that depends on it.
"""

ALTERNATIVE = {
    # A running total over the layers.
    "count_parameters": '''
def count_parameters(layer_sizes):
    sizes = list(layer_sizes)
    if len(sizes) <= 1:
        raise ValueError("layer_sizes must have an input and an output size, got " + str(sizes))
    total = 0
    for i in range(1, len(sizes)):
        total += (sizes[i - 1] + 1) * sizes[i]      # weights plus one bias per neuron
    return total
''',
    # Softmax through the log-sum-exp trick, one row at a time.
    "softmax": '''
def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    out = np.empty_like(Z)
    for i, row in enumerate(Z):
        top = row.max()
        log_norm = top + np.log(np.sum(np.exp(row - top)))
        out[i] = np.exp(row - log_norm)
    return out
''',
    # Backpropagation sample by sample, with outer products, averaged at the end.
    "backward": '''
def backward(Y, params, cache):
    n = Y.shape[0]
    grads = {key: np.zeros_like(value, dtype=float) for key, value in params.items()}
    for x, a1, a2, y in zip(cache["X"], cache["A1"], cache["A2"], Y):
        delta_out = a2 - y
        delta_hidden = (params["W2"] @ delta_out) * (1 - a1 * a1)   # tanh' = 1 - tanh^2
        grads["W2"] += np.outer(a1, delta_out)
        grads["b2"] += delta_out
        grads["W1"] += np.outer(x, delta_hidden)
        grads["b1"] += delta_hidden
    return {key: g / n for key, g in grads.items()}
''',
    # Flat indices with np.unravel_index, and a generator expression for the error.
    "gradient_check": '''
def numerical_gradient(f, x, eps=1e-6):
    result = np.empty(x.shape, dtype=float)
    for flat in range(x.size):
        where = np.unravel_index(flat, x.shape)
        original = float(x[where])
        x[where] = original + eps
        plus = f(x)
        x[where] = original - eps
        minus = f(x)
        x[where] = original
        result[where] = (plus - minus) / eps / 2
    return result


def relative_error(a, b):
    pairs = zip(np.ravel(a), np.ravel(b))
    return max((abs(u - v) / max(abs(u) + abs(v), 1e-3) for u, v in pairs), default=0.0)
''',
}

# Categorical cross-entropy averaged over every entry (dividing by n * k) instead of summing
# over the classes: the instructor's other answers never call cce, so only its test loses.
WRONG = (
    "cce",
    '''
def one_hot(y, k):
    y = np.asarray(y)
    if np.any((y < 0) | (y >= k) | (y != np.round(y))):
        raise ValueError(f"y must hold labels 0..{k - 1}")
    return np.eye(k)[y.astype(int)]


def cce(Y, P):
    P = np.clip(P, 1e-7, 1 - 1e-7)
    return float(-np.mean(Y * np.log(P)))
''',
    ["test_cce"],
)

# forward uses softmax for its softmax output, and the iris workflow trains through forward.
FAILING = ("softmax", ["test_softmax", "test_forward", "test_iris"])

# Answers that hand the work to nnlab, directly or under another name: the hidden tests reject
# them, and every answer that reaches them (forward and train call softmax).
CALLS_NNLAB = [
    ("softmax", '''
from nnlab.activations import softmax
''', ["test_softmax", "test_forward", "test_iris"]),
    ("gradient_check", '''
import nnlab.gradcheck as checks


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        up = f(x)
        x[index] = saved - eps
        grad[index] = (up - f(x)) / (2 * eps)
        x[index] = saved
    return grad


def relative_error(a, b):
    return float(checks.relative_error(a, b).max())
''', ["test_gradient_check"]),
]
