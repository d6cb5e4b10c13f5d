"""Grades an instructor can trust: cheaters earn nothing, feedback hides the hidden tests, and
parallel grading gives the same results as sequential grading.

The first problem set's hostile class (test_simulated_class.py) and a class of cheaters
(tests/grading/cheaters.py) are graded by the real pipeline, once sequentially and once with two
workers: next to the solution and the honest student `wrong_honest`, who hands in the same wrong
answers as the cheaters without cheating.
"""

import csv
import html.parser
import re
import shutil

import cheaters
import nbformat
import pytest
from harness import ROOT, ProblemSet, is_test, nbgrader_meta, problem_sets
from test_simulated_class import LIMITS, simulated_class

from tools.grade import FAILED, GRADED, cell_scores, grade
from tools.grading.feedback import HIDDEN_NOTE
from tools.grading.integrity import judge, read_record


def make_course(tmp_path_factory, ps, students, label):
    course = tmp_path_factory.mktemp(f"{ps.name}-{label}")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ps.name, course / "solutions" / ps.name)
    for student, nb in students.items():
        folder = course / "submitted" / student / ps.name
        folder.mkdir(parents=True)
        if nb is not None:
            nbformat.write(nb, folder / ps.released_name)
    return course


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The first set's hostile class (test_simulated_class.py) and its cheaters, graded once
    sequentially and once with two workers: {jobs: (course, summary)}."""
    ps = ProblemSet(problem_sets()[0])
    students = {name: nb for name, (nb, _) in simulated_class(ps).items()}
    students.update(cheaters.cheating_class(ps))
    runs = {}
    for jobs in (1, 2):
        course = make_course(tmp_path_factory, ps, students, f"jobs{jobs}")
        runs[jobs] = (course, grade(course, assignments=[ps.name], limits=LIMITS, force=True,
                                    jobs=jobs))
    return ps, students, runs


@pytest.fixture(scope="module")
def cheating(hostile):
    """(problem set, course, summary) of the hostile class with its cheaters, graded with two
    workers. (Every set's honest students are checked for false flags in
    test_simulated_class.py; the cheaters do not depend on a set's content.)"""
    ps, _, runs = hostile
    return (ps, *runs[2])


def result(cheating, student):
    ps, _, summary = cheating
    return summary["results"][student, ps.name]


def test_the_guard_leaves_honest_work_alone(cheating):
    ps = cheating[0]
    for student in ("solution", "wrong_honest"):
        assert result(cheating, student)["status"] == GRADED
        assert result(cheating, student)["flags"] == [], student
    assert result(cheating, "solution")["score"] == pytest.approx(ps.total)
    assert result(cheating, "wrong_honest")["score"] < ps.total, \
        "the spoiled answers must lose points, or the cheaters have nothing to gain"


@pytest.mark.parametrize("cheat", list(cheaters.CHEATS))
def test_a_cheat_earns_nothing_beyond_the_same_answers_honestly(cheating, cheat):
    ps, course, _ = cheating
    honest = cell_scores(course, ps.name, "wrong_honest")
    cheated = cell_scores(course, ps.name, cheat) or {}
    assert result(cheating, cheat)["score"] <= result(cheating, "wrong_honest")["score"]
    for test in ps.points:
        assert cheated.get(test, 0.0) <= honest[test], f"{cheat} gained on {test}"


@pytest.mark.parametrize("cheat", list(cheaters.CHEATS))
def test_a_cheat_is_flagged_with_its_reason_in_the_summary_and_the_csv(cheating, cheat):
    ps, _, summary = cheating
    flags = result(cheating, cheat)["flags"]
    assert flags, f"{cheat} was not flagged"
    with open(summary["csv"]) as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)
                if row["assignment"] == ps.name}
    assert rows[cheat]["flags"] == "; ".join(flags)
    assert rows["solution"]["flags"] == ""


