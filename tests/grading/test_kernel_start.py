"""A kernel that does not start costs nobody points: the submission is graded again.

The notebooks ask for the kernel "python3". Here JUPYTER_PATH points at a "python3" kernel whose
launcher exits at once for its first `failures` starts (it counts them in a file) and then runs
the real IPython kernel: what a kernel that failed to start on a busy machine looks like to
nbgrader. The flaky kernel lives in this test's temporary folder, which a jail does not show:
these two tests grade without the jail (the retries do not depend on it).
"""

import json
import sys

import pytest
from harness import ProblemSet, problem_sets
from test_integrity import make_course
from test_simulated_class import LIMITS

from tools.grade import FAILED, GRADED, grade
from tools.grading.worker import KERNEL_START_ATTEMPTS

LAUNCHER = """
import os, sys
from pathlib import Path
count = Path(sys.argv[1])
started = int(count.read_text()) if count.exists() else 0
count.write_text(str(started + 1))
if started < int(sys.argv[2]):
    sys.exit("this kernel failed to start")
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[3:]])
"""


def flaky_kernel(tmp_path, monkeypatch, failures):
    """Install the flaky "python3" kernel; the path of its start counter."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (tmp_path / "launcher.py").write_text(LAUNCHER)
    count = tmp_path / "starts"
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(tmp_path / "launcher.py"), str(count), str(failures),
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (fails to start at first)", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return count


@pytest.fixture
def ps():
    return ProblemSet(problem_sets()[0])


def test_a_kernel_that_failed_to_start_is_started_again(tmp_path, tmp_path_factory, monkeypatch,
                                                        ps):
    assert KERNEL_START_ATTEMPTS >= 2
    count = flaky_kernel(tmp_path, monkeypatch, failures=KERNEL_START_ATTEMPTS - 1)
    course = make_course(tmp_path_factory, ps, {"solution": ps.student()}, "flaky")
    summary = grade(course, assignments=[ps.name], limits=LIMITS, force=True, feedback=False,
                    jail=False)
    result = summary["results"]["solution", ps.name]
    assert result["status"] == GRADED, result
    assert result["score"] == ps.expected() > 0          # every autograded point
    assert result["flags"] == []
    assert int(count.read_text()) == KERNEL_START_ATTEMPTS


def test_a_kernel_that_never_starts_is_reported_not_scored(tmp_path, tmp_path_factory,
                                                           monkeypatch, ps):
    count = flaky_kernel(tmp_path, monkeypatch, failures=KERNEL_START_ATTEMPTS)
    course = make_course(tmp_path_factory, ps, {"solution": ps.student()}, "dead")
    summary = grade(course, assignments=[ps.name], limits=LIMITS, force=True, feedback=False,
                    jail=False)
    result = summary["results"]["solution", ps.name]
    assert result["status"] == FAILED, result
    assert f"did not start in {KERNEL_START_ATTEMPTS} attempts" in result["error"]
    assert int(count.read_text()) == KERNEL_START_ATTEMPTS

