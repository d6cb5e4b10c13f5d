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

`accessible` gives the same fixes to a box of plain ipywidgets built in a lesson:

>>> import ipywidgets as ipw
>>> box = accessible(ipw.VBox([ipw.FloatSlider(description="prediction")]), label="loss curves")
>>> "nnlab-widget" in box._dom_classes, isinstance(box.children[-1], TextTwin)
(True, True)
"""

from pathlib import Path

import anywidget
import traitlets

__all__ = ["TextTwin", "accessible"]

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


def accessible(widget, label=None, text=None):
    """Give plain ipywidgets (and ipympl figures) in a box what the nnlab widgets have.

    A slider's handle is then named by its visible `description`, figures stop trapping the
    keyboard and become images named `label`, icon buttons get names, and arrow keys stay with
    the control; `text`, under the figure in a live region, says what it shows (see
    `TextTwin`). Give every control a visible `description` first. Calling it again on the
    same box changes the label or the text (do it whenever the figure changes).

    Parameters
    ----------
    widget : ipywidgets.Box or ipywidgets.DOMWidget
        The box shown in the notebook (a single widget is put in a VBox).
    label : str, optional
        The accessible name of the figures in it (default 'figure').
    text : str, optional
        What the figure shows now, in words.

    Returns
    -------
    ipywidgets.Box
        The box, with classes ``nnlab-widget`` and ``nnlab-lesson-box`` and a `TextTwin` as
        its last child.
    """
    import ipywidgets as ipw

    if not isinstance(widget, ipw.DOMWidget):
        raise TypeError(f"widget must be an ipywidgets widget or box, but got "
                        f"{type(widget).__name__}")
    box = widget if isinstance(widget, ipw.Box) else ipw.VBox([widget])
    twins = [child for child in box.children if isinstance(child, TextTwin)]
    if twins:
        twin = twins[0]
    else:
        twin = TextTwin()
        box.children = (*box.children, twin)
    if label is not None:
        twin.label = label
    if text is not None:
        twin.text = text
    box.add_class("nnlab-widget")
    box.add_class("nnlab-lesson-box")     # the browser tests exercise it as a lesson's own box
    return box
