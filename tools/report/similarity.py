"""Similar submissions: pairs of students whose answer to a question is more alike than chance.

A suggestion for a human to look at, never a verdict: two students may share a helper's hint,
a textbook line or a study group.

How an answer cell becomes fingerprints (`fingerprints`):

1. Python's own `tokenize` splits it into tokens; comments, blank lines and docstrings go.
2. Names are normalised: a name the student chose (a variable, a helper function) becomes
   ``v``, so renaming variables changes nothing; keywords, builtins, attributes (``.mean``),
   and every name the released notebook already uses (``np``, the functions to write, their
   parameters) are kept. Strings become ``"s"``; numbers are kept.
3. Each logical line gives its runs of K consecutive tokens (the whole line if it is shorter):
   the fingerprints. They never cross a line, and a student's fingerprints are a set, so
   reordering lines changes nothing either.
4. Fingerprints of the released cell (the given code) are removed.

A fingerprint is *rare* when at most `rare_limit(n)` students have it (3, or 5 % of the
class): code that many students write (the natural way to write a line, a hint, the given code)
says nothing about copying. Two students' *similarity* is the number of rare fingerprints they
share divided by the number of fingerprints of the shorter answer: the share of one answer
that only these two (and very few others) wrote. A pair is listed when the similarity reaches
`THRESHOLD` and they share at least `MIN_SHARED` rare fingerprints (so one-liners are not
listed).

>>> a = "def mse(y, p):\\n    err = p - y\\n    sq = err ** 2\\n    return float(sq.mean())\\n"
>>> b = "def mse(y, p):\\n    d = p - y\\n    s = d ** 2\\n    return float(s.mean())\\n"
>>> fingerprints(a, given="def mse(y, p):\\n    pass\\n") == \\
...     fingerprints(b, given="def mse(y, p):\\n    pass\\n")
True
"""

import builtins
import functools
import io
import keyword
import math
import re
import tokenize
from collections import defaultdict

__all__ = ["fingerprints", "known_names", "release_names", "similar_pairs", "matching_lines",
           "rare_limit", "K", "THRESHOLD", "MIN_SHARED"]

#: Tokens per fingerprint.
K = 4
#: A pair is listed from this similarity on (share of the shorter answer's fingerprints).
THRESHOLD = 0.5
#: ... and when it shares at least this many rare fingerprints.
MIN_SHARED = 6

_KEEP = set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins))
# strings, and the parts of an f-string (tokens of their own from Python 3.12 on)
_STRINGS = {tokenize.STRING} | {getattr(tokenize, n) for n in
                                ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
                                if hasattr(tokenize, n)}
_SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
         tokenize.ENCODING, tokenize.ENDMARKER}


def rare_limit(n_students):
    """Most students that may share a fingerprint for it to count as rare: max(3, 5 %).

    >>> rare_limit(10), rare_limit(300)
    (3, 15)
    """
    return max(3, math.ceil(0.05 * n_students))


def _lines(source):
    """[(first line number, [token strings])] of the logical lines of source.

    Source that Python cannot tokenize (a syntax error in an answer) is split on
    whitespace and punctuation instead, line by line.
    """
    lines, current, start = [], [], None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in _SKIP:
                if tok.type == tokenize.NEWLINE and current:
                    lines.append((start, current))
                    current, start = [], None
                continue
            if start is None:
                start = tok.start[0]
            current.append((tok.type, tok.string))
        if current:
            lines.append((start, current))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        lines = []
        for number, text in enumerate(source.splitlines(), start=1):
            text = text.split("#", 1)[0]
            words = re.findall(r"[A-Za-z_]\w*|\d+\.?\d*|\S", text)
            if words:
                lines.append((number, [(tokenize.NAME if w[0].isalpha() or w[0] == "_"
                                        else tokenize.OP, w) for w in words]))
    return lines


@functools.lru_cache(maxsize=256)
def known_names(source):
    """Every name used in source (the released cell's names are kept as they are)."""
    return {text for _, tokens in _lines(source) for kind, text in tokens
            if kind == tokenize.NAME}


