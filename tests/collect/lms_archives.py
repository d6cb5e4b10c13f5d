"""A class of twelve students and the downloads each LMS would give of their work.

Every layout follows the documentation cited in tools/lms_names.py; the names are written here
independently of that module (by format strings, not by its regular expressions).

Each student has one role, the same in every LMS:

    s01 plain notebook                 s07 two different notebooks, neither named after the set
    s02 handed in late                 s08 a zip holding the notebook (nested zip)
    s03 re-uploaded ("-1"), accented   s09 two attempts (latest wins where the LMS keeps both)
        name stored in cp1252          s10 submitted nothing
    s04 browser copy " (1)"            s11 the set's notebook plus a different scratch notebook
    s05 a PDF instead of a notebook    s12 a notebook renamed "Untitled.ipynb", plus a symlink
    s06 a notebook that is not JSON

plus a stranger who is not on the roster, and hostile members: "../../evil.ipynb", a 5 MiB file
of zeros (over the 1 MiB limit the tests use), and a symbolic link.
"""

import io
import stat
import zipfile
from dataclasses import dataclass

import nbformat

SET = "ps1_neurons_and_gates"
NB = f"{SET}.ipynb"


@dataclass
class Person:
    sid: str
    first: str
    last: str
    uid: str      # Canvas / ILIAS user id
    login: str

    @property
    def name(self):
        return f"{self.first} {self.last}"

    @property
    def canvas_name(self):
        # content_zipper.rb: sortable name ("Last, First"), downcased, non-word characters removed
        return "".join(c for c in f"{self.last}, {self.first}".lower() if c.isalnum() or c == "_")


PEOPLE = [Person(f"s{i:02d}", first, last, str(1000 + i), login) for i, (first, last, login) in
          enumerate([("Ann", "Lee", "alee"), ("Bob", "Smith", "bsmith"),
                     ("Chloé", "Dubois", "cdubois"), ("Dan", "Brown", "dbrown"),
                     ("Eve", "Adams", "eadams"), ("Fay", "Wong", "fwong"), ("Gus", "Hill", "ghill"),
                     ("Hal", "Ito", "hito"), ("Ivy", "Chen", "ichen"), ("Jon", "Park", "jpark"),
                     ("Kim", "Roe", "kroe"), ("Lou", "Diaz", "ldiaz")], start=1)]
STRANGER = Person("zz", "Zed", "Outsider", "4242", "zout")
BY_ID = {p.sid: p for p in PEOPLE}

COLLECTED = ["s01", "s02", "s03", "s04", "s08", "s09", "s11", "s12"]
UNUSABLE = {"s05": "a PDF instead of a notebook", "s06": "not a valid notebook",
            "s07": "two different notebooks"}
NOT_SUBMITTED = ["s10"]


def roster_csv():
    rows = ["student_id,name,email,lms_id,login,section"]
    rows += [f"{p.sid},{p.name},{p.login}@uni.example,{p.uid},{p.login},A" for p in PEOPLE]
    return "\n".join(rows) + "\n"


