"""A simulated class graded by the real pipeline (tools.grade), one problem set at a time.

For each problem set, a temporary course directory gets the set's source notebook and
nbgrader_config.py, and a class of students built from the released notebook (see harness.py):
the solution, the untouched release, a differently written solution, one wrong part, an
exception / endless loop / memory bomb / syntax error in one answer, a student who edits and one
who deletes test cells, one who prints to stderr, one whose folder lacks the notebook, one who
submitted nothing for this set, one student per answer cell who left it unimplemented, and a
"copier" who copies everything the lessons print and every lesson answer (the <details> blocks)
but gets every transfer task wrong.
All of them are graded by one call of `tools.grade.grade`, as `make grade` does.
"""

import csv
import shutil
import time

import nbformat
import pytest
from harness import BREAKAGES, NOT_IMPLEMENTED, ROOT, ProblemSet, problem_sets
from lessons import answer_quoting, lessons_matching

from tools.grade import FAILED, GRADED, NO_NOTEBOOK, NOT_SUBMITTED, Limits, cell_scores, grade

#: A student passes a problem set with at least this share of its autograded points.
PASS_MARK = 0.5

# Cell timeout 10 s (nbgrader_config.py); limits low enough that a runaway student is stopped
# quickly, high enough for every honest notebook.
LIMITS = Limits(memory_mb=2048, cpu_seconds=60, wall_seconds=120)


def copier(ps):
    """The student who copies the lessons: (notebook, test cells expected to lose their points).

    The parts that follow a lesson's code get the lesson's code (the solution); the parts a
    lesson's answer gives away (the cases' FROM_LESSONS: {answer cell: (lesson, quote)}) get
    that answer (the solution too: the lesson says it); every transfer task (the cases' COPIER:
    {answer cell: source}) gets the plausible wrong answer a copier would write.
    """
    wrong_sources, lost = ps.cases.COPIER
    from_lessons = getattr(ps.cases, "FROM_LESSONS", {})
    sources = {cell: ps.answers[cell] for cell in from_lessons}
    sources.update(wrong_sources)
    return ps.student(sources), lost


def simulated_class(ps):
    """{student: (notebook or None, test cells expected to lose all their points)}."""
    cases = ps.cases
    wrong_cell, wrong_source, wrong_lost = cases.WRONG
    failing_cell, failing_lost = cases.FAILING
    students = {
        "solution": (ps.student(), []),
        "untouched": (ps.released(), list(ps.points)),
        "alternative": (ps.student(cases.ALTERNATIVE), []),
        "wrong": (ps.student({wrong_cell: wrong_source}), wrong_lost),
        # tries to pass by rewriting the tests that catch the mistake
        "edits_tests": (ps.student({wrong_cell: wrong_source},
                                   edit_tests={t: 'print("all tests passed")\n'
                                               for t in wrong_lost}), wrong_lost),
        "deletes_tests": (ps.student(drop_tests=True), []),
        "prints_to_stderr": (ps.student({failing_cell: 'import sys\nprint("debugging", '
                                         'file=sys.stderr)\n' + ps.answers[failing_cell]}), []),
        "no_notebook": (None, list(ps.points)),
    }
    students["copier"] = copier(ps)
    for kind, source in BREAKAGES.items():
        students[kind] = (ps.student({failing_cell: source}), failing_lost)
    for answer in ps.answers:
        students[f"missing_{answer}"] = (ps.student({answer: NOT_IMPLEMENTED}),
                                         ps.tests_of[answer])
    return students


class GradedClass:
    def __init__(self, ps, course, students, summary, seconds):
        self.ps, self.course, self.students = ps, course, students
        self.summary, self.seconds = summary, seconds

    def result(self, student):
        return self.summary["results"][student, self.ps.name]

    def cells(self, student):
        return cell_scores(self.course, self.ps.name, student)


@pytest.fixture(scope="module", params=problem_sets())
def graded(request, tmp_path_factory):
    ps = ProblemSet(request.param)  # fails (not skips) for a set without a cases file
    course = tmp_path_factory.mktemp(ps.name)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ps.name, course / "solutions" / ps.name)
    students = simulated_class(ps)
    notebook_name = ps.released_name
    for student, (nb, _) in students.items():
        folder = course / "submitted" / student / ps.name
        folder.mkdir(parents=True)
        if nb is None:
            (folder / "notes.txt").write_text("I forgot to upload my notebook.\n")
        else:
            nbformat.write(nb, folder / notebook_name)
    (course / "submitted" / "absent").mkdir()  # submitted other sets, not this one
    start = time.perf_counter()
    summary = grade(course, assignments=[ps.name], limits=LIMITS, force=True, feedback=True,
                    jobs=2)
    return GradedClass(ps, course, students, summary, time.perf_counter() - start)


def check(graded, student):
    """The score is exactly the points of the tests not lost; each lost test scores 0."""
    _, lost = graded.students[student]
    result = graded.result(student)
    expected = graded.ps.expected(lost)
    assert result["score"] == pytest.approx(expected), \
        f"{student}: scored {result['score']}, expected {expected} (losing {lost})"
    cells = graded.cells(student)
    for test, points in graded.ps.points.items():
        assert cells[test] == pytest.approx(0.0 if test in lost else points), \
            f"{student}: test cell {test} scored {cells[test]}"


