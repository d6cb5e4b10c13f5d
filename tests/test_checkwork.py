"""Check my work (nnlab.checkwork, issue #29): one line per part of a problem set, the
assertion's message first, no test code, nothing leaked into the student's namespace.

The notebooks are the released ps1 with answers written into it by tests/grading/harness.py
(the instructor's answers, or a wrong one); the expected lines follow from which answers were
written, not from the code under test."""

import json
import sys
from pathlib import Path

import nbformat
import pytest

from nnlab import checkwork as cw

sys.path.insert(0, str(Path(__file__).resolve().parent / "grading"))
from harness import ProblemSet  # noqa: E402

PS1 = "ps1_neurons_and_gates"
WRONG_AND = ('gates["AND"] = ((1.0, 1.0), -2.0)', 'gates["AND"] = ((1.0, 1.0), -0.5)')


@pytest.fixture(scope="module")
def ps1():
    return ProblemSet(PS1)


def kernel(ps, sources):
    """A namespace as a kernel has it after running the released notebook's code cells (not the
    tests) with `sources` written into those answer cells; the others stay as released."""
    namespace = {}
    for cell in ps.released().cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or meta.get("grade"):
            continue
        try:
            exec(sources.get(meta.get("grade_id"), cell.source), namespace)
        except NotImplementedError:
            pass
    return namespace


def lines_for(ps, sources, written=None):
    nb = json.loads(nbformat.writes(ps.released()))
    for cell in nb["cells"]:
        if written and cell["metadata"].get("nbgrader", {}).get("grade_id") in written:
            cell["source"] = written[cell["metadata"]["nbgrader"]["grade_id"]]
    results = cw.check_parts(cw.parts(nb), kernel(ps, sources))
    return {part.title.split(".")[0]: (status, message) for part, status, message in results}


def test_a_half_finished_ps1(ps1):
    """Parts 1-2 solved, part 3 with a wrong AND bias, part 5 solved, the rest untouched."""
    answers = {k: ps1.answers[k] for k in ("weighted_sum", "step_and_sigmoid", "relu_family",
                                           "xor_network")}
    answers["gate_weights"] = ps1.answers["gate_weights"].replace(*WRONG_AND)
    got = lines_for(ps1, answers)
    assert [got[n][0] for n in "12345678"] == [
        cw.PASSED, cw.PASSED, cw.FAILED, cw.NOT_STARTED, cw.PASSED, cw.NOT_STARTED,
        cw.NOT_STARTED, cw.NOT_STARTED]
    message = got["3"][1]
    # the assertion's own message first, with what the answer returned; then the test's name
    assert message.startswith("AND") and "[0. 1. 1. 1.]" in message
    assert message.endswith("(test_gates)")


def test_the_report_shows_no_test_code_and_leaks_no_names(ps1):
    nb = json.loads(nbformat.writes(ps1.released()))
    namespace = kernel(ps1, {"gate_weights": ps1.answers["gate_weights"].replace(*WRONG_AND)})
    before = set(namespace)
    lines = cw.report_lines(cw.check_parts(cw.parts(nb), namespace))
    assert set(namespace) == before  # `inputs`, `_separable`, `_Wire`... stay in the copy
    text = "\n".join(lines)
    for code in ("assert ", "_separable", "_Wire", "Traceback", "def ", "np.asarray"):
        assert code not in text
    assert len(lines) == 9 and lines[-1] == "0 of 7 parts pass."


def test_a_part_half_done_and_an_error_in_the_answer(ps1):
    step_only = ps1.answers["step_and_sigmoid"]
    broken = ps1.answers["weighted_sum"].replace("def weighted_sum(X, w, b):",
                                                 "def weighted_sum(X, w, b):\n    X = X + 'a'")
    got = lines_for(ps1, {"step_and_sigmoid": step_only, "weighted_sum": broken})
    assert got["2"][0] == cw.FAILED
    assert got["2"][1].startswith("not finished") and "2 of 3 tests pass" in got["2"][1]
    assert got["1"][0] == cw.FAILED
    assert "(in weighted_sum, line 2)" in got["1"][1] and got["1"][1].endswith(
        "(test_weighted_sum)")


def test_a_warning_fails_as_it_does_in_grading(ps1):
    noisy = ps1.answers["weighted_sum"].replace(
        "def weighted_sum(X, w, b):",
        "import warnings\ndef weighted_sum(X, w, b):\n    warnings.warn('careful')")
    status, message = lines_for(ps1, {"weighted_sum": noisy})["1"]
    assert status == cw.FAILED and "UserWarning: careful" in message


def test_a_written_answer_is_written_or_not_started(ps1):
    assert lines_for(ps1, {})["8"] == (cw.NOT_STARTED, "")
    status, message = lines_for(ps1, {}, {"why_not_parity": "Because parity is not linear."})["8"]
    assert status == cw.WRITTEN and "graded by hand" in message


def test_check_my_work_outside_a_notebook_says_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert cw.check_my_work() is None
    assert "give its file name" in capsys.readouterr().out
    path = tmp_path / "ps.ipynb"
    path.write_text(nbformat.writes(ProblemSet(PS1).released()))
    cw.check_my_work(path)  # no kernel: nothing has run, every part not started
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "ps.ipynb, with the answers as this kernel last ran them:"
    assert all(line.endswith(": not started") for line in lines[1:-1]), lines
    assert lines[-1] == "0 of 7 parts pass."
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    cw.check_my_work(path)
    assert "nbgrader is running this notebook" in capsys.readouterr().out


def test_an_answer_written_but_not_run_is_told_to_run(ps1):
    nb = json.loads(nbformat.writes(ps1.released()))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "weighted_sum":
            cell["source"] = ps1.answers["weighted_sum"]  # saved, but never run in the kernel
    results = cw.check_parts(cw.parts(nb), {"np": __import__("numpy")})
    assert results[0][1:] == (cw.NOT_STARTED, "your answer is not run yet: `weighted_sum` is "
                                              "not defined: run the cells above first")
    assert results[1][1:] == (cw.NOT_STARTED, "")
