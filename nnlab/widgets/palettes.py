"""The colour tables the Canvas's images are painted through: 256 RGBA bytes each.

An image layer sends one byte per cell; the browser looks each byte up in a palette, sent once
per canvas. The colours are style.py's (one colour language): orange - white - blue for signed
values and outputs, grey for ink, a colour per class, and each class fading from white.

>>> sorted(PALETTES)
['class fades', 'classes', 'diverging', 'grey']
>>> PALETTES["classes"][1].tolist() == [0x00, 0x72, 0xb2, 255]      # class 1: style.POSITIVE
True
>>> class_fades(np.array([0, 1, 2]), np.array([0.0, 1.0, 0.5])).tolist()
[0.0, 169.0, 212.0]
"""

import numpy as np

from . import style

__all__ = ["PALETTES", "FADES", "FADE_STEPS", "class_fades"]

#: The palette of three-class pictures: white to each class's colour. Entry 85 k + s holds
#: class k at strength s / 84 (0: white, 84: the full colour); see `class_fades`.
FADES = "class fades"
FADE_STEPS = 85


def _rgb(colour):
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


def _grey():
    table = np.repeat(np.linspace(255, 0, 256).astype(np.uint8)[:, None], 4, axis=1)
    table[:, 3] = 255
    return table


def _classes():
    table = np.zeros((256, 4), dtype=np.uint8)
    for k, colour in enumerate(style.CLASS_COLORS):
        table[k] = _rgb(colour) + [255]
    return table


def _fades():
    table = np.full((256, 4), 255, dtype=np.uint8)
    amount = np.linspace(0.0, 1.0, FADE_STEPS)[:, None]
    for k, colour in enumerate(style.CLASS_COLORS):
        rgb = np.array(_rgb(colour), dtype=float)
        table[k * FADE_STEPS:(k + 1) * FADE_STEPS, :3] = np.rint(255.0 - amount * (255.0 - rgb))
    return table


#: name -> (256, 4) uint8 RGBA table
PALETTES = {
    "diverging": style.CMAP_BYTES,          # orange (0) - white (128) - blue (255)
    "grey": _grey(),                        # white (0) to black (255): ink
    "classes": _classes(),                  # entry k: class k's colour
    FADES: _fades(),                        # see class_fades
}


def class_fades(k, strength):
    """Entries of the FADES palette: class `k` (array of ints) at `strength` in [0, 1]."""
    return k * FADE_STEPS + np.rint(np.clip(strength, 0.0, 1.0) * (FADE_STEPS - 1))
