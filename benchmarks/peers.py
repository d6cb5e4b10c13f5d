"""The same training, written four ways: nnlab, a hand-written numpy loop (the floor),
scikit-learn's MLPClassifier and PyTorch. Each `train_<peer>(work, epochs, seed)` trains a fresh
network with plain SGD (no momentum, no regularization) on the workload's training split and
returns (seconds, number of optimizer steps, test accuracy).

A peer that is not installed raises `Missing`; the report says so instead of inventing numbers.
"""

import math
import time
import warnings
from dataclasses import dataclass

import numpy as np

import nnlab
from nnlab import datasets, optimizers
from nnlab.model_selection import train_test_split


class Missing(Exception):
    """A peer library is not installed."""


@dataclass
class Workload:
    name: str
    sizes: list          # [n_in, hidden..., n_out]
    batch_size: int
    learning_rate: float
    X_train: np.ndarray
    y_train: np.ndarray  # integer labels
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_classes(self):
        return max(2, self.sizes[-1])

    def steps_per_epoch(self):
        return math.ceil(len(self.X_train) / self.batch_size)


def _split(name, sizes, batch, lr, X, y):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-12
    return Workload(name, sizes, batch, lr, (X_train - mean) / std, y_train.astype(int),
                    (X_test - mean) / std, y_test.astype(int))


def workloads():
    """The three sizes of the course: playground, lesson and a larger one."""
    X, y = datasets.xor(667, seed=0)                 # 500 training points after the split
    play = _split("playground 2-8-8-1, batch 10", [2, 8, 8, 1], 10, 0.1, X, y)
    X, y, _, _ = datasets.iris()
    lesson = _split("lesson iris 4-16-3, batch 16", [4, 16, 3], 16, 0.05, X, y)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2667, 64))                  # 2,000 training samples
    teacher = [rng.normal(size=(64, 32)), rng.normal(size=(32, 10))]
    y = np.argmax(np.tanh(X @ teacher[0]) @ teacher[1], axis=1)
    large = _split("larger 64-128-64-10, batch 128", [64, 128, 64, 10], 128, 0.05, X, y)
    return [play, lesson, large]


def _accuracy(scores, y):
    if scores.shape[1] == 1:
        return float(np.mean((scores[:, 0] >= 0.5) == y))
    return float(np.mean(np.argmax(scores, axis=1) == y))


# ------------------------------------------------------------------------------------------ nnlab
def train_nnlab(work, epochs, seed):
    output = "sigmoid" if work.sizes[-1] == 1 else "softmax"
    loss = "binary_crossentropy" if output == "sigmoid" else "categorical_crossentropy"
    model = nnlab.MLP(work.sizes, activation="tanh", output_activation=output, seed=seed)
    model.compile(loss=loss, optimizer=optimizers.SGD(work.learning_rate), metrics=())
    start = time.perf_counter()
    model.fit(work.X_train, work.y_train, epochs=epochs, batch_size=work.batch_size)
    seconds = time.perf_counter() - start
    return seconds, epochs * work.steps_per_epoch(), _accuracy(model.predict(work.X_test),
                                                              work.y_test)


# ------------------------------------------------------------------------ hand-written numpy loop
def train_numpy(work, epochs, seed):
    """The floor: the same maths with no library around it (no checks, no history)."""
    rng = np.random.default_rng(seed)
    sizes = work.sizes
    Ws = [rng.normal(0, np.sqrt(2 / (a + b)), (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros(b) for b in sizes[1:]]
    X, n = work.X_train, len(work.X_train)
    Y = (work.y_train.reshape(-1, 1).astype(float) if sizes[-1] == 1
         else np.eye(sizes[-1])[work.y_train])
    lr, size, last = work.learning_rate, work.batch_size, len(Ws) - 1
    start = time.perf_counter()
    for _ in range(epochs):
        order = rng.permutation(n)
        Xs, Ys = X[order], Y[order]
        for s in range(0, n, size):
            acts = [Xs[s:s + size]]
            for i, (W, b) in enumerate(zip(Ws, bs)):
                z = acts[-1] @ W + b
                if i < last:
                    acts.append(np.tanh(z))
                elif sizes[-1] == 1:
                    acts.append(1 / (1 + np.exp(-z)))
                else:
                    e = np.exp(z - z.max(axis=1, keepdims=True))
                    acts.append(e / e.sum(axis=1, keepdims=True))
            yb = Ys[s:s + size]
            delta = (acts[-1] - yb) / (yb.size if sizes[-1] == 1 else len(yb))
            for i in range(last, -1, -1):
                gW, gb = acts[i].T @ delta, delta.sum(axis=0)
                if i:
                    delta = (delta @ Ws[i].T) * (1 - acts[i] ** 2)
                Ws[i] -= lr * gW
                bs[i] -= lr * gb
    seconds = time.perf_counter() - start
    a = work.X_test
    for i, (W, b) in enumerate(zip(Ws, bs)):
        a = np.tanh(a @ W + b) if i < last else a @ W + b
    return seconds, epochs * work.steps_per_epoch(), float(
        np.mean((a[:, 0] >= 0) == work.y_test) if sizes[-1] == 1
        else np.mean(np.argmax(a, axis=1) == work.y_test))


# ---------------------------------------------------------------------------------- scikit-learn
def train_sklearn(work, epochs, seed):
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError as error:
        raise Missing("scikit-learn") from error
    model = MLPClassifier(hidden_layer_sizes=tuple(work.sizes[1:-1]), activation="tanh",
                          solver="sgd", learning_rate="constant",
                          learning_rate_init=work.learning_rate, momentum=0.0,
                          nesterovs_momentum=False, alpha=0.0, batch_size=work.batch_size,
                          max_iter=epochs, shuffle=True, tol=0.0, n_iter_no_change=10**9,
                          random_state=seed)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(work.X_train, work.y_train)
    seconds = time.perf_counter() - start
    return seconds, epochs * work.steps_per_epoch(), float(model.score(work.X_test, work.y_test))


# --------------------------------------------------------------------------------------- PyTorch
def train_torch(work, epochs, seed):
    try:
        import torch
    except ImportError as error:
        raise Missing("torch") from error
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(work.sizes[:-1], work.sizes[1:])):
        layer = torch.nn.Linear(a, b, dtype=torch.float64)
        # the same initialisation as nnlab and scikit-learn (Glorot, zero biases), not PyTorch's
        # default, so that accuracy compares the training and not the starting point
        torch.nn.init.xavier_normal_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
        layers.append(layer)
        if i < len(work.sizes) - 2:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    binary = work.sizes[-1] == 1
    loss_fn = torch.nn.BCEWithLogitsLoss() if binary else torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=work.learning_rate)
    X = torch.tensor(work.X_train)
    Y = (torch.tensor(work.y_train, dtype=torch.float64).reshape(-1, 1) if binary
         else torch.tensor(work.y_train))
    generator = torch.Generator().manual_seed(seed)
    n, size = len(X), work.batch_size
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        Xs, Ys = X[order], Y[order]
        for s in range(0, n, size):
            opt.zero_grad()
            loss = loss_fn(model(Xs[s:s + size]), Ys[s:s + size])
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        out = model(torch.tensor(work.X_test)).numpy()
    acc = (np.mean((out[:, 0] >= 0) == work.y_test) if binary
           else np.mean(np.argmax(out, axis=1) == work.y_test))
    return seconds, epochs * work.steps_per_epoch(), float(acc)


PEERS = {"nnlab": train_nnlab, "numpy loop": train_numpy, "scikit-learn": train_sklearn,
         "PyTorch": train_torch}
