"""One notation: the letters course/GLOSSARY.md rules out stay out of the lessons and problem sets.

The glossary's section "Letters this course does not use" lists them: h for a weighted sum or a
hidden layer's output (z and a), p for the network's output (y-hat), k, m or b for the batch size
(B), n for the number of inputs or examples (n_in, N), and the phrase "seed article", which means
nothing to a student.

Only markdown is read (the text a student reads), without code spans and fenced code: code may
name a variable `p` or `n`. A symbol is judged where it means something: inside LaTeX ($...$),
or in a few plain-text shapes such as "g(h)" or "batch size k". A sentence that names the
letters other texts use ("some texts call it $h$", "also written $p$", "in Keras ...") is a
pointer to those texts, not a use, and is passed over.
"""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(ROOT.glob("course/*.ipynb")) + sorted(ROOT.glob("solutions/*/*.ipynb"))
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]

# A math symbol on its own: not part of a command (\hat, \theta), a word (\text{hidden}) or a
# subscripted name such as n_\text{in}.
def _alone(letter, after=r"(?![A-Za-z_])"):
    return re.compile(rf"(?<![A-Za-z\\]){letter}{after}")


#: rule -> (pattern inside LaTeX, pattern in the text (LaTeX included) or None, what to write
#: instead). A neuron's name in a subscript, such as the hidden neuron in $\delta_{h1}$, is a
#: label, not the symbol h; "$p$ epochs" is a patience, not an output.
RULES = {
    "h for a weighted sum or a hidden output": (
        re.compile(r"(?<![A-Za-z\\])(?<!_)(?<!_\{)[hH](?![A-Za-z])"),
        re.compile(r"\b[a-zσ]\(h\)|\bh\s*=\s*[\w(]|\bH\s*=\s*X"),
        "z for the weighted sum, a (A for a batch) for a layer's output"),
    "p for the network's output": (
        re.compile(r"\\hat\s*\{?\s*p\b|(?<![A-Za-z\\])[pP](?![A-Za-z])"),
        re.compile(r"\bp\s*=\s*(?:sigmoid|softmax|model|σ)|\bp-hat\b|\bp̂"),
        r"\hat y (y-hat), \hat Y for a batch"),
    "k, m or b for the batch size": (
        None,
        re.compile(r"batch(?:es)?(?: size)?(?: of)?\s*(?:\$\s*)?\b[kmb]\b(?!\s*-)"
                   r"|batch_size\s*=\s*[kmb]\b|\$\s*[kmb]\s*\$\s*(?:samples|examples) per"),
        "B for the batch size (M for accumulated micro-batches)"),
    "n for the number of inputs or examples": (
        _alone("n"),
        None,
        r"n_\text{in} for inputs, N for examples"),
    '"seed article"': (None, None, "other books and articles"),
}
SEED_ARTICLE = re.compile(r"seed[ -]articles?", re.I)     # wrong in any sentence

#: a sentence with one of these names other texts' notation ("some texts write $h$"): passed over
POINTER = re.compile(r"(?<!\\)\b(?:texts?|books?|papers?|articles?|also written|also called|"
                     r"Keras|PyTorch|TensorFlow|scikit-learn)\b", re.I)
FENCED = re.compile(r"```.*?```", re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HTML_TAG = re.compile(r"<[^>]+>")
MATH = re.compile(r"\$\$(.+?)\$\$|\$([^$]+?)\$", re.S)     # inline math may wrap a line
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[A-Z*(])|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)")


def sentences(markdown):
    """The markdown's prose and math, cut into sentences; code is left out."""
    text = CODE_SPAN.sub(" ", FENCED.sub(" ", markdown))
    text = HTML_TAG.sub(" ", text)
    # A display formula is part of its sentence: cut only outside math.
    pieces, start = [], 0
    for cut in SENTENCE_END.finditer(text):
        if text[start:cut.start()].count("$") % 2 == 0:
            pieces.append(text[start:cut.start()])
            start = cut.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def misuses(markdown):
    """(rule, the offending sentence) for each forbidden symbol in this markdown."""
    found = []
    for sentence in sentences(markdown):
        if SEED_ARTICLE.search(sentence):
            found.append(('"seed article"', " ".join(sentence.split())[:160]))
        if POINTER.search(sentence):
            continue
        maths = [a or b for a, b in MATH.findall(sentence)
                 if not re.fullmatch(r"\s*p\s*(?:=\s*\d+\s*)?", a or b)
                 or not re.search(r"\$\s*epochs", sentence)]
        prose = MATH.sub(lambda m: m.group(1) or m.group(2), sentence)
        for rule, (in_math, in_prose, _) in RULES.items():
            if ((in_math and any(in_math.search(m) for m in maths))
                    or (in_prose and in_prose.search(prose))):
                found.append((rule, " ".join(sentence.split())[:160]))
    return found


