"""How each LMS names the files of a "download all submissions" archive.

`parse(lms, parts)` reads the path of one file of the archive (a tuple of folder and file names;
a zip inside the archive is one more folder) and returns a `Found`: who the student is, the file
name the student gave it, and the attempt (latest wins), or None if the path does not follow the
LMS's pattern. Every pattern below cites where it is documented or reported.

>>> found = parse("canvas", ("smithbob_LATE_340934_208490284_ps1-1.ipynb",))
>>> found.identity.lms_id, found.identity.name, found.filename, found.late, found.number
('340934', 'smithbob', 'ps1-1.ipynb', True, 208490284)
>>> found.upload
(208490284, 1)
>>> student_filename("ps1_neurons_and_gates (2)-1.ipynb")
'ps1_neurons_and_gates.ipynb'
"""

import re
from dataclasses import dataclass
from datetime import datetime

from tools.roster import Identity

__all__ = ["Found", "LMS_NAMES", "parse", "detect", "student_filename", "copy_number",
           "is_noise"]


@dataclass(frozen=True)
class Found:
    identity: Identity
    filename: str          # the student's file name, LMS prefixes removed
    attempt: str = ""      # sorts by age within one student ('' when the LMS gives one attempt)
    late: bool = False
    when: datetime = None  # submission time, when the name carries it
    metadata: bool = False  # a file the LMS adds about the submission (not the student's work)
    number: int = 0        # Canvas's attachment ("submission") number: a later upload is higher

    @property
    def upload(self):
        """Sorts the uploads of one file name within an attempt: the LMS's number, then the
        copy suffix ("-1", " (2)"); the highest is the latest."""
        return self.number, copy_number(self.filename)


# --- Canvas ----------------------------------------------------------------------------------
# instructure/canvas-lms, lib/content_zipper.rb (get_filename, add_upload_submission): each file
# of "Download Submissions" is named
#     <sortable name, lower case, non-word characters removed>[_LATE]_<user id>_<attachment id>_
#     <file>     (all on one line)
# e.g. "smithbob_340934_208490284_BobsWork.zip" (mikewesthad/canvas-unzipper README) and
# "name_LATE_canvasid_number_assignment.zip" (HCI-Data-Analysis/HCI-data-analysis,
# scripts/convert_zip_file/convert_zip_file_id.md). Anonymous grading writes "anon_<id>" for the
# name and user id. Text entries and URLs end in "_text.html" / "_link.html" with no attachment
# id. A file re-uploaded by the student gets "-1", "-2"... before its extension
# (IIC1253/IIC1253-2025-1#34: "11111111-2.zip"; nus-cs2103-AY2324S1/forum#459: "...-1.jar").
_CANVAS = re.compile(r"^(?P<name>[^\W_][\w]*?)(?P<late>_LATE)?_(?P<uid>\d+)"
                     r"(?:_(?P<att>\d+)_(?P<file>.+)|_(?P<entry>text|link)\.html)$")
_CANVAS_ANON = re.compile(r"^(?P<late>LATE_)?anon_(?P<uid>[A-Za-z0-9]+)"
                          r"(?:_(?P<att>\d+)_(?P<file>.+)|_(?P<entry>text|link)\.html)$")


def _canvas(component, last):
    m = _CANVAS.match(component) or _CANVAS_ANON.match(component)
    if not m:
        return None
    anonymous = m.re is _CANVAS_ANON
    identity = Identity(lms_id=("anon_" if anonymous else "") + m["uid"],
                        name=None if anonymous else m["name"])
    filename = m["file"] or f"{m['entry']}.html"
    return Found(identity, filename if last is None else last, late=bool(m["late"]),
                 number=int(m["att"] or 0))


# --- Moodle ----------------------------------------------------------------------------------
# moodle/moodle, mod/assign/locallib.php (download_submissions): the prefix is
#     clean_filename(<full name, "_" replaced by " "> . "_" . <participant id> . "_")
# followed by "<subtype>_<type>_" and the file name, e.g.
#     "Ann Lee_1234567_assignsubmission_file_ps1.ipynb"
# or, with "Download submissions in folders" (the default since Moodle 3.x, strings
# 'downloadasfolders'), a folder per student "Ann Lee_1234567_assignsubmission_file_/ps1.ipynb".
# The participant id is a per-assignment number (assign_user_mapping), not the user id: students
# are recognised by their name, or by roster lms_id if you fill it with these numbers. Blind
# marking writes "Participant" for the name; team submissions put "<group>-" before the name.
_MOODLE = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assignsubmission_(?P<type>[a-z]+)_(?P<file>.*)$")


def _moodle(component, last):
    m = _MOODLE.match(component)
    if not m or (not m["file"] and last is None):
        return None
    name = None if m["name"] == "Participant" else m["name"]
    return Found(Identity(lms_id=m["pid"], name=name),
                 m["file"] if last is None else last)


# --- Blackboard ------------------------------------------------------------------------------
# Grade Centre -> Assignment File Download: every file is named
#     <assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>
# plus one receipt "<assignment>_<username>_attempt_<date>.txt" per attempt
# (kwurst/bb-file-cleanup, BbCleanup.py: "assignmentname_username_attempt_date_studentfilename.ext";
# vangef/BBGradebookOrganiser, organise_gradebook: r'^(.*?)_(\d+)_attempt_(\d{4}-\d{2}-...)').
# Each attempt is a separate date: the latest wins.
_BLACKBOARD = re.compile(r"^(?P<assignment>.+)_(?P<login>[^_]+)_attempt_"
                         r"(?P<date>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)(?:_(?P<file>.+)|\.txt)$")


