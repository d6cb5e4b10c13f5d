"""A panel of a `Canvas` (canvas.py) and its layers: what each layer holds, checked.

A panel is a rectangle of the canvas in CSS pixels with its own data limits, axes, ticks, labels
and title; each method of `Panel` sets one named layer as plain numpy arrays and values (what
tests read), and `wire()` turns a layer into what is sent (arrays as bytes).

>>> ticks((-0.5, 1.5))
[-0.5, 0.0, 0.5, 1.0, 1.5]
>>> panel_spec(0, 0, 100, 50, xlim=(0, 2))["xticks"]
[0.0, 0.5, 1.0, 1.5, 2.0]
"""

import numpy as np

from . import style
from .palettes import PALETTES

__all__ = ["Panel", "DASHES", "MARKERS", "panel_spec", "round_up", "ticks", "wire"]

DASHES = ("solid", "dashed", "dotted", "dashdot")
MARKERS = ("o", "s", "^", "v", "D", "")
_MPL_DASHES = {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dashdot"}


def _floats(values, name):
    """A 1-D float32 array from `values` (a number becomes a 1-element array)."""
    try:
        array = np.asarray(values, dtype=np.float32).reshape(-1)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numbers, got {type(values).__name__}") from error
    return array


def _per_item(value, count, name):
    """One style value for every item, or a list with one per item."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    value = list(value)
    if len(value) != count:
        raise ValueError(f"{name} must be one value or {count} values (one per item), "
                         f"got {len(value)}")
    return [v if isinstance(v, str) or v is None else float(v) for v in value]


def _corners(x0, y0, x1, y1):
    """({"x0": ..., "y0": ..., "x1": ..., "y1": ...} as float32 arrays, their length), for
    segments and rectangles."""
    arrays = {n: _floats(v, n) for v, n in ((x0, "x0"), (y0, "y0"), (x1, "x1"), (y1, "y1"))}
    sizes = [a.size for a in arrays.values()]
    if len(set(sizes)) != 1:
        raise ValueError(f"x0, y0, x1, y1 must have the same length, got {sizes}")
    return arrays, sizes[0]


def _dash(dash):
    dash = _MPL_DASHES.get(dash, dash)
    if dash not in DASHES:
        raise ValueError(f"dash must be one of {DASHES} (or - -- : -.), got {dash!r}")
    return dash


class Panel:
    """A rectangle of the canvas with its own data coordinates, holding named layers.

    Made by `Canvas.panel`; every method sets one layer (replacing one of the same name) and
    returns nothing. Coordinates are data coordinates of this panel.
    """

    def __init__(self, canvas, name, spec):
        self.canvas = canvas
        self.name = name
        self.spec = spec
        self.layers = {}

    def set(self, **spec):
        """Change the panel itself: title, xlim, ylim, xlabel, ylabel, xticks, yticks, frame."""
        unknown = set(spec) - set(self.spec)
        if unknown:
            raise TypeError(f"Panel.set got unknown field(s) {sorted(unknown)}; "
                            f"known: {sorted(self.spec)}")
        self.spec.update(panel_spec(**{**self.spec, **spec}))
        self.canvas.changed()

    def _set(self, name, layer):
        self.layers[name] = layer
        self.canvas.changed()

    def remove(self, name):
        """Drop the layer `name` (nothing happens if there is none)."""
        if self.layers.pop(name, None) is not None:
            self.canvas.changed()

    def image(self, name, values, low=0.0, high=1.0, palette="diverging", extent=None,
              smooth=False):
        """A heat map: `values` (rows, cols), row 0 at the bottom (y = extent's y0), coloured on
        `palette` from `low` (first colour) to `high` (last); clipped outside. `extent` =
        (x0, x1, y0, y1) in data coordinates, default the panel's limits. With the "classes"
        palette, `values` are class indices."""
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 2:
            raise ValueError(f"values must be a 2-D array (rows, cols), got shape {values.shape}")
        if palette not in PALETTES:
            raise ValueError(f"palette must be one of {sorted(PALETTES)}, got {palette!r}")
        if palette == "classes":
            index = np.clip(np.nan_to_num(values), 0, 255)
        else:
            if not high > low:
                raise ValueError(f"high must be greater than low, got low={low}, high={high}")
            index = (np.clip(np.nan_to_num(values, nan=(low + high) / 2), low, high) - low) \
                * (255.0 / (high - low))
        if extent is None:
            extent = (*self.spec["xlim"], *self.spec["ylim"])
        self._set(name, {"kind": "image", "values": values,
                         "bytes": np.rint(index).astype(np.uint8),
                         "palette": palette, "extent": [float(v) for v in extent],
                         "smooth": bool(smooth)})

    def line(self, name, xs, ys, color=style.TEXT, width=1.5, dash="solid", marker="",
             size=5, alpha=1.0):
        """A polyline through (xs[i], ys[i]); it breaks at NaN. `marker` in o s ^ v D or ''."""
        xs, ys = _floats(xs, "xs"), _floats(ys, "ys")
        if xs.shape != ys.shape:
            raise ValueError(f"xs and ys must have the same length, got {xs.size} and {ys.size}")
        if marker not in MARKERS:
            raise ValueError(f"marker must be one of {MARKERS}, got {marker!r}")
        self._set(name, {"kind": "line", "x": xs, "y": ys, "color": color, "width": float(width),
                         "dash": _dash(dash), "marker": marker, "size": float(size),
                         "alpha": float(alpha)})

    def points(self, name, xs, ys, classes=None, fill=None, shape="o", size=7.0,
               edge=style.EDGE, ring=None, width=1.0):
        """Markers at (xs[i], ys[i]). With `classes`, each point has its class's colour and
        shape (style.CLASS_COLORS, CLASS_MARKERS); else `fill` (one colour or one per point)
        and `shape`. `ring`: None, or a colour per point ('' for none): a wider outline, e.g.
        style.WRONG for a misclassified point, style.CURRENT for the current sample."""
        xs, ys = _floats(xs, "xs"), _floats(ys, "ys")
        if xs.shape != ys.shape:
            raise ValueError(f"xs and ys must have the same length, got {xs.size} and {ys.size}")
        count = xs.size
        if classes is not None:
            labels = np.asarray(classes, dtype=int).reshape(-1)
            if labels.size != count or (count and (labels.min() < 0 or labels.max() > 2)):
                raise ValueError(f"classes must be {count} labels in 0..2, got {classes!r}")
            fill = [style.CLASS_COLORS[k] for k in labels]
            shape = [style.CLASS_MARKERS[k] for k in labels]
        fill = _per_item(style.POSITIVE if fill is None else fill, count, "fill")
        shape = _per_item(shape, count, "shape")
        for one in (shape if isinstance(shape, list) else [shape]):
            if one not in MARKERS[:-1]:
                raise ValueError(f"shape must be one of {MARKERS[:-1]}, got {one!r}")
        self._set(name, {"kind": "points", "x": xs, "y": ys, "fill": fill, "shape": shape,
                         "size": _per_item(size, count, "size"),
                         "edge": _per_item(edge, count, "edge"),
                         "ring": _per_item(ring, count, "ring"), "width": float(width)})

    def segments(self, name, x0, y0, x1, y1, color=style.TEXT, width=1.0, dash="solid"):
        """Straight segments (x0[i], y0[i]) -> (x1[i], y1[i]); colour and width one or per
        segment (a network diagram's edges)."""
        corners, count = _corners(x0, y0, x1, y1)
        self._set(name, {"kind": "segments", **corners,
                         "color": _per_item(color, count, "color"),
                         "width": _per_item(width, count, "width"), "dash": _dash(dash)})

    def rects(self, name, x0, y0, x1, y1, fill=style.POSITIVE, edge=None, width=1.0):
        """Rectangles from corner (x0, y0) to (x1, y1): bars, histogram bins, cells."""
        corners, count = _corners(x0, y0, x1, y1)
        self._set(name, {"kind": "rects", **corners,
                         "fill": _per_item(fill, count, "fill"),
                         "edge": _per_item(edge, count, "edge"), "width": float(width)})

    def legend(self, name, entries, corner="upper right"):
        """A key in a corner of the panel: `entries` is a list of (label, sample) with sample a
        dict of line/marker style: color, dash (None: no line; default solid, or no line
        for a marker alone), width, marker (o s ^ v D), fill (a marker's colour, default
        `color`), e.g. ("full batch", {"color": "#444444", "dash": "solid",
        "marker": "o"}). corner: upper/lower + left/right."""
        if corner not in ("upper right", "upper left", "lower right", "lower left"):
            raise ValueError("corner must be 'upper right', 'upper left', 'lower right' or "
                             f"'lower left', got {corner!r}")
        items = []
        for label, sample in entries:
            sample = dict(sample)
            unknown = set(sample) - {"color", "dash", "width", "marker", "fill"}
            if unknown:
                raise ValueError(f"a legend sample has unknown style(s) {sorted(unknown)}")
            marker = sample.get("marker", "")
            if marker not in MARKERS:
                raise ValueError(f"marker must be one of {MARKERS}, got {marker!r}")
            # no dash given: a line sample, unless the entry is a marker alone
            dash = sample.get("dash", "" if marker else "solid")
            items.append({"label": str(label), "color": sample.get("color", style.TEXT),
                          "dash": _dash(dash) if dash else "",
                          "width": float(sample.get("width", 1.5)),
                          "marker": marker, "fill": sample.get("fill")})
        self._set(name, {"kind": "legend", "entries": items, "corner": corner})

    def text(self, name, x, y, text, **style_):
        """One string at (x, y); see `texts` for the style."""
        self.texts(name, [x], [y], [text], **style_)

    def texts(self, name, xs, ys, strings, color=style.TEXT, size=12, align="center",
              baseline="middle", weight="normal", angle=0.0, background=None):
        """Strings at (xs[i], ys[i]). align: left/center/right; baseline: top/middle/bottom;
        angle in degrees (counter-clockwise); `background`: a colour boxed behind each text."""
        xs, ys = _floats(xs, "xs"), _floats(ys, "ys")
        strings = [str(s) for s in strings]
        if not xs.size == ys.size == len(strings):
            raise ValueError(f"xs, ys and strings must have the same length, got {xs.size}, "
                             f"{ys.size} and {len(strings)}")
        self._set(name, {"kind": "texts", "x": xs, "y": ys, "text": strings,
                         "color": _per_item(color, len(strings), "color"), "size": float(size),
                         "align": align, "baseline": baseline, "weight": weight,
                         "angle": float(angle), "background": background})


def round_up(value):
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (> 0): a tick step,
    or an axis's top.

    >>> round_up(0.83), round_up(1.84), round_up(2.2), round_up(31.0)
    (1.0, 2.0, 2.5, 50.0)
    """
    if not np.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    return float(min(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value * (1 - 1e-12)))


def ticks(limits, count=5):
    """About `count` round tick values inside `limits`.

    >>> ticks((0, 1000), 4)
    [0.0, 250.0, 500.0, 750.0, 1000.0]
    """
    low, high = float(limits[0]), float(limits[1])
    if not high > low:
        return [low]
    step = round_up((high - low) / count * 0.999)
    first = np.ceil(low / step - 1e-9) * step
    return [round(float(v), 10) + 0.0 for v in np.arange(first, high + step * 1e-6, step)]


def _tick_list(ticks):
    """Ticks as sent: a value, or (value, label) for a named tick (a category's name).

    >>> _tick_list([0, (1, "setosa")])
    [0.0, [1.0, 'setosa']]
    """
    return [[float(t[0]), str(t[1])] if isinstance(t, (tuple, list)) else float(t)
            for t in (ticks or [])]


def panel_spec(left, top, width, height, xlim=(0.0, 1.0), ylim=(0.0, 1.0), xlabel="",
                ylabel="", title="", xticks=None, yticks=None, frame=True, background="#ffffff",
                xscale="linear", yscale="linear"):
    for name, limits in (("xlim", xlim), ("ylim", ylim)):
        if len(limits) != 2 or not float(limits[1]) > float(limits[0]):
            raise ValueError(f"{name} must be (low, high) with low < high, got {limits!r}")
    for name, scale in (("xscale", xscale), ("yscale", yscale)):
        if scale not in ("linear", "log"):
            raise ValueError(f"{name} must be 'linear' or 'log', got {scale!r}")
    xlim = [float(v) for v in xlim]
    ylim = [float(v) for v in ylim]
    return {"left": float(left), "top": float(top), "width": float(width),
            "height": float(height), "xlim": xlim, "ylim": ylim, "xlabel": xlabel,
            "ylabel": ylabel, "title": title,
            "xticks": ticks(xlim) if xticks is None and xscale == "linear" else _tick_list(xticks),
            "yticks": ticks(ylim) if yticks is None and yscale == "linear" else _tick_list(yticks),
            "frame": bool(frame), "background": background, "xscale": xscale, "yscale": yscale}


def wire(layer):
    """A layer as sent: numpy arrays become bytes (float32, or uint8 for images)."""
    out = {}
    for key, value in layer.items():
        if key == "values":
            out["rows"], out["cols"] = value.shape
        elif isinstance(value, np.ndarray):
            out[key] = np.ascontiguousarray(value).tobytes()
        else:
            out[key] = value
    return out
