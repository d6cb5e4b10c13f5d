"""Blitting: redraw only what a slider changes, over a saved picture of everything else.

A full matplotlib draw spends most of its time on what never moves: axes, ticks, tick labels,
legends, a contour surface. A `Blitter` saves a picture of the figure without its moving
artists; on `render()` it pastes that picture back and draws only the moving artists over it,
in the order a full draw draws them. With ipympl, ``canvas.blit`` sends the new frame to the
browser at once. That is the pattern of matplotlib's "Faster rendering by using blitting"
tutorial, in a class of its own so that every widget can use it.

The moving artists are not marked "animated": any other draw (the browser's first view, a
resize, ``savefig``) draws the whole figure as usual, and the next render saves a new picture.
When the unchanging part changes (new axis limits, new ticks), call `invalidate()`.

Example (the Agg backend draws on ``draw_idle``, so the first render is a full draw):

>>> from matplotlib.figure import Figure
>>> from matplotlib.backends.backend_agg import FigureCanvasAgg
>>> fig = Figure(); canvas = FigureCanvasAgg(fig)
>>> line, = fig.add_subplot().plot([0, 1], [0, 1])
>>> blitter = Blitter(fig, lambda: [line])
>>> blitter.render(); blitter.has_background   # the first render is a full draw
False
>>> line.set_ydata([1, 0])
>>> blitter.render(); blitter.has_background   # a picture without the line, the line over it
True
>>> blitter.invalidate(); blitter.has_background
False
"""

from matplotlib.backends.backend_agg import FigureCanvasAgg

__all__ = ["Blitter"]


class Blitter:
    """Draws a figure's moving artists over a saved picture of its unchanging ones.

    Parameters
    ----------
    figure : matplotlib.figure.Figure, on a canvas of an Agg-based backend (ipympl, inline,
        Agg)
    artists : callable returning a list of artists
        The artists that change from one render to the next (called on each render, so the
        list may change with the figure's content), and every artist drawn above them where
        they may meet (a spine, a legend), so that the picture is the one a full draw makes.
    """

    def __init__(self, figure, artists):
        self.figure = figure
        self.artists = artists
        self._background = None
        self._drawn = False          # a full draw has happened: a view exists (or Agg draws)
        self._saving = False
        figure.canvas.mpl_connect("draw_event", self._on_full_draw)

    @property
    def has_background(self):
        """Whether a picture of the unchanging artists is saved."""
        return self._background is not None

    def invalidate(self):
        """The unchanging part changed (axis limits, ticks): save a new picture next time."""
        self._background = None

    def render(self):
        """Show the artists as they are now.

        Before the figure was ever drawn (with ipympl: before a browser shows it) this only
        asks for a draw, which the view makes when it exists. After that: the saved picture
        (made now if there is none), the moving artists over it, and the frame sent."""
        canvas = self.figure.canvas
        if not self._drawn:
            canvas.draw_idle()
            return
        if self._background is None:
            self._save_background()
        canvas.restore_region(self._background)
        for artist in self._in_drawing_order(self.artists()):
            self.figure.draw_artist(artist)
        canvas.blit(self.figure.bbox)       # with ipympl: the frame goes to the browser now

    def _in_drawing_order(self, artists):
        """The artists in the order a full draw draws them: axes by axes, then the figure's
        own texts; within an axes by zorder, ties in the axes' order of children."""
        place = {}
        for number, ax in enumerate(self.figure.axes):
            for index, child in enumerate(ax.get_children()):
                place[id(child)] = (number, index)
        last = (len(self.figure.axes), 0)
        return sorted(artists, key=lambda a: (place.get(id(a), last)[0], a.get_zorder(),
                                              place.get(id(a), last)[1]))

    def _save_background(self):
        # For this one draw the moving artists are "animated", which a draw leaves out but
        # still lays out (an invisible title, by contrast, would be moved off the figure).
        moving = [artist for artist in self.artists() if not artist.get_animated()]
        for artist in moving:
            artist.set_animated(True)
        self._saving = True
        try:
            # Agg's own draw: the picture without the moving artists is not sent anywhere
            FigureCanvasAgg.draw(self.figure.canvas)
        finally:
            self._saving = False
            for artist in moving:
                artist.set_animated(False)
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)

    def _on_full_draw(self, event):
        # Some other full draw (the first view, a resize, a new pixel ratio, savefig) drew
        # everything: the figure can be rendered from now on, and the saved picture may no
        # longer fit it.
        self._drawn = True
        if not self._saving:
            self._background = None