def test_a_kernel_stopped_by_the_guard_costs_only_that_submission(cheating):
    assert result(cheating, "uses_ctypes")["status"] == FAILED
    assert any("ctypes" in flag for flag in result(cheating, "uses_ctypes")["flags"])
    assert result(cheating, "solution")["status"] == GRADED


# --- feedback ------------------------------------------------------------------------------------


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def squeeze(text):
    """Text without any whitespace: code in HTML is split into tokens with spaces between."""
    return "".join(text.split())


def html_text(path_or_html):
    """The visible text of an HTML page, whitespace removed (see `squeeze`)."""
    parser = _Text()
    parser.feed(path_or_html if isinstance(path_or_html, str)
                else path_or_html.read_text(encoding="utf-8"))
    return squeeze(" ".join(parser.parts))


def hidden_lines(ps):
    """Lines of hidden tests a student must never see: long enough to say something, and not
    also in the released notebook (where a student sees them anyway)."""
    released = squeeze(" ".join(c.source for c in ps.released().cells))
    lines = set()
    for cell in ps.source.cells:
        if is_test(cell):
            for region in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS",
                                     cell.source, re.S):
                lines |= {squeeze(line) for line in region.splitlines()}
    return {line for line in lines if len(line) >= 14 and line not in released}


def test_feedback_never_shows_a_hidden_test(cheating):
    ps, course, _ = cheating
    secrets = hidden_lines(ps)
    assert secrets, f"{ps.name}: no hidden test lines to look for"
    pages = sorted((course / "feedback").rglob("*.html"))
    assert len(pages) >= len(cheaters.CHEATS), "feedback for every graded student"
    for page in pages:
        text = html_text(page)
        shown = [line for line in secrets if line in text]
        assert not shown, f"{page.relative_to(course)} shows hidden tests: {shown[:3]}"
    # the same search finds them in the autograded notebook nbgrader makes feedback from
    autograded = course / "autograded" / "solution" / ps.name / ps.released_name
    source = squeeze(" ".join(c.source for c in nbformat.read(autograded, 4).cells))
    assert any(line in source for line in secrets)


def test_nbgraders_own_feedback_would_show_them(cheating):
    """Without the redaction, the HTML of an autograded notebook shows hidden tests, and the
    search of the test above finds them; with it, none."""
    from nbconvert import HTMLExporter

    from tools.grading.feedback import RedactHiddenTests

    ps, course, _ = cheating
    autograded = nbformat.read(course / "autograded" / "wrong_honest" / ps.name /
                               ps.released_name, 4)
    plain = html_text(HTMLExporter().from_notebook_node(autograded)[0])
    assert [line for line in hidden_lines(ps) if line in plain]
    RedactHiddenTests().preprocess(autograded, {})
    redacted = html_text(HTMLExporter().from_notebook_node(autograded)[0])
    assert not [line for line in hidden_lines(ps) if line in redacted]


def test_feedback_shows_scores_visible_asserts_and_what_failed(cheating):
    ps, course, _ = cheating
    page = course / "feedback" / "wrong_honest" / ps.name / ps.released_name.replace(
        ".ipynb", ".html")
    text = html_text(page)
    autograded = nbformat.read(course / "autograded" / "wrong_honest" / ps.name /
                               ps.released_name, 4)
    scores = cell_scores(course, ps.name, "wrong_honest")
    for cell in autograded.cells:
        if not is_test(cell):
            continue
        grade_id = nbgrader_meta(cell)["grade_id"]
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0].strip().splitlines()
        assert squeeze(visible[-1]) in text, f"{grade_id}: visible asserts missing"
        points = ps.points[grade_id]
        assert re.search(rf"{scores[grade_id]:g}(\.0)?/{points:g}(\.0)?", text), \
            f"{grade_id}: score missing"
        for output in cell.outputs:
            if output.output_type == "error" and output.evalue.strip() and \
                    "Traceback" not in output.evalue:
                message = squeeze(output.evalue)[:60]
                assert message in text, f"{grade_id}: the failure message is missing"
    assert squeeze(HIDDEN_NOTE) in text


