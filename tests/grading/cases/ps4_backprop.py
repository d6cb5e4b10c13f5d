"""Simulated students for ps4 (backpropagation and the MLP): see the grading conventions.

ALTERNATIVE holds correct answers written differently from the instructor's solution (loops,
other numpy routines, other names); they must score full marks. WRONG is one plausible mistake
and the test cells it must lose. FAILING names the answer cell that the harness breaks, and
every test cell that depends on it. COPIER copies what the lessons print and what their answers say
(parts 1 to 5 and 8: 10 of 21 points) and gets the transfer tasks (parts 6, 7a and 7b: 11 points)
wrong: it must not pass. No lesson answer gives a part of this set away (FROM_LESSONS is empty).
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
    # Backpropagation with einsum (sums of per-sample outer products) and tanh' from Z1.
    "backward": '''
def backward(Y, params, cache):
    n = Y.shape[0]
    delta_out = (cache["A2"] - Y) / n
    delta_hidden = np.einsum("nk,hk->nh", delta_out, params["W2"]) / np.cosh(cache["Z1"]) ** 2
    return {"W2": np.einsum("nh,nk->hk", cache["A1"], delta_out),
            "b2": np.einsum("nk->k", delta_out),
            "W1": np.einsum("ni,nh->ih", cache["X"], delta_hidden),
            "b1": np.einsum("nh->h", delta_hidden)}
''',
    # The full k x k Jacobian of each row, with einsum (correct, if wasteful).
    "softmax_backward": '''
def softmax_backward(P, dP):
    k = P.shape[1]
    jacobians = P[:, :, None] * (np.eye(k)[None, :, :] - P[:, None, :])   # d p_j / d z_m
    return np.einsum("nj,njm->nm", dP, jacobians)
''',
    # The layers listed first, then walked from the top down with tanh' written from Z.
    "backward_deep": '''
def backward_deep(Y, params, cache):
    depth = sum(1 for key in params if key.startswith("W"))
    inputs = [cache["X"]] + [cache["A" + str(layer)] for layer in range(1, depth)]
    grads = {}
    delta = (cache["A" + str(depth)] - Y) / Y.shape[0]
    for layer in reversed(range(1, depth + 1)):
        grads["W" + str(layer)] = np.einsum("ni,no->io", inputs[layer - 1], delta)
        grads["b" + str(layer)] = delta.sum(axis=0)
        if layer > 1:
            delta = delta @ params["W" + str(layer)].T / np.cosh(cache["Z" + str(layer - 1)]) ** 2
    return grads
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

# The copier: parts 1 to 5 and 8 as the lessons print them (the solution); for the transfer tasks
# the tidy "P minus target" form of lesson 08, the footprint of lesson 08's bug (a missing f' in
# the first hidden layer), and the colleague's two-layer backward pass copied unchanged.
COPIER = ({
    "softmax_backward": '''
def softmax_backward(P, dP):
    return P - dP
''',
    "wrong_gradients": '''
wrong_gradients = {"W1", "b1"}
''',
    "backward_deep": '''
def backward_deep(Y, params, cache):
    return buggy_backward2(Y, params, cache)
''',
}, ["test_softmax_backward", "test_wrong_gradients", "test_backward_deep"])

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

FROM_LESSONS = {}

# Words that would give a transfer task away if a lesson said them.
TRANSFER_WORDS = {
    "softmax_backward": [r"p_j\s*\(\s*\\delta", r"softmax'?s? (backward|jacobian)",
                         r"\\mathrm\{diag\}\(\s*\\hat"],
    "backward_deep": [r"any number of (hidden )?layers.{0,40}(loop|backward)"],
}
