"""The report as one self-contained HTML page: no script, no CDN, the histogram as an inline
SVG image (matplotlib, Agg) with a text twin, code highlighted by Pygments with its styles in
the page. Headings in order, tables with headers and captions, so that a screen reader can
walk it.
"""

import base64
import html
import io

import numpy as np

__all__ = ["render", "histogram_svg", "side_by_side", "MAX_PAIRS_SHOWN"]

#: Pairs shown with their code side by side (all of them are in similar.csv).
MAX_PAIRS_SHOWN = 20

CSS = """
body { font-family: system-ui, sans-serif; max-width: 75rem; margin: 1rem auto; padding: 0 1rem;
       color: #1a1a1a; background: #fff; line-height: 1.45; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #999; padding: .2rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { font-weight: bold; }
.note { border-left: .3rem solid #1a1a1a; padding: .3rem .8rem; background: #f2f2f2; }
.side { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; }
figure { margin: .5rem 0; max-width: 40rem; flex: 1 1 24rem; }
figure img { max-width: 100%; height: auto; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
.pair .scroll { overflow-x: auto; }
.pair pre { font-size: .8rem; margin: 0; }
.code .hll { background-color: #ffe98a; }
.code .ln { color: #444; }
"""


def _fmt(value, digits=2, percent=False):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if percent:
        return f"{100 * value:.0f}\u00a0%"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if isinstance(value, float) \
        else str(value)


def histogram_svg(totals, max_total, pass_mark):
    """An SVG histogram of the totals, as a data: URL for an <img>."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.hashsalt"] = "nnlab-report"  # the same page for the same data
    fig = Figure(figsize=(6.4, 2.8))
    ax = fig.add_subplot()
    bins = np.linspace(0, max_total, min(21, int(max_total) + 2) if max_total >= 1 else 11)
    ax.hist(totals, bins=bins, color="#3b6ea8", edgecolor="white")
    ax.axvline(pass_mark * max_total, color="#1a1a1a", linestyle="--", linewidth=1)
    ax.text(pass_mark * max_total, ax.get_ylim()[1] * 0.95, " pass mark", va="top")
    ax.set_xlabel(f"total score (of {max_total:g})")
    ax.set_ylabel("students")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def _histogram_text(totals, max_total):
    counts, edges = np.histogram(totals, bins=np.linspace(0, max_total, 6) if max_total else 5)
    return "; ".join(f"{a:g}–{b:g}: {c}" for a, b, c in zip(edges[:-1], edges[1:], counts))


def side_by_side(a_source, b_source, a_lines, b_lines):
    """Two answers as highlighted HTML, the lines they share marked."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    def one(source, lines):
        formatter = HtmlFormatter(cssclass="code", hl_lines=lines, linenos="inline",
                                  style="default")
        return highlight(source, PythonLexer(), formatter)

    return one(a_source, a_lines), one(b_source, b_lines)


