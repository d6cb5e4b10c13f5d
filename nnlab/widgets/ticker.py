"""A play loop that runs in the kernel: while playing, one `tick()` every `interval` seconds.

A timer in the browser (ipywidgets' `Play`) sends a message per tick, and ipywidgets sends a
model's next change only once the kernel has answered the last: every frame then waits for a
whole round trip (tick + message + answer), 50-80 ms on a busy 2-core machine, so play showed
8-12 frames a second. Here the kernel keeps time itself, on a thread of its own, and sends each
frame as soon as it is drawn; ipywidgets documents updating widgets from a background thread.
Widget methods the thread calls must hold the widget's lock (`base.serialized`), as the
controls' callbacks do.

>>> import time
>>> count = []
>>> ticker = Ticker(lambda: count.append(1), interval=0.01)
>>> ticker.start(); time.sleep(0.2); ticker.stop(); ticker.join()
>>> len(count) > 3, ticker.running
(True, False)
"""

import threading
import time


class Ticker:
    """Call `tick()` every `interval` seconds on a daemon thread, between `start()` and `stop()`.

    Parameters
    ----------
    tick : callable
        Called with no arguments; may call `stop()` itself (a stop condition). If it raises,
        the loop stops and `on_error(error)` is called.
    interval : float
        Seconds from one tick's start to the next (when a tick takes longer, the next one
        starts right after it).
    on_error : callable, optional
        Called with the exception that ended the loop (default: re-raise it in the thread,
        where the kernel logs it).
    """

    def __init__(self, tick, interval, on_error=None):
        if not interval > 0:
            raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
        self.tick, self.interval, self.on_error = tick, float(interval), on_error
        self._stop = threading.Event()
        self._thread = None

    @property
    def running(self):
        """True between `start()` and the end of the loop."""
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self):
        """Start ticking (nothing happens if it already ticks)."""
        if self.running:
            return
        self.join()                      # a loop still finishing its last tick
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="nnlab play", daemon=True)
        self._thread.start()

    def stop(self):
        """Stop after the current tick (returns at once, also from inside `tick`)."""
        self._stop.set()

    def join(self, timeout=5.0):
        """Wait until the loop has ended (not from inside `tick`)."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _loop(self):
        next_start = time.perf_counter()
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception as error:  # noqa: BLE001 - reported, and the loop ends
                self._stop.set()
                if self.on_error is None:
                    raise
                self.on_error(error)
                return
            next_start += self.interval
            delay = next_start - time.perf_counter()
            if delay < 0:                # behind: start the next tick now, do not catch up
                next_start, delay = time.perf_counter(), 0.001
            self._stop.wait(delay)
