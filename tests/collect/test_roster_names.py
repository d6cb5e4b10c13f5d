"""Names survive every file the tools write (issue #29): a roster of generated names, written
"First Last" or "Last, First" with quotes, accents and non-Latin scripts, goes through the
gradebook into grades.csv and the Canvas and Moodle files; each is read back with the csv
module and every field is compared with what the roster was generated from.

Before: nbgrader's CSV export did not quote, so "Oneal, Alice" shifted every column after it.
"""

import csv
import io
import os
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools import grade, lms_export
from tools.release import nbgrader_env
from tools.roster import Roster

SET = "ps1_neurons_and_gates"

# one word of a name: letters of any script, accents, apostrophes, quotes, hyphens; no space,
# comma or line break (those separate words and name parts)
WORD = st.text(st.characters(categories=("Lu", "Ll", "Lo", "Mn")) | st.sampled_from("'\"-’é"),
               min_size=1, max_size=8).filter(lambda w: not unicodedata.combining(w[0]))


@st.composite
def person(draw, index):
    first = " ".join(draw(st.lists(WORD, min_size=1, max_size=3)))
    last = draw(WORD)
    comma = draw(st.booleans())
    if comma:  # "Last, First": the last name may have several words ("van Dyke, Dick")
        last = " ".join([*draw(st.lists(WORD, max_size=1)), last])
        name = f"{last}, {first}"
    else:
        name = f"{first} {last}"
    return {"student_id": f"s{index:03d}", "name": name, "first": first, "last": last,
            "email": f"s{index:03d}@uni.example", "lms_id": str(5000 + index)}


def roster_text(people):
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow(["student_id", "name", "email", "lms_id"])
    for p in people:
        out.writerow([p["student_id"], p["name"], p["email"], p["lms_id"]])
    return buffer.getvalue()


@pytest.fixture(scope="module")
def gb(tmp_path_factory):
    """One gradebook for every example (creating one takes seconds: nbgrader runs alembic)."""
    from nbgrader.api import Gradebook

    path = os.environ.get("PATH", "")
    os.environ["PATH"] = nbgrader_env()["PATH"]
    try:
        book = Gradebook(f"sqlite:///{tmp_path_factory.mktemp('gb') / 'gradebook.db'}")
    finally:
        os.environ["PATH"] = path
    book.add_assignment(SET)
    yield book
    book.close()


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert all(len(row) == len(rows[0]) for row in rows), rows  # no shifted column
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(*[person(i) for i in range(n)])))
def test_every_field_of_every_file_matches_the_roster(gb, tmp_path, people):
    for student in list(gb.students):
        gb.remove_student(student.id)
    roster = Roster.read(io.StringIO(roster_text(people)))
    lms_export.enrol_roster(gb, tmp_path, roster)
    grades = tmp_path / "grades.csv"
    grade.export_csv(gb, [SET], grades, {})
    lms_export.add_reasons(grades, [(p["student_id"], SET, "not submitted, because: \"x\", y")
                                    for p in people])
    rows = {r["student_id"]: r for r in read(grades)}
    assert set(rows) == {p["student_id"] for p in people}
    for p in people:
        row = rows[p["student_id"]]
        assert (row["first_name"], row["last_name"], row["email"]) == \
            (p["first"], p["last"], p["email"])
        assert (row["assignment"], row["score"], row["max_score"]) == (SET, "0", "0")
        assert row["reason"] == "not submitted, because: \"x\", y"

    scores = {(p["student_id"], SET): float(i) + 0.5 for i, p in enumerate(people)}
    lms_export.write_canvas(tmp_path / "canvas.csv", scores, {SET: 20.0}, roster, [SET])
    canvas = read(tmp_path / "canvas.csv")
    assert canvas[0]["Student"] == "Points Possible" and canvas[0][SET] == "20"
    for p, row in zip(people, canvas[1:], strict=True):
        assert (row["Student"], row["ID"], row["SIS User ID"]) == \
            (f"{p['last']}, {p['first']}", p["lms_id"], p["student_id"])
        assert float(row[SET]) == scores[p["student_id"], SET]

    lms_export.write_moodle(tmp_path / "moodle.csv", scores, {SET: 20.0}, roster, [SET])
    for p, row in zip(people, read(tmp_path / "moodle.csv"), strict=True):
        assert (row["Full name"], row["Email address"], row["ID number"]) == \
            (p["name"], p["email"], p["student_id"])
        assert float(row[SET]) == scores[p["student_id"], SET]


def test_the_issue_roster_row_keeps_its_columns(gb, tmp_path):
    """The issue's row, by hand: header and rows line up, first and last name not swapped."""
    for student in list(gb.students):
        gb.remove_student(student.id)
    roster = Roster.read(io.StringIO('student_id,name,email\nonealice,"Oneal, Alice",'
                                     'onealice@example.edu\nbob,Bob Smith,bob@example.edu\n'))
    lms_export.enrol_roster(gb, tmp_path, roster)
    grade.export_csv(gb, [SET], tmp_path / "grades.csv", {})
    rows = {r["student_id"]: r for r in read(tmp_path / "grades.csv")}
    assert (rows["onealice"]["first_name"], rows["onealice"]["last_name"]) == ("Alice", "Oneal")
    assert rows["onealice"]["email"] == "onealice@example.edu"
    assert rows["onealice"]["raw_score"] == rows["onealice"]["max_score"] == "0"
    assert (rows["bob"]["first_name"], rows["bob"]["last_name"]) == ("Bob", "Smith")
