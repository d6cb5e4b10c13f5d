"""Each LMS pattern against the examples of the documentation or reports cited in
tools/lms_names.py (written out here by hand)."""

import pytest

from tools.lms_names import detect, parse, student_filename
from tools.roster import Identity, Roster


@pytest.mark.parametrize("lms, path, identity, filename, late", [
    # mikewesthad/canvas-unzipper README
    ("canvas", ("smithbob_340934_208490284_BobsWork.zip",),
     Identity(lms_id="340934", name="smithbob"), "BobsWork.zip", False),
    # content_zipper.rb: [name, "LATE", user id].join("_") then _<attachment id>_<file>
    ("canvas", ("doejane_LATE_12345_67890_ps1_neurons_and_gates-1.ipynb",),
     Identity(lms_id="12345", name="doejane"), "ps1_neurons_and_gates-1.ipynb", True),
    ("canvas", ("anon_x7Kq2_67890_ps1.ipynb",), Identity(lms_id="anon_x7Kq2"), "ps1.ipynb", False),
    ("canvas", ("LATE_anon_x7Kq2_67890_ps1.ipynb",), Identity(lms_id="anon_x7Kq2"), "ps1.ipynb",
     True),
    ("canvas", ("leeann_1001_text.html",), Identity(lms_id="1001", name="leeann"), "text.html",
     False),
    # a zip the student uploaded, opened: the file is the innermost name
    ("canvas", ("leeann_1001_5_work.zip", "work", "ps1.ipynb"),
     Identity(lms_id="1001", name="leeann"), "ps1.ipynb", False),
    # moodle mod/assign/locallib.php download_submissions
    ("moodle", ("Ann Lee_1234567_assignsubmission_file_ps1.ipynb",),
     Identity(lms_id="1234567", name="Ann Lee"), "ps1.ipynb", False),
    ("moodle", ("Ann Lee_1234567_assignsubmission_file_", "ps1.ipynb"),
     Identity(lms_id="1234567", name="Ann Lee"), "ps1.ipynb", False),
    ("moodle", ("Participant_1234567_assignsubmission_file_", "ps1.ipynb"),
     Identity(lms_id="1234567"), "ps1.ipynb", False),
    ("moodle", ("Ann Lee_1234567_assignsubmission_onlinetext_onlinetext.html",),
     Identity(lms_id="1234567", name="Ann Lee"), "onlinetext.html", False),
    # kwurst/bb-file-cleanup: assignmentname_username_attempt_date_studentfilename.ext
    ("blackboard", ("Homework 1_jdoe_attempt_2024-01-31-23-59-59_hw1.ipynb",),
     Identity(login="jdoe"), "hw1.ipynb", False),
    # ilExSubmission::getDirectoryNameFromUserData: lastname_firstname_login_userid
    ("ilias", ("PS1", "Lee_Ann_alee_3141", "Late Submission - ps1.ipynb"),
     Identity(lms_id="3141", login="alee", name="Ann Lee"), "ps1.ipynb", True),
    ("ilias", ("van_der_Berg_Jan_jberg_12", "ps1 (2).ipynb"),
     Identity(lms_id="12", login="jberg", name="Jan van der Berg"), "ps1 (2).ipynb", False),
    ("folder", ("s01", "ps1.ipynb"), Identity(lms_id="s01", login="s01"), "ps1.ipynb", False),
    ("folder", ("s01_final.ipynb",), Identity(lms_id="s01", login="s01"), "s01_final.ipynb",
     False),
])
def test_documented_names(lms, path, identity, filename, late):
    found = parse(lms, path)
    assert found is not None, path
    assert (found.identity, found.filename, found.late) == (identity, filename, late)


def test_blackboard_attempts_sort_by_date_and_receipts_are_metadata():
    older = parse("blackboard", ("PS1_jdoe_attempt_2024-01-31-09-00-00_ps1.ipynb",))
    newer = parse("blackboard", ("PS1_jdoe_attempt_2024-02-01-08-00-00_ps1.ipynb",))
    assert older.attempt < newer.attempt and newer.when.day == 1
    assert parse("blackboard", ("PS1_jdoe_attempt_2024-02-01-08-00-00.txt",)).metadata


@pytest.mark.parametrize("lms, path", [
    ("canvas", ("ps1_neurons_and_gates.ipynb",)),
    ("canvas", ("Ann Lee_1234567_assignsubmission_file_ps1.ipynb",)),
    ("moodle", ("smithbob_340934_208490284_BobsWork.zip",)),
    ("blackboard", ("PS1_jdoe_attempt_2024-01-31_ps1.ipynb",)),
    ("ilias", ("Lee_Ann_alee_3141",)),  # a file, not a folder
])
def test_names_of_other_layouts_are_not_taken(lms, path):
    assert parse(lms, path) is None


@pytest.mark.parametrize("name, clean", [
    ("ps1-1.ipynb", "ps1.ipynb"), ("ps1-12.ipynb", "ps1.ipynb"), ("ps1 (1).ipynb", "ps1.ipynb"),
    ("ps1 (2)-1.ipynb", "ps1.ipynb"),
    ("ps1_neurons_and_gates.ipynb", "ps1_neurons_and_gates.ipynb"),
    ("11111111-2.zip", "11111111.zip"),  # IIC1253/IIC1253-2025-1#34
])
def test_copy_suffixes(name, clean):
    assert student_filename(name) == clean


def test_detect_needs_a_clear_majority():
    canvas = [("leeann_1001_5_ps1.ipynb",), ("roekim_1002_6_ps1.ipynb",)]
    assert detect(canvas) == "canvas"
    assert detect(canvas + [("a.ipynb",), ("b.ipynb",)]) is None
    assert detect([]) is None


def test_namesakes_are_told_apart_by_id_and_never_guessed():
    import io
    roster = Roster.read(io.StringIO("student_id,name,email,lms_id\n"
                                     "s1,Ann Lee,a1@x,11\ns2,Ann Lee,a2@x,22\n"))
    assert roster.match(Identity(lms_id="22", name="leeann")) == "s2"
    assert roster.match(Identity(name="Ann Lee")) is None  # Moodle: two Ann Lees
