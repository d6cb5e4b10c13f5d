"""A simulated class of cheaters, for any problem set.

Every cheater hands in the same *wrong* answers: the instructor's solution with every function
of every answer cell wrapped so that what it returns is spoiled (numbers and arrays plus one,
booleans negated). The honest student `wrong_honest` stops there; each cheater adds one trick
to the answer cells. Whatever the trick, a cheater must score no more than `wrong_honest`, and
be flagged. Nothing here depends on a problem set's content, so the class keeps working when the
problem sets change (the cases of tests/grading/cases/ are not used).
"""

import ast

#: Appended to every answer cell: the answers go wrong, generically.
SPOIL = '''
def _spoiled_value(value):
    import numpy
    if isinstance(value, tuple):
        return tuple(_spoiled_value(v) for v in value)
    if isinstance(value, list):
        return [_spoiled_value(v) for v in value]
    if isinstance(value, (bool, numpy.bool_)):
        return not value
    if isinstance(value, (int, float, numpy.number, numpy.ndarray)):
        return value + 1
    return value


def _spoil(f):
    def spoiled(*args, **kwargs):
        {at_call}
        return _spoiled_value(f(*args, **kwargs))
    spoiled.__name__ = f.__name__
    return spoiled


for _name in {names!r}:
    globals()[_name] = _spoil(globals()[_name])
'''

PATCH_NUMPY = ("import numpy\n"
               "numpy.allclose = numpy.isclose = numpy.array_equal = lambda *a, **k: True\n")

#: name -> (code run at the top of each answer cell, code run at each call of an answer)
CHEATS = {
    # the first cheat: every comparison the tests make says "equal"
    "patches_numpy": (PATCH_NUMPY, "pass"),
    # the same, done inside the student's functions while the test cell runs
    "patches_numpy_at_call": ("", PATCH_NUMPY.replace("\n", "; ")),
    # the references the hidden tests compare with become the student's own functions
    "patches_nnlab": ("", "import nnlab, pkgutil, importlib\n"
                      "        for _m in [nnlab] + [importlib.import_module('nnlab.' + i.name) "
                      "for i in pkgutil.iter_modules(nnlab.__path__) if i.name != 'widgets']:\n"
                      "            for _n in list(vars(_m)):\n"
                      "                if _n in globals() and callable(globals()[_n]):\n"
                      "                    setattr(_m, _n, globals()[_n])"),
    # `np` in the notebook becomes a copy of numpy whose comparisons always agree
    "rebinds_np": ("import types, numpy\n"
                   "np = types.ModuleType('numpy')\n"
                   "np.__dict__.update(numpy.__dict__)\n"
                   "np.allclose = np.isclose = np.array_equal = lambda *a, **k: True\n", "pass"),
    # failed tests show no error: IPython's traceback display is silenced
    "silences_tracebacks": ("import IPython.core.interactiveshell as _shell\n"
                            "_quiet = lambda *a, **k: None\n"
                            "_shell.InteractiveShell.showtraceback = _quiet\n"
                            "get_ipython().showtraceback = _quiet\n"
                            "get_ipython()._showtraceback = _quiet\n", "pass"),
    # cells run, but their errors are swallowed before IPython sees them
    "swallows_errors": ("async def _run_code(code, result=None, *, async_=False):\n"
                        "    try:\n"
                        "        exec(code, get_ipython().user_global_ns, get_ipython().user_ns)\n"
                        "    except BaseException:\n"
                        "        pass\n"
                        "    return False\n"
                        "get_ipython().run_code = _run_code\n", "pass"),
    # test cells run without their asserts: an AST transformer removes them after parsing
    "strips_asserts": ("import ast\n"
                       "class _NoAsserts(ast.NodeTransformer):\n"
                       "    def visit_Assert(self, node):\n"
                       "        return ast.Pass()\n"
                       "if not get_ipython().ast_transformers:\n"
                       "    get_ipython().ast_transformers.append(_NoAsserts())\n", "pass"),
    # goes for the interpreter's internals, where no Python-level check reaches
    "uses_ctypes": ("import ctypes\n_ = ctypes.pythonapi.Py_IncRef\n", "pass"),
}


def function_names(source):
    """Names of the functions an answer cell defines at top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]


def wrong_answers(answers, at_call="pass"):
    """{answer grade_id: source}: every function spoiled (and `at_call` run at each call)."""
    return {grade_id: source + SPOIL.format(names=function_names(source), at_call=at_call)
            for grade_id, source in answers.items()}


def cheating_class(ps):
    """{student: notebook}: `wrong_honest`, and one cheater per trick of CHEATS."""
    students = {"wrong_honest": ps.student(wrong_answers(ps.answers))}
    for name, (top, at_call) in CHEATS.items():
        sources = {grade_id: top + source
                   for grade_id, source in wrong_answers(ps.answers, at_call).items()}
        students[name] = ps.student(sources)
    return students
