"""The playground's words: the status line, the confusion matrix, a neuron's explanation, and
`describe` (what the figure shows, for a screen reader). All from plain values."""

import base64
import html
import os

from . import style

__all__ = ["status_html", "explain_html", "message_html", "neuron_options", "describe"]

CLASS_NAMES = ["orange (class 0)", "blue (class 1)", "green (class 2)"]
TEXT = "#222222"                 # every text is dark on white: far above 4.5:1


def message_html(message, error=False):
    return f"<span style='color:{style.WRONG if error else TEXT}'>{message}</span>"


def download_html(path, what):
    """'Saved <what> to <path>' with a link that downloads the file (its bytes inlined)."""
    with open(path, "rb") as f:
        payload = base64.b64encode(f.read()).decode("ascii")
    name = html.escape(os.path.basename(path))
    return (f"Saved {what} to <code>{html.escape(path)}</code>. <a download='{name}' "
            f"href='data:application/octet-stream;base64,{payload}'>Download {name}</a>")


def neuron_options(layer_sizes):
    """Dropdown options: ('none', ()), then ('layer l, neuron j', (l, j)) for every neuron.
    (Not None for 'none': a dropdown whose value is None shows nothing at all.)"""
    options = [("none", ())]
    last = len(layer_sizes) - 1
    for layer in range(1, last + 1):
        for j in range(1, layer_sizes[layer] + 1):
            where = "output" if layer == last else f"hidden layer {layer}"
            options.append((f"{where}, neuron {j}", (layer, j)))
    return options


def _confusion_html(matrix):
    k = len(matrix)
    head = "".join(f"<th scope='col'>{CLASS_NAMES[j].split()[0]}</th>" for j in range(k))
    rows = "".join(f"<tr><th scope='row'>{CLASS_NAMES[i].split()[0]}</th>"
                   + "".join(f"<td style='text-align:right;padding:0 6px'>{n}</td>"
                             for n in matrix[i]) + "</tr>" for i in range(k))
    return (f"<table style='display:inline-table;vertical-align:middle;margin-left:12px;"
            f"color:{TEXT};font-size:90%;line-height:1.2'><caption style='color:{TEXT};"
            f"white-space:nowrap'>test points: rows true, columns predicted</caption>"
            f"<tr><td></td>{head}</tr>{rows}</table>")


def status_html(s):
    text = (f"<span style='color:{TEXT}'><b style='font-size:140%'>epoch {s['epoch']:,}</b>"
            f" &nbsp; test loss <b>{s['test_loss']:.3f}</b> &nbsp; "
            f"training loss <b>{s['train_loss']:.3f}</b>")
    if s["test_accuracy"] is not None:
        text += (f" &nbsp; accuracy: test <b>{s['test_accuracy']:.0%}</b>, "
                 f"training <b>{s['train_accuracy']:.0%}</b>")
    text += "</span>"
    if s.get("confusion"):
        text += _confusion_html(s["confusion"])
    return text


def explain_html(info, weight=None):
    """A neuron's formula and numbers (from `PlaygroundSession.explain`) as preformatted
    text, the row of weight `weight` (from 1: a weight line clicked) marked; or a hint when
    no neuron is selected."""
    if info is None:
        return (f"<span style='color:{TEXT}'>Click a neuron or a weight line in the diagram, "
                "or choose a neuron above, to see its formula with the numbers.</span>")
    lines = info["text"].split("\n")
    if weight is not None:
        row = next(i for i, line in enumerate(lines) if line.startswith(f"  w{weight} "))
        lines[row] += "   <- the line you clicked"
    return f"<pre style='color:{TEXT};margin:2px 0'>{html.escape(chr(10).join(lines))}</pre>"


def describe(s):
    """Plain words for what the figure shows now, from the widget's `state`."""
    hidden = ", ".join(map(str, s["hidden"])) or "none"
    kind = ("regression" if s["n_classes"] is None else f"{s['n_classes']} classes")
    words = [f"Epoch {s['epoch']}. Network: features {', '.join(s['features'])}; hidden "
             f"layers {hidden} ({s['activation']}); {kind}, {s['n_train']} training and "
             f"{s['n_test']} test points."]
    words.append(f"Test loss {s['test_loss']:.3f}, training loss {s['train_loss']:.3f}.")
    if s["test_accuracy"] is not None:
        words.append(f"Accuracy: test {s['test_accuracy']:.0%}, training "
                     f"{s['train_accuracy']:.0%}.")
    shares = s.get("map_share")
    if shares and s["n_classes"] is not None:
        parts = [f"{CLASS_NAMES[k]} on {share:.0%}" for k, share in enumerate(shares)]
        words.append("The map predicts " + ", ".join(parts) + " of the plane.")
    elif shares:
        words.append(f"The map's output ranges from {shares[0]:.2f} to {shares[1]:.2f}.")
    if len(s["loss_history"]) > 1:
        trend = "fallen" if s["test_loss_history"][-1] < s["test_loss_history"][0] else "not fallen"
        words.append(f"Since epoch 0 the test loss has {trend}.")
    if s.get("selected"):
        words.append(f"Explaining layer {s['selected'][0]}, neuron {s['selected'][1]}.")
    if s.get("stopped"):
        words.append(f"Paused: {s['stopped']}.")
    return " ".join(words)