def notebook(marker):
    """A small valid notebook whose first cell says whose (and which version) it is."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"marker: {marker}"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nbformat.writes(nb).encode()


def marker(path):
    """The marker of a notebook written by `notebook`."""
    return nbformat.read(path, as_version=4).cells[0].source.removeprefix("marker: ")


def inner_zip(name, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(name, data)
    return buffer.getvalue()


def submissions():
    """[(person, attempt 0|1, filename, bytes, late)] and {sid: marker expected in submitted/}."""
    s = BY_ID
    files = [
        (s["s01"], 1, NB, notebook("s01"), False),
        (s["s02"], 1, NB, notebook("s02"), True),
        (s["s03"], 1, f"{SET}-1.ipynb", notebook("s03"), False),
        (s["s04"], 1, f"{SET} (1).ipynb", notebook("s04"), False),
        (s["s05"], 1, f"{SET}.pdf", b"%PDF-1.4 not a notebook\n", False),
        (s["s06"], 1, NB, b'{"cells": [ this is not json', False),
        (s["s07"], 1, "part1.ipynb", notebook("s07-a"), False),
        (s["s07"], 1, "part2.ipynb", notebook("s07-b"), False),
        (s["s08"], 1, "my_work.zip", inner_zip(f"work/{NB}", notebook("s08")), False),
        (s["s09"], 0, NB, notebook("s09-old"), False),
        (s["s09"], 1, NB, notebook("s09-new"), False),
        (s["s11"], 1, NB, notebook("s11"), False),
        (s["s11"], 1, "scratch.ipynb", notebook("s11-scratch"), False),
        (s["s12"], 1, "Untitled.ipynb", notebook("s12"), False),
        (STRANGER, 1, NB, notebook("zz"), False),
    ]
    expected = {sid: sid for sid in COLLECTED}
    expected["s09"] = "s09-new"
    return files, expected


# --- the names each LMS gives (see tools/lms_names.py for the sources) ------------------------

def canvas_name(p, attempt, filename, late, k):
    # one submission per student in a Canvas download: the older attempt is not there
    return f"{p.canvas_name}{'_LATE' if late else ''}_{p.uid}_{5000 + k}_{filename}"


def moodle_name(p, attempt, filename, late, k, folders=True):
    prefix = f"{p.name}_{7000 + int(p.uid)}_assignsubmission_file_"
    return f"{prefix}/{filename}" if folders else f"{prefix}{filename}"


def blackboard_name(p, attempt, filename, late, k):
    date = f"2026-03-0{1 + attempt}-23-5{attempt}-00"
    return f"PS1 Neurons_{p.login}_attempt_{date}_{filename}"


def ilias_name(p, attempt, filename, late, k):
    # getASCIIFilename: "Chloé" becomes "Chloe"; a late file is prefixed "Late Submission - "
    first = p.first.replace("é", "e")
    return f"PS1/{p.last}_{first}_{p.login}_{p.uid}/{'Late Submission - ' if late else ''}" \
        f"{filename}"


def folder_name(p, attempt, filename, late, k):
    return f"{p.sid}/{filename}"


NAMERS = {"canvas": canvas_name, "moodle": moodle_name, "blackboard": blackboard_name,
          "ilias": ilias_name, "folder": folder_name}
# LMSs whose download holds every attempt; the others only hold the latest
KEEPS_ATTEMPTS = {"blackboard"}


def _symlink(z, name, target):
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    z.writestr(info, target)


def build(lms, path, hostile=True):
    """Write the class's download as `lms` would give it to `path` (a zip); return expected."""
    files, expected = submissions()
    namer = NAMERS[lms]
    cp1252_name, receipts = None, set()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, (p, attempt, filename, data, late) in enumerate(files):
            if attempt == 0 and lms not in KEEPS_ATTEMPTS:
                continue
            name = namer(p, attempt, filename, late, k)
            if p.sid == "s03" and lms == "canvas":
                # stored without the UTF-8 flag, in cp1252, as old Windows zip tools do: the
                # placeholder "X" is patched to the byte 0xE9 ("é" in cp1252) below
                name = name.replace("é", "X")
                cp1252_name = name
            z.writestr(name, data)
            head, tail = name.split("_attempt_") if lms == "blackboard" else (None, None)
            if head and f"{head}{tail[:19]}" not in receipts:  # one receipt per attempt
                receipts.add(f"{head}{tail[:19]}")
                z.writestr(f"{head}_attempt_{tail[:19]}.txt",
                           f"Name: {p.name} ({p.login})\nAssignment: PS1\n")
        if hostile:
            z.writestr("../../evil.ipynb", notebook("evil"))
            z.writestr(namer(BY_ID["s01"], 1, "big.ipynb", False, 90), b"\0" * (5 * 2**20))
            _symlink(z, namer(BY_ID["s12"], 1, "link.ipynb", False, 91), "/etc/passwd")
    if cp1252_name:
        raw = path.read_bytes()
        placeholder = cp1252_name.encode("ascii")
        assert raw.count(placeholder) == 2  # local header and central directory
        path.write_bytes(raw.replace(placeholder, cp1252_name.replace("X", "\xe9")
                                     .encode("cp1252")))
    return expected
