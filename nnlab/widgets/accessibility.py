"""The text twin of a figure: what it shows, in words, for everyone who cannot see it.

Every nnlab widget puts a `TextTwin` under its figure. It shows the widget's ``describe()`` in
a live region (``role=status``, ``aria-live=polite``), so a screen reader announces each change,
and it is the accessible description of the figure (``aria-describedby``). Being inside the
widget, it also makes the widget usable from the keyboard and with a screen reader in
JupyterLab, where ipywidgets and ipympl alone are not (see ``text_twin.js``):

- figures are not Tab stops, and Tab, Shift+Tab and Escape leave a figure that a click focused
  (ipympl's key handler cancels every key: a keyboard trap, WCAG 2.1.2);
- figures are images (``role=img``) named by `TextTwin.label` and described by the twin;
- slider handles are named by the slider's visible description ("weight w1", not "slider 0.6");
- buttons without text (ipywidgets.Play's icons) are named by their tooltip or icon;
- dropdowns and sliders keep their arrow keys (JupyterLab's notebook would move between cells).

Python cannot set ARIA attributes on ipywidgets' or ipympl's DOM, so this is a small anywidget
(an ES module, no build step, no JupyterLab extension of our own).

Examples
--------
>>> twin = TextTwin(label="a neuron's decision line", text="the line crosses x1 at 0.5")
>>> twin.text
'the line crosses x1 at 0.5'
"""

from pathlib import Path

import anywidget
import traitlets

__all__ = ["TextTwin"]

_HERE = Path(__file__).parent


class TextTwin(anywidget.AnyWidget):
    """A live region with a figure's description, and the accessibility fixes of its widget.

    Parameters
    ----------
    text : str
        What the figure shows now, in plain words (the widget's ``describe()``).
    label : str
        A short name of the figure, e.g. "neuron explorer figure" (its accessible name).
    figure_focusable : bool, default False
        True keeps the figures Tab stops (for a figure with keyboard actions of its own);
        Tab, Shift+Tab and Escape leave them either way.
    """

    _esm = (_HERE / "text_twin.js").read_text()
    _css = (_HERE / "text_twin.css").read_text()
    text = traitlets.Unicode("").tag(sync=True)
    label = traitlets.Unicode("figure").tag(sync=True)
    figure_focusable = traitlets.Bool(False).tag(sync=True)
