"""A hostile class: students who attack the grader itself, from their kernels (issue #22).

Every attacker hands in the instructor's solution, so it would earn full marks anyway, with an
attack written at the top of its first answer cell. Each attack prints what it got, prefixed
with ATTACK, into its own notebook (and so into its feedback): the tests read the autograded
notebooks to see what reached the student. Attacks write only new marker files, never change a
file a student does not own, so that a run without the jail (the "before" of INSTRUCTORS.md)
does no harm beyond the course folder it grades.

`liar_answers` is a student of another kind: wrong answers whose values lie in every
comparison (an ndarray subclass and a float subclass that always agree).
"""

import sysconfig
from pathlib import Path

#: Files an attacker tries to create outside its folder (removed by the tests if they appear).
PLANTED = [
    str(Path.home() / ".ipython/profile_default/startup/00-nnlab-hostile.py"),
    str(Path(sysconfig.get_paths()["purelib"]) / "nnlab_hostile_marker.pth"),
    str(Path(__file__).resolve().parents[2] / "nnlab" / "nnlab_hostile_marker.py"),
]

_COURSE = ("import pathlib as _pl, os as _os, sys as _sys, subprocess as _sp\n"
           "_course = _pl.Path.cwd().parents[2]\n"
           "_me = _pl.Path.cwd().parent.name\n")

#: name -> code put at the top of the first answer cell ({port} and {planted} filled in).
ATTACKS = {
    # reads the hidden tests (every set's source notebook) and prints them into its feedback
    "reads_hidden_tests": _COURSE + (
        "try:\n"
        "    for _nb in sorted(_course.glob('solutions/*/*.ipynb')):\n"
        "        print('ATTACK read', _nb, open(_nb).read())\n"
        "except OSError as _e:\n"
        "    print('ATTACK read failed', _e)\n"
        "print('ATTACK cat', _sp.run('cat ' + str(_course) + '/solutions/*/*.ipynb', "
        "shell=True, capture_output=True, text=True).stdout)\n"),
    # blanks every classmate's submitted and autograded notebook (Python and the shell)
    "blanks_classmates": _COURSE + (
        "for _p in list(_course.glob('submitted/*/*/*.ipynb')) + "
        "list(_course.glob('autograded/*/*/*.ipynb')):\n"
        "    if _me not in _p.parts:\n"
        "        try:\n"
        "            _p.write_text('{{}}')\n"
        "            print('ATTACK blanked', _p)\n"
        "        except OSError as _e:\n"
        "            print('ATTACK blank failed', _e)\n"
        "_sp.run('for f in ' + str(_course) + '/submitted/*/*/*.ipynb; do case $f in *' + _me + "
        "'*) ;; *) : > $f;; esac; done', shell=True, stderr=_sp.DEVNULL)\n"),
    # leaves a detached process (nohup, setsid, double fork) that writes manual scores into
    # gradebook.db and a line into grades.csv once its kernel is gone
    "detached_writer": _COURSE + (
        "_later = ('import time, sqlite3\\ntime.sleep(4)\\n'\n"
        "          f'db = sqlite3.connect({{str(_course / \"gradebook.db\")!r}})\\n'\n"
        "          'db.execute(\"update grade set manual_score = 1000\")\\ndb.commit()\\n'\n"
        "          f'open({{str(_course / \"grades.csv\")!r}}, \"a\").write(\"HACKED\\\\n\")\\n')\n"
        "_fork = f'import os\\nif os.fork() == 0:\\n    exec({{_later!r}})\\n'\n"
        "_sp.Popen(['nohup', 'setsid', _sys.executable, '-c', _fork], start_new_session=True,\n"
        "          stdout=_sp.DEVNULL, stderr=_sp.DEVNULL)\n"
        "print('ATTACK detached')\n"),
    # opens a TCP connection to a server on 127.0.0.1 (the test's, on {port})
    "connects_out": (
        "import socket as _socket\n"
        "try:\n"
        "    _socket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'leak')\n"
        "    print('ATTACK connected')\n"
        "except OSError as _e:\n"
        "    print('ATTACK connect failed', _e)\n"),
    # reads the grader's environment: its own, and every /proc/<pid>/environ it can open
    "reads_environment": _COURSE + (
        "print('ATTACK environ', dict(_os.environ))\n"
        "for _p in [p for p in _os.listdir('/proc') if p.isdigit()]:\n"
        "    try:\n"
        "        print('ATTACK proc', _p, open(f'/proc/{{_p}}/environ', 'rb').read())\n"
        "    except OSError as _e:\n"
        "        print('ATTACK proc failed', _p, type(_e).__name__)\n"),
    # follows a symbolic link placed in its folder (the test adds notes.txt -> solutions/...)
    "links_out": (
        "try:\n"
        "    print('ATTACK link', open('notes.txt').read())\n"
        "except OSError as _e:\n"
        "    print('ATTACK link failed', _e)\n"),
    # fills every place it can write (stops at 1200 MiB each); /tmp stays full
    "fills_disk": (
        "import os as _os\n"
        "for _where in ('/dev/shm/fill', 'fill', '/tmp/fill'):\n"
        "    try:\n"
        "        with open(_where, 'wb') as _f:\n"
        "            for _ in range(1200):\n"
        "                _f.write(b'x' * 2**20)\n"
        "    except OSError as _e:\n"
        "        print('ATTACK fill stopped', _where, _e)\n"
        "    if _where != '/tmp/fill':\n"
        "        _os.remove(_where)\n"),
    # a shell fork bomb, left running while the rest of the notebook is graded
    "fork_bomb": (
        "import subprocess as _sp, time as _time\n"
        "_sp.Popen(['/bin/sh', '-c', 'b() {{ b | b & }}; b'], stdout=_sp.DEVNULL, "
        "stderr=_sp.DEVNULL)\n"
        "_time.sleep(3)\n"),
    # plants start-up files: IPython's, a .pth in the environment, a module in nnlab
    "plants_files": (
        "import os as _os\n"
        "for _t in {planted!r}:\n"
        "    try:\n"
        "        _os.makedirs(_os.path.dirname(_t), exist_ok=True)\n"
        "        open(_t, 'w').write('# nnlab hostile marker\\n')\n"
        "        print('ATTACK planted', _t)\n"
        "    except OSError as _e:\n"
        "        print('ATTACK plant failed', _t, type(_e).__name__)\n"),
    # kills the process that started its kernel (the grading worker) and reads its memory
    "kills_grader": (
        "import os as _os\n"
        "try:\n"
        "    print('ATTACK mem', len(open(f'/proc/{{_os.getppid()}}/mem', 'rb').read(1)))\n"
        "except (OSError, ValueError) as _e:\n"
        "    print('ATTACK mem failed', type(_e).__name__)\n"
        "try:\n"
        "    _os.kill(_os.getppid(), 9)\n"
        "except OSError as _e:\n"
        "    print('ATTACK kill failed', _e)\n"),
    # looks for other kernels' sockets, guards' keys and records in /tmp
    "peeks_at_others": (
        "import glob as _glob\n"
        "print('ATTACK jails', len(_glob.glob('/tmp/nnlab-jail-*')), "
        "'guards', len(_glob.glob('/tmp/nnlab-guard-*')))\n"
        "for _f in _glob.glob('/tmp/nnlab-guard-*/*'):\n"
        "    try:\n"
        "        print('ATTACK guard file', _f, open(_f).read()[:200])\n"
        "    except OSError as _e:\n"
        "        print('ATTACK guard failed', _f, type(_e).__name__)\n"),
}


