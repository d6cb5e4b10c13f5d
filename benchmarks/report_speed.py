"""The grade report at scale: a generated class of 300 graded submissions per problem set.

    python benchmarks/report_speed.py [set ...]        # default: every set

For each set, a temporary course gets 300 students drawn from the ability model of
tests/report/simulated.py (submitted and autograded notebooks, scores in nbgrader's gradebook,
no kernels), ps3 also six independent answers and a planted copy of its `losses` cell. Then
`python -m tools.report <set>` runs in a fresh process, as `make report` runs it, and the
benchmark reports its wall-clock and CPU time (imports included) and the size of the page.
Targets: under 10 s and under 2 MB.
"""

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "grading"), str(ROOT / "tests" / "report")]

STUDENTS = 300
TARGET_SECONDS, TARGET_BYTES = 10.0, 2 * 2**20


def generated_class(course, pset):
    from simulated import GeneratedClass, random_class

    generated = GeneratedClass(course, pset)
    students = random_class(generated, STUDENTS, seed=1)
    if pset == "ps3_gradient_descent":
        from answers import ANSWERS

        for student, source in ANSWERS.items():
            _, scores = students[student] = ({"losses": source}, dict(students["s000"][1]))
            scores["test_losses"] = 1.0
    generated.add(students, late={"s001", "s002"})
    return generated


def measure(pset):
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / "course"
        start = time.perf_counter()
        generated_class(course, pset)
        setup = time.perf_counter() - start
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "tools.report", pset, "--course-dir",
                               str(course)], cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode:
            raise RuntimeError(f"tools.report failed for {pset}:\n{done.stderr}")
        size = (course / "reports" / pset / "report.html").stat().st_size
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return {"set": pset, "wall": wall, "cpu": cpu, "bytes": size, "setup": setup,
                "summary": done.stdout.splitlines()[0]}


def sets():
    from harness import problem_sets

    return problem_sets()


def markdown_rows(names=None):
    rows = [f"A generated class of {STUDENTS} graded submissions per set; `python -m "
            "tools.report` in a fresh process (imports included). Targets: under "
            f"{TARGET_SECONDS:g} s, page under 2 MB.", "",
            "| set | wall (s) | CPU (s) | page (KB) | met |", "|---|---|---|---|---|"]
    for pset in names or sets():
        r = measure(pset)
        met = "yes" if r["wall"] < TARGET_SECONDS and r["bytes"] < TARGET_BYTES else "NO"
        rows.append(f"| {pset} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['bytes'] / 1024:.0f} | "
                    f"{met} |")
        print(f"  {pset}: {r['summary']} (class generated in {r['setup']:.0f} s)",
              file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    print("\n".join(markdown_rows(sys.argv[1:] or None)))
