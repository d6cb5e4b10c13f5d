"""Check my work: one line per part of a problem set, from the tests the notebook already has.

The last cell of each problem set runs ``check_my_work()``. It reads the test cells of the
notebook the kernel belongs to (the saved file; test cells are read-only, so saving does not
matter for them), runs them against what the student has run in the kernel, and prints one line
per part (a ``## N. Title`` heading with its answer and test cells):

    ✅ 1. The weighted sum (1 point): passed
    ❌ 3. Logic gates from one neuron (1 point): failed: AND gave [0. 0. 0. 0.] for the inputs
       [[0,0],[0,1],[1,0],[1,1]], expected [0, 0, 0, 1] (test_gates)
    ⬜ 4. Every bias that makes AND (4 points): not started
    ✍️ 8. Why not one neuron? (2 points, graded by hand): written; graded after you submit

A failed part shows the assertion's message first (the tests' messages say what the answer
returned), never the test code. The tests run in a copy of the kernel's namespace: their helper
names do not overwrite the student's. Nothing here imports IPython until the function is called
in a notebook; the core of the work (`parts`, `check_parts`) takes a notebook dict and a
namespace, so it is tested without a kernel.

Why a cell and not only nbgrader's Validate: Validate (kept, for a last run from the top before
submitting) prints every failed cell's whole source and traceback, and cannot be configured to
do otherwise; a novice needs the line that says what is wrong.

>>> nb = {"cells": [
...     {"cell_type": "markdown", "source": "## 1. Double it (1 point)", "metadata": {}},
...     {"cell_type": "code", "source": "def double(x):\\n    return 2 * x", "metadata":
...      {"nbgrader": {"solution": True, "grade": False, "grade_id": "double"}}},
...     {"cell_type": "code", "metadata": {"nbgrader": {"grade": True, "solution": False,
...                                                     "grade_id": "t", "points": 1}},
...      "source": "got = double(3)\\nassert got == 6, f'double(3) gave {got}'"}]}
>>> ns = {}
>>> exec("def double(x):\\n    return x + 2", ns)
>>> for line in report_lines(check_parts(parts(nb), ns)):
...     print(line)
❌ 1. Double it (1 point): failed: double(3) gave 5 (t)
0 of 1 parts pass.
>>> "got" in ns   # the test's names stay out of the student's namespace
False
"""

import contextlib
import io
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Part", "parts", "check_parts", "report_lines", "check_my_work", "PASSED",
           "FAILED", "NOT_STARTED", "WRITTEN"]

PASSED, FAILED, NOT_STARTED, WRITTEN = "passed", "failed", "not started", "written"
MARKS = {PASSED: "✅", FAILED: "❌", NOT_STARTED: "⬜", WRITTEN: "✍️"}
#: what nbgrader leaves in a written answer the student has not touched
UNTOUCHED_ANSWER = "YOUR ANSWER HERE"
#: and in an answer cell
RELEASED_ANSWER = "raise NotImplementedError()"


@dataclass
class Part:
    """One `## heading` of a problem set: its test cells and written answers."""

    title: str
    tests: list = field(default_factory=list)    # [(grade_id, source)]
    written: list = field(default_factory=list)  # [(grade_id, source)]
    answers: list = field(default_factory=list)  # [(grade_id, source)] of the answer cells

    def untouched(self):
        """Whether every answer cell (as saved) is still as released."""
        return all(RELEASED_ANSWER in source for _, source in self.answers)


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def parts(notebook):
    """The parts of a problem set notebook (a dict as saved), in order; parts with neither
    tests nor written answers (the introduction, "Before you submit") are left out."""
    found, current = [], Part("(before the first part)")
    for cell in notebook.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = _source(cell)
        heading = re.match(r"^#{1,3}\s+(.+?)\s*$", source.lstrip(), re.M) \
            if cell.get("cell_type") == "markdown" and not meta else None
        if heading:
            found.append(current)
            current = Part(heading.group(1))
        elif meta.get("grade") and meta.get("solution") and cell.get("cell_type") == "markdown":
            current.written.append((meta.get("grade_id", "?"), source))
        elif meta.get("grade") and not meta.get("solution") and cell.get("cell_type") == "code":
            current.tests.append((meta.get("grade_id", "?"), source))
        elif meta.get("solution") and cell.get("cell_type") == "code":
            current.answers.append((meta.get("grade_id", "?"), source))
    found.append(current)
    return [p for p in found if p.tests or p.written]


def _chain(error):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _where(error, test_file):
    """' (in step, line 4)': the last frame of the student's code in the traceback."""
    frame, last = error.__traceback__, None
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_filename != test_file and "site-packages" not in code.co_filename \
                and not code.co_filename.startswith("<frozen"):
            last = (code.co_name, frame.tb_lineno)
        frame = frame.tb_next
    if last is None or last[0] == "<module>":
        return ""
    return f" (in {last[0]}, line {last[1]})"


