"""The playground's Play button in a real browser: the epoch counter rises, the loss falls,
and Pause stops it. (Play is an ipywidgets.Play timer that runs in the browser, so only a
browser test shows that it really drives training.)"""

import re

import nbformat

STATUS = re.compile(r"epoch ([\d,]+).*?test loss ([\d.]+).*?training loss ([\d.]+)", re.S)


def read_status(widget):
    """(epoch, test loss, training loss) from the playground's status readout."""
    text = " ".join(widget.locator(".widget-html").all_inner_texts())
    match = STATUS.search(text)
    assert match, f"no epoch/loss readout in the playground: {text!r}"
    epoch, test_loss, train_loss = match.groups()
    return int(epoch.replace(",", "")), float(test_loss), float(train_loss)


def test_play_trains_and_pause_stops(lab_root, open_notebook, take_screenshot):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib widget\nfrom nnlab.widgets import "
                                          "Playground"),
                nbformat.v4.new_code_cell('Playground(dataset="xor", features=("x1", "x2", '
                                          '"x1*x2"), hidden=(4,), seed=0)')]
    nbformat.write(nb, lab_root / "scratch" / "playground_play.ipynb")
    notebook = open_notebook("scratch/playground_play.ipynb")
    notebook.run_all()
    assert notebook.problems() == []
    [widget] = notebook.widgets("nnlab-playground")
    widget.scroll_into_view_if_needed()
    epoch0, test0, train0 = read_status(widget)
    assert epoch0 == 0
    play, pause = (widget.locator(".widget-play button").nth(i) for i in (0, 1))

    play.click()
    page = notebook.page
    for _ in range(600):                       # up to 60 s on a loaded machine
        epoch, test_loss, train_loss = read_status(widget)
        if epoch >= 20:
            break
        page.wait_for_timeout(100)
    pause.click()
    take_screenshot(notebook, "playground_after_play")

    assert epoch >= 20, f"Play ran only {epoch} epochs in 60 s"
    assert train_loss < train0 and test_loss < test0, (
        f"the loss did not fall: training {train0} -> {train_loss}, test {test0} -> {test_loss}")
    # paused: at most a tick already on its way, then the counter stands still
    page.wait_for_timeout(1000)
    notebook.wait_idle()
    stopped_at = read_status(widget)[0]
    page.wait_for_timeout(1500)
    assert read_status(widget)[0] == stopped_at, "the epoch counter kept rising after Pause"
    assert notebook.problems() == []
    notebook.close()
