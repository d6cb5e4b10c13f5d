"""Simulated students for ps4 (backpropagation and the MLP): see the grading conventions.

ALTERNATIVE holds correct answers written differently from the instructor's solution (loops,
other numpy routines, other names); they must score full marks. WRONG is one plausible mistake
and the test cells it must lose. FAILING names the answer cell that the harness breaks, and
every test cell that depends on it. COPIER copies what the lessons print (parts 1 to 5 and 8) and
gets the transfer tasks (parts 6 and 7) wrong: it must not pass.
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
    # A loop over the layers, from the top down.
    "backward2": '''
def backward2(Y, params, cache):
    grads = {}
    dZ = (cache["A3"] - Y) / Y.shape[0]
    for layer in (3, 2, 1):
        below = cache["X"] if layer == 1 else cache[f"A{layer - 1}"]
        grads[f"W{layer}"] = below.T @ dZ
        grads[f"b{layer}"] = np.sum(dZ, axis=0)
        if layer > 1:
            dZ = (dZ @ params[f"W{layer}"].T) * (1.0 - np.tanh(cache[f"Z{layer - 1}"]) ** 2)
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
# the first hidden layer), and the colleague's backward pass copied unchanged.
COPIER = ({
    "softmax_backward": '''
def softmax_backward(P, dP):
    return P - dP
''',
    "wrong_gradients": '''
wrong_gradients = {"W1", "b1"}
''',
    "backward2": '''
def backward2(Y, params, cache):
    return buggy_backward2(Y, params, cache)
''',
}, ["test_softmax_backward", "test_wrong_gradients", "test_backward2"])

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