# --- parallel grading ----------------------------------------------------------------------------


def test_parallel_grading_gives_the_same_results_as_sequential(hostile):
    ps, students, runs = hostile
    (seq_course, seq), (par_course, par) = runs[1], runs[2]
    for student in students:
        a, b = seq["results"][student, ps.name], par["results"][student, ps.name]
        assert (a["status"], a["score"], a["flags"]) == (b["status"], b["score"], b["flags"]), \
            student
        assert cell_scores(seq_course, ps.name, student) == \
            cell_scores(par_course, ps.name, student), student
    with open(seq["csv"]) as f, open(par["csv"]) as g:
        assert sorted(csv.reader(f)) == sorted(csv.reader(g))


def test_parallel_workers_lose_no_score_in_the_gradebook(hostile):
    ps, students, runs = hostile
    course, summary = runs[2]
    for student, nb in students.items():
        if nb is not None and summary["results"][student, ps.name]["status"] == GRADED:
            assert set(cell_scores(course, ps.name, student)) >= set(ps.points), student


def test_regrading_one_student_leaves_the_others_alone(hostile):
    ps, _, runs = hostile
    course, before = runs[2]
    again = grade(course, assignments=[ps.name], limits=LIMITS, force=True, jobs=2,
                  feedback=False, student="solution")
    assert again["results"]["solution", ps.name]["score"] == pytest.approx(ps.total)
    assert [key for key in again["results"] if key[0] != "solution"] == []
    with open(again["csv"]) as f:
        rows = {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
    for (student, _), r in before["results"].items():
        assert rows[student] == pytest.approx(r["score"]), student
    with pytest.raises(ValueError, match="student"):
        grade(course, assignments=[ps.name], student="nobody")


# --- the guard's record --------------------------------------------------------------------------


def _record(path, key, lines):
    import hashlib

    with open(path, "w") as f:
        for number, text in enumerate(lines, start=1):
            body = f"{number} {text}"
            sig = hashlib.blake2b(body.encode(), key=key, digest_size=16).hexdigest()
            f.write(f"{body}\t{sig}\n")


def test_a_forged_or_cut_record_taints_every_test(tmp_path):
    key, tests = b"k" * 32, [("aaa", "n1"), ("bbb", "n2")]
    good = ["start 1", "exec aaa", "probe n1", "exec bbb", "probe n2"]
    _record(tmp_path / "ok.log", key, good)
    assert judge(*read_record(tmp_path / "ok.log", key), tests) == ({}, [])
    _record(tmp_path / "bad.log", b"x" * 32, good)  # signed with another key
    tainted, flags = judge(*read_record(tmp_path / "bad.log", key), tests)
    assert set(tainted) == {"aaa", "bbb"} and flags
    _record(tmp_path / "gap.log", key, good)
    lines = (tmp_path / "gap.log").read_text().splitlines()
    (tmp_path / "gap.log").write_text("\n".join(lines[:2] + lines[3:]) + "\n")  # one deleted
    assert set(judge(*read_record(tmp_path / "gap.log", key), tests)[0]) == {"aaa", "bbb"}


def test_tampering_during_a_test_or_a_missing_probe_taints_that_test(tmp_path):
    key, tests = b"k" * 32, [("aaa", "n1"), ("bbb", "n2")]
    _record(tmp_path / "r.log", key, ["start 1", "tamper reference numpy.allclose was replaced",
                                      "exec aaa", "probe n1", "exec bbb",
                                      "tamper reference nnlab.step was replaced"])
    tainted, flags = judge(*read_record(tmp_path / "r.log", key), tests)
    assert set(tainted) == {"bbb"}  # aaa ran after the guard had put numpy back
    assert "numpy.allclose was replaced" in flags
