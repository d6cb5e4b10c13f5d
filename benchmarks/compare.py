"""Training speed and accuracy of nnlab next to its peers, measured side by side in one run.

Speed: microseconds per optimizer step, the median of several interleaved repeats (each repeat
runs every peer once, so a busy moment of the machine hits all of them alike).
Accuracy: test accuracy after the same number of epochs, mean over 5 seeds.
"""

import statistics

from peers import PEERS, Missing, workloads

SPEED_EPOCHS = {"playground": 10, "lesson": 40, "larger": 3}
ACCURACY_EPOCHS = {"playground": 60, "lesson": 150, "larger": 60}


def _kind(work):
    return work.name.split()[0]


def speed(repeats=7):
    """{workload: {peer: us per step or None}}."""
    results = {}
    for work in workloads():
        epochs = SPEED_EPOCHS[_kind(work)]
        times = {peer: [] for peer in PEERS}
        for peer, train in PEERS.items():                   # warm-up (imports, caches)
            try:
                train(work, 1, 0)
            except Missing:
                times[peer] = None
        for r in range(repeats):
            for peer, train in PEERS.items():
                if times[peer] is not None:
                    seconds, steps, _ = train(work, epochs, r)
                    times[peer].append(seconds / steps * 1e6)
        results[work.name] = {p: (statistics.median(t) if t else None) for p, t in times.items()}
    return results


def accuracy(seeds=5):
    """{workload: {peer: mean test accuracy or None}}."""
    results = {}
    for work in workloads():
        epochs = ACCURACY_EPOCHS[_kind(work)]
        results[work.name] = {}
        for peer, train in PEERS.items():
            try:
                scores = [train(work, epochs, seed)[2] for seed in range(seeds)]
            except Missing:
                results[work.name][peer] = None
                continue
            results[work.name][peer] = statistics.mean(scores)
    return results


if __name__ == "__main__":
    print(speed(3))
    print(accuracy(2))
