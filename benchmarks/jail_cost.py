"""What the grading jail costs per submission: a kernel's life with and without it.

    python benchmarks/jail_cost.py

A kernel is started (in the jail as `make grade` starts it, and without), runs one cell,
and is shut down, ROUNDS times each, alternating, in a folder like a submission's: the
difference of the medians is the jail's cost per submission (nbgrader starts one kernel per
submission). The bare `bwrap ... true` with the same mounts is timed too. Target: under 0.3 s.
Parallel grading with jails is benchmarks/grading_parallel.py (`make grade` jails by default).
"""

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUNDS = 8
TARGET = 0.3


async def kernel_life(manager_class, workdir):
    """Seconds from starting a kernel to its shutdown, with one cell run in between."""
    start = time.perf_counter()
    km = manager_class(kernel_name="python3")
    await km.start_kernel(cwd=str(workdir))
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    await kc.execute_interactive("x = 1 + 1", timeout=60)
    kc.stop_channels()
    await km.shutdown_kernel()
    return time.perf_counter() - start


def bare_bwrap(workdir):
    from tools.grading import jail

    start = time.perf_counter()
    subprocess.run(jail.command(["/bin/true"], workdir, [], {}), check=True)
    return time.perf_counter() - start


def measure():
    from jupyter_client.manager import AsyncKernelManager

    from tools.grading import jail

    jail.check()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp) / "autograded" / "student" / "ps1"
        workdir.mkdir(parents=True)
        (workdir / "ps1.ipynb").write_text("{}")
        jailed, plain, bare = [], [], []
        for _ in range(ROUNDS):
            jailed.append(asyncio.run(kernel_life(jail.JailedKernelManager, workdir)))
            plain.append(asyncio.run(kernel_life(AsyncKernelManager, workdir)))
            bare.append(bare_bwrap(workdir))
    return statistics.median(jailed), statistics.median(plain), statistics.median(bare)


def markdown_rows():
    jailed, plain, bare = measure()
    cost = jailed - plain
    verdict = "met" if cost < TARGET else "NOT met"
    return [f"A kernel started, one cell run, shut down; median of {ROUNDS} each, alternating.",
            "", "| | seconds |", "|---|---|",
            f"| kernel without the jail | {plain:.3f} |", f"| kernel in the jail | {jailed:.3f} |",
            f"| the jail's cost per submission | {cost:.3f} |",
            f"| bwrap alone (same mounts, `true`) | {bare:.3f} |", "",
            f"Target: the jail costs under {TARGET} s per submission: {verdict}."]


if __name__ == "__main__":
    print("\n".join(markdown_rows()))
