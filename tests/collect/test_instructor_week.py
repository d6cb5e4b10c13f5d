"""An instructor's mid-term, as INSTRUCTORS.md tells it (issue #29), through the real grading.

Two sets are released (ps1, ps2); only ps1 is collected, from a Canvas download in which Ann
re-uploaded her notebook ("-1", a higher submission number), Alice (rostered "Oneal, Alice")
wrote her written answer, Bob handed in the untouched release and Chloé nothing. Then:

1. `make grade TO_LMS=canvas`: ps2 is left out, the Canvas file is refused while Alice's written
   answer waits for a grader, and grades.csv, the summary and her feedback say so;
2. the instructor grades the answer (in the formgrader: here straight into the gradebook);
3. `make grade TO_LMS=canvas` again: nothing is graded again (and the summary says so), the
   Canvas file has ps1 only, with the hand-given points.

Expected scores come from the points of the source notebook (tests/grading/harness.py).
"""

import contextlib
import csv
import io
import shutil
import subprocess
import zipfile

import lms_archives as A
import nbformat
import pytest
from harness import ROOT, ProblemSet

from tools import collect, grade, lms_export
from tools.grading.gradebook import gradebook

PS2 = "ps2_perceptron"
WRITTEN = "why_not_parity"
ROSTER = ('student_id,name,email,lms_id\n'
          's01,"Lee, Ann",alee@uni.example,1001\n'
          's02,"Oneal, Alice",aoneal@uni.example,1002\n'
          's03,Bob Smith,bsmith@uni.example,1003\n'
          's04,Chloé Dubois,cdubois@uni.example,1004\n')


def canvas(sortable, uid, number, filename):
    return f"{sortable}_{uid}_{number}_{filename}"


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = grade.main(argv)
    return status, out.getvalue(), err.getvalue()


