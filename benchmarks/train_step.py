"""Microseconds per training step of nnlab's MLP at playground size.

A 2-8-8-1 tanh/sigmoid network, binary cross-entropy, plain SGD, batch 10, on 500 points of the
xor dataset: 50 optimizer steps per epoch. Run: `python benchmarks/train_step.py`.
"""

import statistics
import time

import nnlab
from nnlab import datasets, optimizers


def nnlab_step_us(epochs=20, repeats=7, seed=0):
    """Median over `repeats` runs of the time per optimizer step, in microseconds."""
    X, y = datasets.xor(500, seed=seed)
    model = nnlab.MLP([2, 8, 8, 1], activation="tanh", output_activation="sigmoid", seed=seed)
    model.compile(loss="binary_crossentropy", optimizer=optimizers.SGD(0.03), metrics=())
    model.fit(X, y, epochs=2, batch_size=10)                        # warm up
    steps = epochs * 50
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.fit(X, y, epochs=epochs, batch_size=10)
        times.append((time.perf_counter() - start) / steps * 1e6)
    return statistics.median(times)


def main():
    print(f"nnlab 2-8-8-1 tanh/sigmoid, batch 10, 500 points: {nnlab_step_us():.1f} us per step")


if __name__ == "__main__":
    main()
