"""`make bench`: every benchmark in one run, printed as one table and written to RESULTS.md.

Sections: training step time next to the peers (with the targets), accuracy after equal epochs,
the widgets' update times, the time to execute the whole course headless, autograding time
per submission (sequential and in parallel, every kernel in a jail), the jail's own cost, the
grade report of 300 students, and the drawing-mechanism spike of issue #28. numpy's BLAS is
pinned to one thread, like PyTorch, so that the comparison is between libraries and not between
thread pools.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import datetime  # noqa: E402
import importlib  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import compare  # noqa: E402


def machine():
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = [f"Python {platform.python_version()}", f"numpy {np.__version__}"]
    for name in ("sklearn", "torch"):
        try:
            versions.append(f"{name} {importlib.import_module(name).__version__}")
        except ImportError:
            versions.append(f"{name} missing")
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
            + ", ".join(versions) + "; BLAS threads: 1")


def fmt(value, unit=""):
    return "missing" if value is None else f"{value:,.1f}{unit}"


def ratio(a, b):
    return None if a is None or b is None else a / b


def speed_section(results):
    rows = ["| workload | nnlab (us/step) | numpy loop | scikit-learn | PyTorch | "
            "nnlab / loop | sklearn / nnlab | torch / nnlab |",
            "|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        rows.append(
            f"| {name} | {fmt(r['nnlab'])} | {fmt(r['numpy loop'])} | {fmt(r['scikit-learn'])} | "
            f"{fmt(r['PyTorch'])} | {fmt(ratio(r['nnlab'], r['numpy loop']), 'x')} | "
            f"{fmt(ratio(r['scikit-learn'], r['nnlab']), 'x')} | "
            f"{fmt(ratio(r['PyTorch'], r['nnlab']), 'x')} |")
    return rows


def targets(results, acc):
    play = next(r for n, r in results.items() if n.startswith("playground"))
    large = next(r for n, r in results.items() if n.startswith("larger"))
    checks = [
        ("playground: nnlab <= 1.5x the hand-written loop",
         ratio(play["nnlab"], play["numpy loop"]), lambda x: x <= 1.5),
        ("playground: nnlab >= 2x faster than scikit-learn",
         ratio(play["scikit-learn"], play["nnlab"]), lambda x: x >= 2),
        ("playground: nnlab >= 2x faster than PyTorch",
         ratio(play["PyTorch"], play["nnlab"]), lambda x: x >= 2),
        ("larger: nnlab within 1.25x of PyTorch",
         ratio(large["nnlab"], large["PyTorch"]), lambda x: x <= 1.25),
    ]
    rows = ["| target | measured | met |", "|---|---|---|"]
    for text, value, ok in checks:
        met = "n/a (peer missing)" if value is None else ("yes" if ok(value) else "NO")
        rows.append(f"| {text} | {fmt(value, 'x')} | {met} |")
    worst = 0.0
    for scores in acc.values():
        peers = [v for p, v in scores.items() if p not in ("nnlab", "numpy loop") and v is not None]
        worst = max([worst] + [abs(scores["nnlab"] - v) * 100 for v in peers])
    rows.append(f"| accuracy within 2 points of the peers | largest gap {worst:.1f} points | "
                f"{'yes' if worst <= 2 else 'NO'} |")
    return rows


def accuracy_section(acc):
    rows = ["| workload (epochs) | nnlab | numpy loop | scikit-learn | PyTorch |",
            "|---|---|---|---|---|"]
    for name, r in acc.items():
        epochs = compare.ACCURACY_EPOCHS[name.split()[0]]
        cells = [("missing" if r[p] is None else f"{100 * r[p]:.1f} %") for p in
                 ("nnlab", "numpy loop", "scikit-learn", "PyTorch")]
        rows.append(f"| {name} ({epochs}) | " + " | ".join(cells) + " |")
    return rows


def optional_section(title, module, function):
    """Sections that other parts of the project provide; missing ones are reported as such."""
    try:
        rows = getattr(importlib.import_module(module), function)()
    except (ImportError, AttributeError) as error:
        rows = [f"not available: {error}"]
    return [f"## {title}", ""] + list(rows) + [""]


def main():
    print("Running the benchmarks (a few minutes) ...", flush=True)
    speed = compare.speed()
    acc = compare.accuracy()
    lines = [
        "# Benchmark results", "",
        f"Run on {datetime.date.today().isoformat()}: {machine()}.", "",
        "## Training step time (median of interleaved repeats; plain SGD, same architecture, "
        "batch and learning rate)", "",
        *speed_section(speed), "",
        "## Test accuracy after equal epochs (mean of 5 seeds)", "",
        *accuracy_section(acc), "",
        "## Targets", "",
        *targets(speed, acc), "",
    ]
    lines += optional_section("Widgets", "widgets", "markdown_rows")
    lines += optional_section("Course and grading", "course_time", "markdown_rows")
    lines += optional_section("Grading in parallel (every kernel in a jail)", "grading_parallel",
                              "markdown_rows")
    lines += optional_section("The grading jail's cost", "jail_cost", "markdown_rows")
    lines += optional_section("Playground speed", "playground_speed", "markdown_rows")
    # recorded once: its ipympl baseline (the NeuronExplorer before #28) no longer exists
    lines += ["## Drawing in the browser: the spike of issue #28 (recorded, "
              "benchmarks/spike/RESULTS.md)", "",
              *(HERE / "spike" / "RESULTS.md").read_text().split("\n", 2)[2].splitlines(), ""]
    lines += optional_section("Keypress to pixels on the Canvas (issue #28's goal table)",
                              "browser_latency", "markdown_rows")
    lines += optional_section("Grade report (300 students per set)", "report_speed",
                              "markdown_rows")
    lines += optional_section("A class arriving at the one-machine hub (as root only)",
                              "hub_load", "markdown_rows")
    text = "\n".join(lines)
    print(text)
    (HERE / "RESULTS.md").write_text(text + "\n")
    print(f"\nwritten to {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