def _blackboard(component, last):
    m = _BLACKBOARD.match(component)
    if not m:
        return None
    when = datetime.strptime(m["date"], "%Y-%m-%d-%H-%M-%S")
    filename = (m["file"] or component) if last is None else last
    return Found(Identity(login=m["login"]), filename,
                 attempt=m["date"], when=when, metadata=m["file"] is None and last is None)


# --- ILIAS -----------------------------------------------------------------------------------
# Exercise -> Submissions and Grades -> "Download all": ILIAS-eLearning/ILIAS,
# Modules/Exercise/classes/class.ilExSubmission.php (downloadAllAssignmentFiles,
# getDirectoryNameFromUserData): one folder per participant,
#     getASCIIFilename(<lastname>_<firstname>_<login>_<user id>)/
# (also ilifau/ExerciseStatusFile README: "Individual: Lastname_Firstname_Login_ID/"), under a
# "Team <id>" folder for team assignments. The upload time ILIAS keeps in front of each stored
# file name is removed, a duplicate name becomes "name (2).ext", and a late file is prefixed with
# the interface's "exc_late_submission" text and " - ": recognised here in English and German
# ("Late Submission - ", "Verspaetete Abgabe - "); in another language the prefix stays in the
# name (harmless: the file is still used, only the late mark is lost). All files in a folder
# belong to the participant's one current submission.
_ILIAS = re.compile(r"^(?P<last>[^_]+(?:_[^_]+)*?)_(?P<first>[^_]+)_(?P<login>[^_]+)_(?P<uid>\d+)$")
_ILIAS_LATE = re.compile(r"^(?:late submission|versp(?:ae|ä)tete abgabe) - (?P<file>.+)$", re.I)


def _ilias(component, last):
    m = _ILIAS.match(component)
    if not m or last is None:  # the folder, never the file itself
        return None
    name = f"{m['first']} {m['last']}".replace("_", " ")
    late = _ILIAS_LATE.match(last)
    return Found(Identity(lms_id=m["uid"], login=m["login"], name=name),
                 late["file"] if late else last, late=bool(late))


LMS_NAMES = {"canvas": _canvas, "moodle": _moodle, "blackboard": _blackboard, "ilias": _ilias}

# files that operating systems and Jupyter add: ignored (and listed as ignored)
_NOISE = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", ".ipynb_checkpoints"}


def is_noise(parts):
    return any(p in _NOISE or p.startswith("._") for p in parts)


def parse(lms, parts):
    """Who submitted the file at `parts` (a tuple of path components), or None.

    For "folder", a download you arranged yourself: `<student>/<any file>` (a folder per student)
    or `<student>.ipynb` / `<student>_<anything>` (loose files), where <student> is the
    roster's student_id, login, e-mail or lms_id.
    """
    parts = tuple(parts)
    if lms == "folder":
        if len(parts) >= 2:
            key = parts[0]
        else:
            key = re.split(r"[_.]", parts[0], maxsplit=1)[0] if "@" not in parts[0] \
                else parts[0].rsplit(".", 1)[0].split("_")[0]
        return Found(Identity(lms_id=key, login=key), parts[-1])
    if lms not in LMS_NAMES:
        raise ValueError(f"lms must be one of {', '.join([*LMS_NAMES, 'folder'])}, "
                         f"but got {lms!r}")
    reader = LMS_NAMES[lms]
    for i, component in enumerate(parts):
        found = reader(component, None if i == len(parts) - 1 else parts[-1])
        if found is not None:
            return found
    return None


def detect(paths):
    """The LMS whose pattern the paths follow, or None when it is not clear.

    Clear means: one LMS's pattern matches more than half the files and more files than any
    other LMS's pattern.
    """
    paths = [tuple(p) for p in paths if not is_noise(p)]
    if not paths:
        return None
    hits = {lms: sum(parse(lms, p) is not None for p in paths) for lms in LMS_NAMES}
    ranked = sorted(hits.items(), key=lambda item: -item[1])
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    return best if n * 2 > len(paths) and n > runner_up else None


_COPY_SUFFIX = re.compile(r"(?:-\d+| ?\(\d+\))+(?=\.[^.]*$|$)")
_COPY_NUMBER = re.compile(r"-(\d+)| ?\((\d+)\)")


def copy_number(name):
    """The largest copy number in a file name's suffixes (0 without one).

    >>> copy_number("ps1-2.ipynb"), copy_number("ps1 (1)-3.ipynb"), copy_number("ps1.ipynb")
    (2, 3, 0)
    """
    suffix = _COPY_SUFFIX.search(name)
    if not suffix:
        return 0
    return max(int(a or b) for a, b in _COPY_NUMBER.findall(suffix.group()))


def student_filename(name):
    """A file name without the copy suffixes LMSs and browsers add.

    Canvas appends "-1", "-2"... to a re-uploaded file (see above); a browser saves a second
    download of the same file as "name (1).ext" (the instructor's trial in this project's issue
    #17: "... (1).ipynb"), and ILIAS names a duplicate "name (2).ext" (ilExSubmission.php,
    downloadAllAssignmentFiles, "#14536").
    """
    return _COPY_SUFFIX.sub("", name)