def test_solution_scores_full_marks(graded):
    assert graded.result("solution")["status"] == GRADED
    check(graded, "solution")


def test_untouched_release_scores_zero_without_crashing(graded):
    assert graded.result("untouched")["status"] == GRADED
    assert graded.result("untouched")["score"] == 0.0
    check(graded, "untouched")


def test_differently_written_solution_scores_full_marks(graded):
    check(graded, "alternative")


def test_one_wrong_part_loses_exactly_its_points(graded):
    check(graded, "wrong")


@pytest.mark.parametrize("kind", list(BREAKAGES))
def test_a_broken_answer_loses_only_its_own_points(graded, kind):
    """Exception, endless loop, memory bomb, syntax error: that part scores 0, grading goes on."""
    assert graded.result(kind)["status"] == GRADED, graded.result(kind).get("error")
    check(graded, kind)


def test_a_student_who_only_copies_the_lessons_does_not_pass(graded):
    """Copying what the lessons print, with every transfer task (an answer written in no lesson)
    wrong, scores exactly the copyable points, and that is below the pass mark."""
    check(graded, "copier")
    assert graded.result("copier")["score"] < PASS_MARK * graded.ps.total, \
        f"{graded.ps.name}: the transfer tasks carry too few points for the copier to fail"


@pytest.mark.parametrize("pset", problem_sets())
def test_the_copier_copies_what_the_lesson_answers_say(pset):
    """Every part a lesson answer gives away is copied, with the lesson's words to show it;
    no transfer task is among them, and no lesson contains the words that would give a transfer
    task's answer away (the cases' TRANSFER_WORDS: {answer cell: [regular expressions]})."""
    ps = ProblemSet(pset)
    wrong_sources, _ = ps.cases.COPIER
    from_lessons = getattr(ps.cases, "FROM_LESSONS", {})
    for cell, (lesson, quote) in from_lessons.items():
        assert cell in ps.answers, f"FROM_LESSONS names {cell!r}, not an answer cell of {pset}"
        assert answer_quoting(lesson, quote), \
            f"{pset}: no answer of lesson {lesson} says {quote!r} (FROM_LESSONS[{cell!r}])"
        assert cell not in wrong_sources, \
            f"{pset}: {cell} is answered in lesson {lesson}: the copier cannot get it wrong"
    transfer_words = getattr(ps.cases, "TRANSFER_WORDS", {})
    for cell, patterns in transfer_words.items():
        assert cell in wrong_sources, f"{pset}: TRANSFER_WORDS names {cell!r}, not a transfer task"
        for pattern in patterns:
            assert not lessons_matching(pattern), \
                f"{pset}: the lessons now give {cell} away: {lessons_matching(pattern)}"


def test_an_endless_loop_is_stopped_by_the_cell_timeout_not_the_wall_limit(graded):
    # graded (its cell interrupted by nbgrader's timeout), not a worker killed at the wall limit
    # (that reports "the grading process died or was stopped"): a count of outcomes, not a
    # wall-clock bound, which flakes on a busy host (grading speed is `make bench`'s business)
    result = graded.result("infinite_loop")
    assert result["status"] == GRADED, result.get("error")
    assert "died or was stopped" not in str(result.get("error") or "")


def test_edited_tests_are_restored(graded):
    check(graded, "edits_tests")


def test_deleted_tests_are_restored(graded):
    check(graded, "deletes_tests")


def test_stderr_in_an_answer_cell_costs_nothing(graded):
    check(graded, "prints_to_stderr")


def test_a_missing_notebook_scores_zero(graded):
    result = graded.result("no_notebook")
    assert result["status"] == NO_NOTEBOOK and result["score"] == 0.0


def test_each_answer_matters(graded):
    """Unimplement one answer at a time: its own test cells (hidden tests included) score 0."""
    for answer, tests in graded.ps.tests_of.items():
        student = f"missing_{answer}"
        assert tests, f"answer cell {answer} has no test cell after it"
        cells = graded.cells(student)
        assert all(cells[t] == 0.0 for t in tests), f"{student}: {cells}"
        assert graded.result(student)["score"] < graded.ps.total


def test_every_student_is_exported(graded):
    with open(graded.summary["csv"]) as f:
        rows = [row for row in csv.DictReader(f) if row["assignment"] == graded.ps.name]
    everybody = set(graded.students) | {"absent"}
    assert sorted(row["student_id"] for row in rows) == sorted(everybody)
    for row in rows:
        expected = 0.0 if row["student_id"] == "absent" else \
            graded.result(row["student_id"])["score"]
        assert float(row["score"]) == pytest.approx(expected), row
    assert graded.result("absent")["status"] == NOT_SUBMITTED


def test_nothing_failed_and_feedback_was_written(graded):
    statuses = {s: graded.result(s)["status"] for s in graded.students}
    assert FAILED not in statuses.values(), statuses
    for student, status in statuses.items():
        if status == GRADED:
            html = graded.course / "feedback" / student / graded.ps.name
            assert list(html.glob("*.html")), f"no feedback for {student}"


def test_no_honest_student_is_flagged_by_the_integrity_guard(graded):
    """The guard (tools/grading/guard.py) must not mistake any of this class, breakages
    included, for a cheater: a flag would send the instructor after an honest student."""
    flagged = {s: graded.result(s).get("flags") for s in graded.students
               if graded.result(s).get("flags")}
    assert not flagged, flagged
