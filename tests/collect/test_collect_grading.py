"""From a Canvas download to grades.csv and the LMS import files, through the real grading.

One grading run (ps1, feedback off): a roster of five, of whom s01 handed in the solution
(late, re-uploaded as "-1"), s02 the untouched release, s03 a PDF, s04 nothing at all, s05 a
notebook that is not JSON; plus a stranger not on the roster who handed in the solution.
Expected scores come from the points of the source notebook's test cells
(tests/grading/harness.py), not from the grading code.
"""

import contextlib
import csv
import io
import shutil
import zipfile

import lms_archives as A
import nbformat
import pytest
from harness import ROOT, ProblemSet

from tools import collect, grade, lms_export

PEOPLE = A.PEOPLE[:5]


def parse_canvas(path):
    """Canvas's gradebook import: the documented first five columns, then one per assignment."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"], header
    assignments = header[5:]
    assert assignments and all(a.strip() for a in assignments)
    points = body[0] if body and body[0][0].strip() == "Points Possible" else None
    students = body[1:] if points else body
    table = {}
    for row in students:
        assert len(row) == len(header), row
        assert row[1] or row[2] or row[3], f"{row[0]}: Canvas needs an ID, SIS User ID or login"
        assert row[2] not in table, f"{row[2]} twice"
        table[row[2]] = {a: float(v) for a, v in zip(assignments, row[5:])}
    return table, {a: float(p) for a, p in zip(assignments, points[5:])} if points else {}


def parse_moodle(path):
    """Moodle's CSV import: a header row, a user column to map (e-mail), numeric grades."""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        header = reader.fieldnames
    assert "Email address" in header and "ID number" in header, header
    emails = [r["Email address"] for r in rows]
    assert len(emails) == len(set(emails)) and all("@" in e for e in emails)
    sets = [h for h in header if h not in lms_export.MOODLE_COLUMNS]
    return {r["Email address"]: {a: float(r[a]) for a in sets} for r in rows}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    ps = ProblemSet(A.SET)
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / A.SET, course / "solutions" / A.SET)
    (course / "roster.csv").write_text("\n".join(A.roster_csv().splitlines()[:6]) + "\n")
    solution = nbformat.writes(ps.student()).encode()
    untouched = nbformat.writes(ps.released()).encode()
    download = course / "submissions.zip"
    s01, s02, s03, _, s05 = PEOPLE
    with zipfile.ZipFile(download, "w") as z:
        z.writestr(A.canvas_name(s01, 1, f"{A.SET}-1.ipynb", True, 1), solution)
        z.writestr(A.canvas_name(s02, 1, A.NB, False, 2), untouched)
        z.writestr(A.canvas_name(s03, 1, f"{A.SET}.pdf", False, 3), b"%PDF-1.4\n")
        z.writestr(A.canvas_name(s05, 1, f"{A.SET} (1).ipynb", False, 5), b"{not json")
        z.writestr(A.canvas_name(A.STRANGER, 1, A.NB, False, 6), solution)
    assert collect.main([A.SET, str(download), "--course-dir", str(course)]) == 1  # PDF, stranger
    # the stranger's work is graded too, if the instructor puts it in submitted/ by hand
    (course / "submitted" / "zz" / A.SET).mkdir(parents=True)
    (course / "submitted" / "zz" / A.SET / A.NB).write_bytes(solution)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = grade.main(["--course-dir", str(course), "--assignment", A.SET,
                             "--no-feedback", "--to-lms", "canvas"])
    assert status == 0
    with open(course / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    return ps, course, rows, out.getvalue()


def test_every_roster_student_has_a_row_with_the_right_score(graded):
    ps, course, rows, _ = graded
    assert set(rows) == {p.sid for p in PEOPLE} | {"zz"}
    expected = {"s01": ps.total, "s02": 0.0, "s03": 0.0, "s04": 0.0, "s05": 0.0}
    for sid, score in expected.items():
        assert float(rows[sid]["score"]) == pytest.approx(score), rows[sid]
    assert ps.total > 0


def test_zero_rows_say_why(graded):
    _, _, rows, _ = graded
    assert "PDF" in rows["s03"]["reason"]
    assert "nothing from this student" in rows["s04"]["reason"]
    assert "not a valid notebook" in rows["s05"]["reason"]
    assert rows["s01"]["reason"] == rows["s02"]["reason"] == ""  # graded, even if 0


def test_make_grade_ends_with_the_students_without_a_graded_submission(graded):
    _, _, _, out = graded
    tail = out[out.index("without a graded submission"):]
    lines = {line.split()[0]: line for line in tail.splitlines()[1:]}
    assert set(lines) == {"s03", "s04", "s05", "zz"}
    assert "PDF" in lines["s03"] and "nothing from this student" in lines["s04"]
    assert "not on" in lines["zz"]


def test_canvas_import_round_trip(graded):
    ps, course, rows, _ = graded
    table, points = parse_canvas(course / "grades-canvas.csv")
    assert set(table) == {p.sid for p in PEOPLE}  # SIS User ID = student_id; no stranger
    assert points == {A.SET: pytest.approx(float(rows["s01"]["max_score"]))}
    for sid, scores in table.items():
        assert scores[A.SET] == pytest.approx(float(rows[sid]["score"]))


def test_moodle_import_round_trip(graded, tmp_path):
    ps, course, rows, _ = graded
    target = tmp_path / "moodle.csv"
    assert lms_export.main(["moodle", "--grades", str(course / "grades.csv"), "--roster",
                            str(course / "roster.csv"), "--to", str(target)]) == 0
    table = parse_moodle(target)
    assert set(table) == {f"{p.login}@uni.example" for p in PEOPLE}
    for p in PEOPLE:
        assert table[f"{p.login}@uni.example"][A.SET] == pytest.approx(
            float(rows[p.sid]["score"]))


def test_an_lms_export_without_a_roster_is_refused(graded, tmp_path, capsys):
    _, course, _, _ = graded
    status = lms_export.main(["canvas", "--grades", str(course / "grades.csv"), "--roster",
                              str(tmp_path / "none.csv")])
    assert status == 2 and "roster: no file" in capsys.readouterr().err
