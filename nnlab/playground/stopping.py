"""Stop conditions that pause play: an epoch budget, and a plateau of the loss.

A plateau: the monitored loss (the test loss by default) has not gone below its best value by
more than `min_delta` for `patience` epochs in a row, as Keras's EarlyStopping decides.
"""

__all__ = ["Plateau", "budget_reached"]


def budget_reached(epoch, max_epochs):
    """The reason to stop when `epoch` has reached the budget `max_epochs`, else None."""
    if max_epochs is not None and epoch >= max_epochs:
        return f"the epoch budget of {max_epochs} epochs is reached"
    return None


class Plateau:
    """Watches one loss, epoch after epoch.

    >>> watch = Plateau(1.0, patience=2, min_delta=0.1)
    >>> [watch.update(v) for v in (0.5, 0.45, 0.44)]
    [None, None, 'the loss has not improved for 2 epochs (best 0.5000)']
    """

    def __init__(self, start, patience=None, min_delta=0.0, name="loss"):
        self.best, self.waited = start, 0
        self.patience, self.min_delta, self.name = patience, min_delta, name

    def update(self, value):
        """Take the loss after an epoch; the reason to stop, or None."""
        if self.patience is None:
            return None
        if value < self.best - self.min_delta:
            self.best, self.waited = value, 0
            return None
        self.waited += 1
        if self.waited >= self.patience:
            return (f"the {self.name} has not improved for {self.patience} epochs "
                    f"(best {self.best:.4f})")
        return None