def release_names(sources):
    """Names the released notebook defines for everybody: its imports, functions and classes.

    >>> sorted(release_names(["import numpy as np\\nfrom math import log\\nx = 1",
    ...                       "def mse(y, p):\\n    pass"]))
    ['log', 'mse', 'np']
    """
    import ast

    names = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
    return names


def _normalise(tokens, keep):
    out, previous = [], None
    for kind, text in tokens:
        if kind == tokenize.NAME:
            word = text if text in _KEEP or text in keep or previous == "." else "v"
        elif kind in _STRINGS:
            word = '"s"'
            if out and out[-1] == '"s"':
                continue
        else:
            word = text
        out.append(word)
        previous = text
    return out


@functools.lru_cache(maxsize=8192)
def _line_prints(source, keep):
    """[(line number, {fingerprint})] of source's logical lines (docstrings left out).

    Cached: many students hand in the same code, and the given code is asked for each.
    """
    found = []
    for number, tokens in _lines(source):
        if all(kind == tokenize.STRING for kind, _ in tokens):
            continue  # a docstring or a bare string
        words = _normalise(tokens, keep)
        if len(words) <= K:
            grams = {" ".join(words)} if len(words) > 1 else set()
        else:
            grams = {" ".join(words[i:i + K]) for i in range(len(words) - K + 1)}
        found.append((number, grams))
    return found


def fingerprints(source, given="", keep=()):
    """The set of fingerprints of an answer, without those of the given (released) code.

    Parameters
    ----------
    source : str, the student's answer cell
    given : str, the released cell (its names are kept, its fingerprints removed)
    keep : iterable of str, more names kept as they are (those of the whole release)
    """
    keep = _keep(given, keep)
    common = {g for _, grams in _line_prints(given, keep) for g in grams}
    return {g for _, grams in _line_prints(source, keep) for g in grams} - common


def _keep(given, keep):
    return frozenset(known_names(given) | set(keep))


def matching_lines(source, shared, given="", keep=()):
    """Line numbers (1-based, every physical line of a logical one) holding a shared print."""
    keep = _keep(given, keep)
    numbers = set()
    logical = _line_prints(source, keep)
    for index, (number, grams) in enumerate(logical):
        if grams & shared:
            end = logical[index + 1][0] if index + 1 < len(logical) else number + 1
            numbers.update(range(number, max(number + 1, end)))
    last = len(source.splitlines())
    return sorted(n for n in numbers if n <= last and source.splitlines()[n - 1].strip())


def similar_pairs(answers, given="", keep=(), threshold=THRESHOLD, min_shared=MIN_SHARED):
    """Pairs of students whose answers share more rare fingerprints than chance would.

    Parameters
    ----------
    answers : dict {student: source of one answer cell}
    given : str, the released cell
    keep : iterable of str, names kept as they are (those of the whole released notebook)

    Returns
    -------
    list of (similarity, student_a, student_b, shared fingerprints), most similar first,
    with similarity >= threshold and at least min_shared shared rare fingerprints.
    """
    prints = {s: fingerprints(src, given, keep) for s, src in answers.items()}
    prints = {s: p for s, p in prints.items() if p}
    holders = defaultdict(list)
    for student, found in sorted(prints.items()):
        for gram in found:
            holders[gram].append(student)
    limit = rare_limit(len(prints))
    shared = defaultdict(set)
    for gram, who in holders.items():
        if 2 <= len(who) <= limit:
            for i, a in enumerate(who):
                for b in who[i + 1:]:
                    shared[a, b].add(gram)
    own = {s: sum(len(holders[g]) <= limit for g in found) for s, found in prints.items()}
    pairs = []
    for (a, b), grams in shared.items():
        similarity = len(grams) / min(own[a], own[b])
        if similarity >= threshold and len(grams) >= min_shared:
            pairs.append((similarity, a, b, grams))
    pairs.sort(key=lambda p: (-p[0], -len(p[3]), p[1], p[2]))
    return pairs