def _run_test(grade_id, source, namespace):
    """(status, message) of one test cell run in `namespace`."""
    filename = f"<test {grade_id}>"
    with warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("always")
        try:
            exec(compile(source, filename, "exec"), namespace)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - a student's code may raise anything
            if any(isinstance(e, NotImplementedError) for e in _chain(error)):
                return NOT_STARTED, ""
            if isinstance(error, NameError):
                name = getattr(error, "name", None) or str(error)
                return NOT_STARTED, f"`{name}` is not defined: run the cells above first"
            if isinstance(error, AssertionError):
                message = str(error).strip() or "a check failed (its test has no message)"
                return FAILED, f"{message} ({grade_id})"
            text = str(error).strip()
            return FAILED, (f"{type(error).__name__}{': ' + text if text else ''}"
                            f"{_where(error, filename)} ({grade_id})")
    if caught:
        w = caught[0]
        return FAILED, (f"a warning, which the grader counts as a failed test: "
                        f"{w.category.__name__}: {w.message} ({grade_id})")
    return PASSED, ""


def check_parts(parts_, namespace):
    """[(part, status, message)]: each part's tests run, in order, in a copy of `namespace`.

    A part passes when every test passes; it is "not started" when every test stops on the
    NotImplementedError the release leaves in an answer (or on a name not run yet); else it
    failed, with the first failing test's message and how many of its tests pass.
    """
    scratch = dict(namespace)
    results = []
    for part in parts_:
        if part.tests:
            outcomes = [_run_test(grade_id, source, scratch) for grade_id, source in part.tests]
            passed = sum(status == PASSED for status, _ in outcomes)
            waiting = [(s, m) for s, m in outcomes if s == NOT_STARTED]
            if passed == len(outcomes):
                status, message = PASSED, ""
            elif len(waiting) == len(outcomes):
                # an answer not run yet: say so, unless it is still as released
                first = next((m for _, m in waiting if m), "")
                status = NOT_STARTED
                message = "" if not first or part.untouched() else \
                    f"your answer is not run yet: {first}"
            else:
                first = next((m for s, m in outcomes if s == FAILED), None)
                if first is None:  # some tests pass, the others reach an unwritten answer
                    first = "not finished: an answer is still to write" + \
                        (f" ({waiting[0][1]})" if waiting[0][1] else "")
                status = FAILED
                message = first + (f"; {passed} of {len(outcomes)} tests pass"
                                   if len(outcomes) > 1 else "")
        else:
            untouched = all(s.strip() in ("", UNTOUCHED_ANSWER) for _, s in part.written)
            status, message = (NOT_STARTED, "") if untouched else \
                (WRITTEN, "graded by hand after you submit")
        results.append((part, status, message))
    return results


def report_lines(results):
    """The lines `check_my_work` prints."""
    lines = [f"{MARKS[status]} {part.title}: {status}{': ' + message if message else ''}"
             for part, status, message in results]
    tested = [status for part, status, _ in results if part.tests]
    lines.append(f"{tested.count(PASSED)} of {len(tested)} parts pass.")
    return lines


def _notebook_path(namespace):
    for key in ("__session__", "__vsc_ipynb_file__"):
        value = namespace.get(key)
        if value and str(value).endswith(".ipynb") and Path(value).is_file():
            return Path(value)
    return None


def check_my_work(notebook=None):
    """Print one line per part of this problem set: passed, not started, or failed and why.

    Parameters
    ----------
    notebook : path, optional
        The problem set's notebook (default: the notebook this kernel was started for).

    Returns
    -------
    None (so that a notebook shows only the printed lines); `check_parts` gives the results.
    """
    if os.environ.get("NBGRADER_EXECUTION"):  # nbgrader's Validate or autograde runs it
        print("check_my_work: nbgrader is running this notebook; nothing to check here.")
        return
    from IPython import get_ipython

    shell = get_ipython()
    namespace = shell.user_ns if shell is not None else {}
    path = Path(notebook) if notebook else _notebook_path(namespace)
    if path is None or not path.is_file():
        print("check_my_work: cannot tell which notebook this is; give its file name, e.g. "
              "check_my_work('ps1_neurons_and_gates.ipynb')" if path is None else
              f"check_my_work: no file {path}")
        return
    found = parts(json.loads(path.read_text(encoding="utf-8")))
    if not found:
        print(f"check_my_work: {path.name} has no test cells to run.")
        return
    try:
        results = check_parts(found, namespace)
    except KeyboardInterrupt:
        print("check_my_work: interrupted (is an answer stuck in an endless loop?)")
        return
    print(f"{path.name}, with the answers as this kernel last ran them:")
    for line in report_lines(results):
        print(line)