def _table(caption, header, rows, numeric=()):
    out = [f"<table><caption>{html.escape(caption)}</caption><thead><tr>"]
    out += [f'<th scope="col">{html.escape(h)}</th>' for h in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            klass = ' class="num"' if i in numeric else ""
            cells.append(f"<td{klass}>{html.escape(str(value))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _people(data, pairs, title, empty):
    if not pairs:
        return f"<p>{html.escape(empty)}</p>"
    rows = [(s, data.names.get(s, ""), why) for s, why in pairs]
    return _table(title, ["student", "name", "why"], rows)


def render(data, summary, stats, broken, pairs, files, generated):
    """The whole page as a string.

    pairs : [(question, similarity, a, b, shared, a_lines, b_lines)]
    files : {label: file name} of the CSV files next to the page
    """
    from pygments.formatters import HtmlFormatter

    max_total = summary["max"]
    title = f"{data.assignment}: what the grades say"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{html.escape(title)}</title>", "<style>", CSS,
           HtmlFormatter(style="default").get_style_defs(".code"), "</style></head><body>",
           "<main>", f"<h1>{html.escape(title)}</h1>",
           f"<p>Made {html.escape(generated)} from the gradebook, the autograded notebooks"
           " and the roster. The numbers are also in "
           + ", ".join(f'<a href="{html.escape(f)}">{html.escape(f)}</a>'
                       for f in files.values()) + ".</p>"]

    # 1. questions to check first: the likeliest broken first, at the top
    out.append("<h2>Questions to check first</h2>")
    if broken:
        rows = [(f"Q{r['number']} {r['name']}", "; ".join(r["flags"]),
                 _evidence(r)) for r in broken]
        out.append(_table("Flagged questions, the likeliest broken first",
                          ["question", "why it is flagged", "evidence"], rows))
    else:
        out.append("<p>No question is flagged.</p>")
    out.append('<p class="note">Nobody right or most tests erroring often means a broken or '
               "too strict test; a negative or near-zero discrimination means the stronger "
               "students did no better on it than the weaker ones (a test checking something "
               "else than the question asks, or a question that is ambiguous). Everybody "
               "right is not wrong, but the question then tells nothing.</p>")

    # 2. the class
    class_size = len(set(data.everybody) | set(data.students))
    out.append("<h2>The class</h2>")
    facts = [("students in the class", class_size), ("graded", summary["n"]),
             ("missing (nothing usable handed in)", len(data.missing)),
             ("handed in but not graded", len(data.ungraded)),
             ("late", len(data.late)), ("flagged by the integrity guard", len(data.flags)),
             ("written answers still to grade by hand", len(data.waiting)),
             ("mean score", f"{_fmt(summary['mean'])} of {max_total:g}"),
             ("median score", f"{_fmt(summary['median'])} of {max_total:g}"),
             (f"pass rate (at least {summary['pass_mark']:.0%} of the points)",
              _fmt(summary["pass_rate"], percent=True))]
    out.append('<div class="side">')
    out.append(_table("Summary of the graded submissions", ["measure", "value"], facts,
                      numeric=(1,)))
    if summary["n"]:
        totals = data.totals
        out.append(f'<figure><img src="{histogram_svg(totals, max_total, summary["pass_mark"])}"'
                   f' alt="Histogram of the total scores of {summary["n"]} students; the'
                   f' dashed line is the pass mark." width="640" height="280">'
                   f"<figcaption>Score distribution (students per score range: "
                   f"{html.escape(_histogram_text(totals, max_total))}).</figcaption>"
                   "</figure>")
    out.append("</div>")

    # 3. every question
    out.append("<h2>Every question</h2>")
    rows = [(f"Q{r['number']} {r['name']}", _fmt(r["max"]), r["n"], _fmt(r["mean"]),
             _fmt(r["difficulty"]), _fmt(r["discrimination"]), _fmt(r["upper_lower"]),
             _fmt(r["full"], percent=True), _fmt(r["partial"], percent=True),
             _fmt(r["zero"], percent=True), r["top_error"] or "–") for r in stats]
    out.append(_table("Question statistics (difficulty = mean / max; discrimination = "
                      "correlation with the rest of the score; upper − lower = difference "
                      "of the top and bottom 27 %)",
                      ["question", "max", "students", "mean", "difficulty", "discrimination",
                       "upper − lower", "full", "partial", "zero", "most common error"],
                      rows, numeric=range(1, 10)))

    # 4. the students the numbers leave out
    out.append("<h2>Integrity flags, ungraded, missing and late submissions</h2>")
    out.append(_people(data, [(s, "; ".join(f)) for s, f in sorted(data.flags.items())],
                       "Flagged by the integrity guard during grading (see INSTRUCTORS.md)",
                       "No submission was flagged by the integrity guard."))
    out.append(_people(data, data.ungraded, "Handed in but not graded",
                       "Every submission handed in was graded."))
    out.append(_people(data, data.missing, "Missing", "Nobody is missing."))
    out.append(_people(data, sorted(data.late.items()), "Late", "Nobody was late."))
    if data.waiting:
        out.append(_people(data, [(s, "to grade: " + ", ".join(q)) for s, q in
                                  sorted(data.waiting.items())],
                           "Written answers waiting for a hand grade (formgrader)", ""))

    # 5. similar submissions
    out.append("<h2>Similar submissions</h2>")
    out.append('<p class="note"><strong>This list suggests; it never accuses.</strong> Two '
               "answers can be alike because the students worked together as allowed, used "
               "the same hint, book or lesson, or because there are few ways to write the "
               "answer. Read the code, then talk with the students before drawing any "
               "conclusion. Code the released notebook gives, and code that many students "
               "wrote, is ignored; renamed variables and reordered lines still match.</p>")
    if pairs:
        rows = [(i, f"{q}", a, b, _fmt(sim, 2), len(shared))
                for i, (q, sim, a, b, shared, _, _) in enumerate(pairs, start=1)]
        out.append(_table("Pairs of answers more alike than chance, most similar first",
                          ["rank", "answer cell", "student", "student", "similarity",
                           "shared fingerprints"], rows, numeric=(0, 4, 5)))
        for i, (q, sim, a, b, _, a_lines, b_lines) in \
                enumerate(pairs[:MAX_PAIRS_SHOWN], start=1):
            left, right = side_by_side(data.answers[q][a], data.answers[q][b], a_lines,
                                       b_lines)
            out.append(f"<h3>{i}. {html.escape(q)}: {html.escape(a)} and {html.escape(b)} "
                       f"(similarity {_fmt(sim, 2)})</h3>")
            panes = []
            for who, code in ((a, left), (b, right)):
                label = html.escape(f"{who}'s answer, pair {i}")
                panes.append(f'<div><h4>{html.escape(who)}</h4><div class="scroll" tabindex="0" '
                             f'role="region" aria-label="{label}">{code}</div></div>')
            out.append(f'<div class="pair">{"".join(panes)}</div>')
            out.append("<p>Highlighted: the lines holding the fingerprints the two share "
                       "with few or no other students.</p>")
        if len(pairs) > MAX_PAIRS_SHOWN:
            out.append(f"<p>{len(pairs) - MAX_PAIRS_SHOWN} more pairs are in "
                       f"{html.escape(files.get('similar', 'similar.csv'))}.</p>")
    else:
        out.append("<p>No pair of answers is more alike than chance.</p>")
    out.append("</main></body></html>")
    return "\n".join(out)


def _evidence(row):
    parts = [f"full marks {_fmt(row['full'], percent=True)}",
             f"discrimination {_fmt(row['discrimination'])}"]
    if row["crashes"]:
        parts.append(f"the test raised an error other than a failed assert for "
                     f"{row['crashes']} of {row['n']} students; most common: {row['top_error']}")
    elif row["errors"]:
        parts.append(f"an assert failed for {row['errors']} of {row['n']} students; most "
                     f"common: {row['top_error']}")
    return "; ".join(parts)