def attackers(ps, port):
    """{student: notebook} of the attackers (links_out's link is added by `plant_links`)."""
    first = next(iter(ps.answers))
    return {name: ps.student({first: code.format(port=port, planted=PLANTED)
                              + ps.answers[first]})
            for name, code in ATTACKS.items()}


def plant_links(course, ps):
    """The symbolic links two attackers hand in: links_out a notes.txt pointing at the set's
    solution notebook; links_notebook its notebook itself pointing there."""
    solution = course / "solutions" / ps.name / ps.released_name
    (course / "submitted" / "links_out" / ps.name / "notes.txt").symlink_to(solution)
    folder = course / "submitted" / "links_notebook" / ps.name
    folder.mkdir(parents=True)
    (folder / ps.released_name).symlink_to(solution)


#: Appended to every answer cell of the liar: its wrong answers (the solution's, plus one, as
#: cheaters.py spoils them) come back as values that agree with whatever they are compared to.
LIES = '''
import numpy as _np


class _Agreeing(_np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [_np.asarray(i).view(_np.ndarray) if isinstance(i, _np.ndarray) else i
                 for i in inputs]
        if ufunc in (_np.equal, _np.less_equal, _np.greater_equal, _np.isfinite):
            return _np.ones(_np.broadcast(*plain).shape, dtype=bool)
        if ufunc in (_np.not_equal, _np.less, _np.greater, _np.isnan, _np.isinf):
            return _np.zeros(_np.broadcast(*plain).shape, dtype=bool)
        if ufunc in (_np.subtract, _np.absolute):
            return _np.zeros(_np.broadcast(*plain).shape)
        return getattr(ufunc, method)(*plain, **kwargs)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True


class _AgreeingFloat(float):
    __eq__ = __le__ = __ge__ = lambda self, other: True
    __ne__ = __lt__ = __gt__ = lambda self, other: False
    __hash__ = float.__hash__

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0


class _AgreeingInt(int):
    __eq__, __ne__, __le__, __ge__ = (_AgreeingFloat.__eq__, _AgreeingFloat.__ne__,
                                      _AgreeingFloat.__le__, _AgreeingFloat.__ge__)
    __lt__, __gt__, __sub__, __rsub__ = (_AgreeingFloat.__lt__, _AgreeingFloat.__gt__,
                                         _AgreeingFloat.__sub__, _AgreeingFloat.__rsub__)
    __abs__, __hash__ = _AgreeingFloat.__abs__, int.__hash__


def _lying(value):
    if isinstance(value, tuple):
        return tuple(_lying(v) for v in value)
    if isinstance(value, list):
        return [_lying(v) for v in value]
    if isinstance(value, (bool, _np.bool_)):
        return not value
    if isinstance(value, _np.ndarray):
        return _np.asarray(value + 1).view(_Agreeing)
    if isinstance(value, int):
        return _AgreeingInt(value + 1)
    if isinstance(value, (float, _np.number)):
        return _AgreeingFloat(value + 1)
    return value


def _lie(f):
    def lying(*args, **kwargs):
        return _lying(f(*args, **kwargs))
    lying.__name__ = f.__name__
    return lying


for _name in {names!r}:
    globals()[_name] = _lie(globals()[_name])
'''


def liar_answers(answers, function_names):
    """{answer grade_id: source}: every function's result spoiled as cheaters.py spoils it,
    and lying in every comparison."""
    return {grade_id: source + LIES.format(names=function_names(source))
            for grade_id, source in answers.items()}
