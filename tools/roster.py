"""The class list: who must appear in grades.csv, and how the LMS names each student.

`roster.csv` (at the course root) has one row per student and a header. Required columns:

    student_id   the id used everywhere in the course (submitted/<student_id>/, grades.csv)
    name         full name, "First Last" or "Last, First" as Canvas and most LMSs write it
                 (used to recognise the LMS's file names, and in grades.csv and the LMS files)
    email        e-mail address (the key of the Moodle grade import)

Optional columns, used when present to recognise the LMS's names and in the LMS exports:

    lms_id       the LMS's numeric user id (Canvas "ID", ILIAS user id, Moodle participant id)
    login        the LMS login (Blackboard username, ILIAS login, Canvas "SIS Login ID")
    sis_id       the institution's id (Canvas "SIS User ID"; default: student_id)
    section      the course section (Canvas "Section")

Example:

>>> import io
>>> r = Roster.read(io.StringIO("student_id,name,email,lms_id\\n"
...                             "s01,Ann Lee,ann@uni.edu,3141\\n"))
>>> r.match(Identity(lms_id="3141")), r.match(Identity(name="leeann"))
('s01', 's01')
>>> r.match(Identity(name="Bob")) is None
True
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Identity", "Student", "Roster", "RosterError", "name_key", "valid_id", "split_name",
           "ROSTER_FILE"]

#: Where the course keeps its roster (relative to the course root).
ROSTER_FILE = "roster.csv"
REQUIRED = ("student_id", "name", "email")
OPTIONAL = ("lms_id", "login", "sis_id", "section")
# the same characters nbgrader allows in a student id, and safe as a folder name
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


def valid_id(student_id):
    """Whether student_id can name a folder of submitted/ (no "/", "..", leading dot...).

    >>> valid_id("s2031"), valid_id("ann.lee@uni.edu"), valid_id(".."), valid_id("a/b")
    (True, True, False, False)
    """
    return bool(_ID.match(student_id or ""))


class RosterError(ValueError):
    """roster.csv is unusable; the message names the file, the row and what was expected."""


def name_key(text):
    """A person's name reduced to lower-case letters and digits, accents removed.

    Canvas writes "smithbob" for Bob Smith, Moodle "Bob Smith", ILIAS "Smith_Bob": the keys of
    both word orders are compared.

    >>> name_key("José  Núñez-O'Brien")
    'josenunezobrien'
    """
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


def split_name(name):
    """(first, last) of a roster name written "First Last" or "Last, First".

    The last word is the last name unless the name has a comma: then what comes before the
    first comma is the last name (Canvas's "sortable name", most LMS exports).

    >>> split_name("Alice Oneal"), split_name("Oneal, Alice"), split_name("van Dyke, Dick")
    (('Alice', 'Oneal'), ('Alice', 'Oneal'), ('Dick', 'van Dyke'))
    >>> split_name("Plato"), split_name("Ōta, 花子")
    (('', 'Plato'), ('花子', 'Ōta'))
    """
    name = " ".join(str(name).split())
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.rpartition(" ")
    return first, last


@dataclass(frozen=True)
class Identity:
    """What an LMS file name says about its student (any field may be missing)."""

    lms_id: str = None
    login: str = None
    name: str = None

    def __str__(self):
        parts = [f"{k} {v!r}" for k, v in (("name", self.name), ("login", self.login),
                                            ("LMS id", self.lms_id)) if v]
        return ", ".join(parts) or "nobody"


@dataclass(frozen=True)
class Student:
    student_id: str
    name: str
    email: str
    lms_id: str = ""
    login: str = ""
    sis_id: str = ""
    section: str = ""

    @property
    def first_name(self):
        return split_name(self.name)[0]

    @property
    def last_name(self):
        return split_name(self.name)[1]

    def name_keys(self):
        first, last = self.first_name, self.last_name
        # "First Last" and "Last First" (Canvas's sortable name, ILIAS's folders)
        return {name_key(f"{first} {last}"), name_key(f"{last} {first}")}


class Roster:
    """The students of the course, in roster order, with look-ups by every LMS identity."""

    def __init__(self, students, source="roster"):
        self.students = list(students)
        self.source = str(source)
        self.by_id = {}
        for s in self.students:
            if s.student_id in self.by_id:
                raise RosterError(f"{self.source}: student_id {s.student_id!r} appears twice")
            self.by_id[s.student_id] = s
        self._lms, self._login, self._name = {}, {}, {}
        for s in self.students:
            for index, key in ((self._lms, s.lms_id), (self._login, s.login.casefold()),
                               (self._login, s.student_id.casefold()),
                               (self._login, s.email.casefold())):
                if key:
                    index.setdefault(key, set()).add(s.student_id)
            for key in s.name_keys():
                self._name.setdefault(key, set()).add(s.student_id)

    @classmethod
    def read(cls, path_or_file):
        """Read roster.csv; RosterError names the row and column of any problem."""
        if hasattr(path_or_file, "read"):
            text, source = path_or_file.read(), "roster"
        else:
            path = Path(path_or_file)
            if not path.is_file():
                raise RosterError(f"roster: no file {path} (expected a CSV with the columns "
                                  f"{', '.join(REQUIRED)}; see INSTRUCTORS.md)")
            try:
                text, source = path.read_text(encoding="utf-8-sig"), str(path)
            except UnicodeDecodeError as error:
                raise RosterError(f"{path}: expected UTF-8 text (save it as CSV UTF-8), but "
                                  f"byte {error.start} is not UTF-8") from None
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise RosterError(f"{source}: the header must have the columns {', '.join(REQUIRED)}"
                              f" (optional: {', '.join(OPTIONAL)}), but it is {header} "
                              f"(missing: {', '.join(missing)})")
        reader.fieldnames = header
        students = []
        for line, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k in REQUIRED + OPTIONAL}
            if not any(row.values()):
                continue
            sid = row["student_id"]
            if not _ID.match(sid):
                raise RosterError(f"{source}, line {line}: student_id must be letters, digits "
                                  f"and . _ @ + - (it names a folder), but got {sid!r}")
            if not row["name"]:
                raise RosterError(f"{source}, line {line}: student {sid!r} has no name")
            students.append(Student(**{k: row.get(k, "") for k in REQUIRED + OPTIONAL}))
        if not students:
            raise RosterError(f"{source}: no students (expected one row per student)")
        return cls(students, source)

    def __len__(self):
        return len(self.students)

    def __iter__(self):
        return iter(self.students)

    def __contains__(self, student_id):
        return student_id in self.by_id

    def match(self, identity):
        """The student_id an LMS identity belongs to, or None (also when it is ambiguous).

        The LMS's user id decides first, then the login, then the name, so that two students
        with the same name are told apart by their ids.
        """
        for index, key in ((self._lms, identity.lms_id),
                           (self._login, (identity.login or "").casefold()),
                           (self._name, name_key(identity.name or ""))):
            found = index.get(key) if key else None
            if found and len(found) == 1:
                return next(iter(found))
        return None