def rows_of(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    ps = ProblemSet(A.SET)
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for name in (A.SET, PS2):
        shutil.copytree(ROOT / "solutions" / name, course / "solutions" / name)
    (course / "roster.csv").write_text(ROSTER, encoding="utf-8")
    written = ps.student()
    for cell in written.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == WRITTEN:
            cell.source = "A single line cannot separate the two classes of parity."
    download = tmp_path_factory.mktemp("downloads") / "ps1.zip"  # ~/Downloads, not the course
    with zipfile.ZipFile(download, "w") as z:
        z.writestr(canvas("leeann", 1001, 900105, A.NB), nbformat.writes(ps.released()))
        z.writestr(canvas("leeann", 1001, 900199, f"{A.SET}-1.ipynb"),
                   nbformat.writes(ps.student()))
        z.writestr(canvas("onealalice", 1002, 900120, A.NB), nbformat.writes(written))
        z.writestr(canvas("smithbob", 1003, 900130, A.NB), nbformat.writes(ps.released()))
    with contextlib.redirect_stdout(io.StringIO()) as collected:
        assert collect.main([A.SET, str(download), "--course-dir", str(course)]) == 0
    first = run(["--course-dir", str(course), "--to-lms", "canvas", "--jobs", "2"])
    first_rows = rows_of(course / "grades.csv")
    canvas_after_first = (course / "grades-canvas.csv").exists()
    first_feedback = (course / "feedback" / "s02" / A.SET / A.NB.replace(".ipynb", ".html")
                      ).read_text(encoding="utf-8")
    # 2. the instructor grades the written answer, as the formgrader's "save" does
    # (nbgrader/server_extensions/formgrader/apihandlers.py, GradeHandler.put)
    with gradebook(course) as gb:
        answer = gb.find_grade(WRITTEN, A.NB[:-6], A.SET, "s02")
        answer.manual_score, answer.needs_manual_grade = 1.5, False
        gb.db.commit()
    second = run(["--course-dir", str(course), "--to-lms", "canvas", "--jobs", "2"])
    return {"ps": ps, "course": course, "collected": collected.getvalue(), "first": first,
            "first_rows": first_rows, "first_feedback": first_feedback, "second": second,
            "canvas_after_first": canvas_after_first}


def test_the_re_upload_is_collected_and_the_first_upload_named(term):
    assert "submission number 900105" in term["collected"]
    assert "4 collected" not in term["collected"] and "3 collected" in term["collected"]


def test_only_the_collected_set_is_graded_and_nothing_else_is_listed(term):
    _, out, _ = term["first"]
    assert f"not collected yet, left out: {PS2}" in out
    assert f"{A.SET}: grading 3 submission(s)" in out
    assert PS2 not in out.replace(f"left out: {PS2}", "")
    assert {r["assignment"] for r in term["first_rows"]} == {A.SET}


def test_grades_csv_keeps_the_names_and_says_who_waits_for_a_grader(term):
    ps = term["ps"]
    rows = {r["student_id"]: r for r in term["first_rows"]}
    assert (rows["s02"]["first_name"], rows["s02"]["last_name"]) == ("Alice", "Oneal")
    assert rows["s02"]["email"] == "aoneal@uni.example"
    assert rows["s02"]["status"] == "waiting for manual grading"
    assert rows["s02"]["waiting"] == f"waiting for manual grading: {WRITTEN} (2 points)"
    assert float(rows["s01"]["score"]) == pytest.approx(ps.total)  # the re-upload is graded
    assert float(rows["s03"]["score"]) == 0.0
    for sid in ("s01", "s03"):  # an untouched written answer scores 0 and waits for nobody
        assert (rows[sid]["status"], rows[sid]["waiting"]) == ("graded", "")
    assert rows["s04"]["status"] == "not submitted" and rows["s04"]["reason"]


def test_the_summary_and_the_feedback_say_waiting(term):
    _, out, err = term["first"]
    assert f"WAITING {A.SET} s02: {WRITTEN} (2 points)" in out
    feedback = term["first_feedback"]
    assert "waiting for manual grading: why_not_parity (2 points). The score below is not " \
           "final" in feedback
    # nbgrader wrote "Written response (Score: 0.0 / 2.0)", at the contents and at the answer
    assert "Written response</a> (waiting for manual grading, 2 points)" in feedback
    assert feedback.count("waiting for manual grading, 2 points") == 2
    assert "Score: 0.0 / 2.0" not in feedback
    assert "waiting for manual grading" in err and "--allow-ungraded" in err


def test_the_canvas_file_is_refused_while_an_answer_waits(term):
    status, _, err = term["first"]
    assert "WARNING: no canvas import file" in err and "s02" in err
    assert status == 1 and "Exit status 1: no canvas import file was written" in err
    assert not term["canvas_after_first"]


def test_a_re_run_says_it_graded_nothing(term):
    status, out, _ = term["second"]
    assert status == 0
    assert f"{A.SET}: 3 submission(s) graded before and not collected again: not graded " \
           "again, feedback rewritten" in out
    assert "3 graded" not in out and "WAITING" not in out and "failed" not in out
    assert f"{A.SET}: 3 unchanged since the last run" in out


def test_after_hand_grading_the_canvas_file_has_the_collected_set_only(term):
    ps, course = term["ps"], term["course"]
    with open(course / "grades-canvas.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A.SET]
    table = {row[2]: row for row in rows[2:]}
    assert table["s02"][0] == "Oneal, Alice" and table["s01"][0] == "Lee, Ann"
    assert float(table["s02"][5]) == pytest.approx(ps.total + 1.5)
    assert float(table["s01"][5]) == pytest.approx(ps.total)
    assert float(table["s04"][5]) == 0.0  # the set was handed in: missing it scores 0
    feedback = (course / "feedback" / "s02" / A.SET / A.NB.replace(".ipynb", ".html")
                ).read_text(encoding="utf-8")
    assert "waiting for manual grading" not in feedback


def test_git_status_shows_no_file_with_personal_data(term, tmp_path):
    """Every file the tools wrote (grades, LMS files, roster, submissions, feedback, gradebook,
    logs) is ignored by the repository's .gitignore: `git add -A` cannot commit them."""
    course = term["course"]
    assert lms_export.main(["moodle", "--grades", str(course / "grades.csv"), "--roster",
                            str(course / "roster.csv"), "--to",
                            str(course / "grades-moodle.csv")]) == 0
    written = {p.relative_to(course).parts[0] for p in course.rglob("*") if p.is_file()}
    assert {"grades.csv", "grades-canvas.csv", "grades-moodle.csv", "roster.csv", "gradebook.db",
            ".nbgrader.log", "submitted", "autograded", "feedback", "collect"} <= written
    shutil.copy(ROOT / ".gitignore", course / ".gitignore")
    git = ["git", "-C", str(course)]
    subprocess.run([*git, "init", "-q"], check=True)
    status = subprocess.run([*git, "status", "--porcelain", "--untracked-files=all"],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    shown = {line[3:].strip('"').split("/")[0] for line in status}
    assert shown == {".gitignore", "nbgrader_config.py", "solutions"}, status