# ---------------------------------------------------------------- the detector itself
@pytest.mark.parametrize("text, rule", [
    ("The weighted sum is $h = w_1 x_1 + b$.", "h for a weighted sum or a hidden output"),
    ("The output is a = g(h) for every row.", "h for a weighted sum or a hidden output"),
    ("The first layer computes $H = XW_1 + b_1$.", "h for a weighted sum or a hidden output"),
    ("With $h_j$ the output of hidden neuron $j$.", "h for a weighted sum or a hidden output"),
    ("the penalty is $-\\log p$ when $y = 1$.", "p for the network's output"),
    ("Compare $\\hat{p}$ with the target.", "p for the network's output"),
    ("Softmax gives the probabilities $P$, and $dZ = P - Y$.", "p for the network's output"),
    ("The hidden outputs $\\mathbf{h} = f(z)$ feed the next layer.",
     "h for a weighted sum or a hidden output"),
    ("Train with batch size $k$ for 10 epochs.", "k, m or b for the batch size"),
    ("Cut the data into batches of b examples.", "k, m or b for the batch size"),
    ("Call fit with batch_size=k here.", "k, m or b for the batch size"),
    ("With $n$ inputs the sum has $n$ terms.", "n for the number of inputs or examples"),
    ("With $n$ inputs, $\\text{out}$ is the sum of $n$ terms.",
     "n for the number of inputs or examples"),
    ("Put $n$ examples in the rows of $X$.", "n for the number of inputs or examples"),
    ("- the bias (also written $w_0$)\n- the sum $z = w_1 x_1 + \\dots + w_n x_n$",
     "n for the number of inputs or examples"),
    ("The sum $z = w_1 x_1 + \\dots +\nw_n x_n + b$ of all the inputs.",
     "n for the number of inputs or examples"),
    ("This idea comes from the Seed Articles.", '"seed article"'),
])
def test_the_detector_catches_misuse(text, rule):
    assert rule in [r for r, _ in misuses(text)], f"not caught: {text!r}"


@pytest.mark.parametrize("text", [
    "The weighted sum $z = \\mathbf{w}\\cdot\\mathbf{x} + b$ goes through $a = f(z)$.",
    "Some texts call the weighted sum $h$; in this course it is always $z$.",
    "Its output $\\hat y$ is a probability (also written $p$).",
    "A layer of $n_\\text{in}$ inputs and $N$ examples, $\\hat Y = g(A^{(1)}W^{(2)})$.",
    "Batch size $B$, the bias $b$, $k$ classes, and $\\theta$, $\\hat y$, $\\text{hidden}$.",
    "Use `p = model.predict(X)` in code: code is not prose.",
    "```python\nfor p in probabilities:\n    h = p * 2\n```",
    "Cut the data into batches of $B$ and shuffle. The batch is a bit noisy.",
    "The seed of the random generator sets the order.",
    "The $k$-fold cross-validation makes $k$ trainings.",
    "- the bias (also written $w_0$)\n- and $b$, $z$",
    "Compare $\\delta_{h1}$ and $\\delta_{h2}$, the hidden neurons' deltas.",
    "Play stops when the test loss stalls for $p$ epochs; exactly $p = 10$ epochs here.",
])
def test_the_detector_passes_correct_notation(text):
    assert misuses(text) == []


# ---------------------------------------------------------------- the course and the sets
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_uses_only_the_glossarys_notation(path):
    cells = nbformat.read(path, as_version=4).cells
    found = [f"cell {index}: {rule} (write {RULES[rule][2]}): {sentence}"
             for index, cell in enumerate(cells) if cell.cell_type == "markdown"
             for rule, sentence in misuses(cell.source)]
    assert not found, (f"{path.relative_to(ROOT)} uses letters course/GLOSSARY.md rules out:\n"
                       + "\n".join(found))


def test_the_glossary_lists_what_this_test_keeps_out():
    glossary = (ROOT / "course" / "GLOSSARY.md").read_text(encoding="utf-8")
    section = glossary.split("### Letters this course does not use")[1].split("\n## ")[0]
    for letters in ("$h$", "$p$", "$k$", "$m$", "$b$", "$n$"):
        assert letters in section, f"GLOSSARY.md's forbidden letters do not name {letters}"
    assert not SEED_ARTICLE.search(glossary)
