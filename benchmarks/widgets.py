"""How live do the widgets feel? The kernel's work from a control change to a frame sent.

For each widget: the median time from setting a control (a slider value, or a button click) to
the frame handed to the browser (the widget's update and the kernel's part of sending the frame:
the canvas's scene serialized with its binary buffers), measured twice: wall-clock time (what a
student waits) and the process's CPU time (the work itself, which stays meaningful when other
jobs share the machine's cores). A widget may do work after its picture is sent (the
DescentExplorer trains its hidden tab's runs then): the time to the new picture is reported
beside the whole update, and the targets apply to it. For the Playground: training ticks per
second with the default network, each tick one epoch plus its frame. The browser's part
(keypress to pixels in Chromium) is benchmarks/browser_latency.py.

Run: `python benchmarks/widgets.py`. `benchmarks/run.py` imports `results()` (or the functions
below, each returning a dict).
"""

import os
import statistics
import time

#: Targets from the widget issues.
NEURON_EXPLORER_MAX_MS = 30.0
DESCENT_EXPLORER_MAX_MS = 30.0
PLAYGROUND_MIN_TICKS_PER_S = 20.0


def _time_canvas_updates(widget, actions, repeats):
    """Milliseconds of an action on a widget drawn by the browser (nnlab.widgets.canvas), median
    and best wall-clock and median CPU time over `repeats` actions taken in turn from `actions`:
    the action, which computes and sets the canvas's layers, plus the kernel's part of sending the
    frame (the scene serialized, binary buffers split off, the JSON encoded); the browser's
    drawing is in benchmarks/browser_latency.py."""
    import json

    from ipywidgets.widgets.widget import _remove_buffers

    wall, cpu = [], []
    for i in range(repeats):
        action = actions[i % len(actions)]
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        for canvas in widget.canvases:
            state, _, _ = _remove_buffers(canvas.get_state(["scene"]))
            json.dumps(state)
        cpu.append((time.process_time() - start_cpu) * 1e3)
        wall.append((time.perf_counter() - start) * 1e3)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def _slider_actions(control, values):
    def setter(value):
        return lambda: setattr(control, "value", value)

    return [setter(v) for v in values]


def _row(widget, change, times, max_ms=None, min_per_s=None):
    median_ms, best_ms, cpu_ms, *picture = times
    picture_ms = picture[0] if picture else median_ms
    row = {"widget": widget, "change": change, "median_ms": median_ms, "best_ms": best_ms,
           "cpu_ms": cpu_ms, "picture_ms": picture_ms, "per_second": 1e3 / median_ms,
           "cpu_per_second": 1e3 / cpu_ms}
    if max_ms is not None:
        # the target is for what a student waits for: the new picture (the DescentExplorer
        # trains its hidden tab's runs after it, see DescentExplorer.finish)
        row["target"] = f"<= {max_ms:g} ms"
        row["ok"] = picture_ms <= max_ms
        row["cpu_ok"] = cpu_ms <= max_ms
    if min_per_s is not None:
        row["target"] = f">= {min_per_s:g} per s"
        row["ok"] = row["per_second"] >= min_per_s
        row["cpu_ok"] = row["cpu_per_second"] >= min_per_s
    return row


def neuron_explorer(repeats=60):
    """Moving the w1 slider of NeuronExplorer (gate OR, sigmoid): heatmap, line, table."""
    from nnlab.widgets import NeuronExplorer

    widget = NeuronExplorer(gate="OR")
    widget.controls["activation"].value = "sigmoid"
    values = [round(-2.0 + 0.1 * k, 1) for k in range(41)]
    times = _time_canvas_updates(widget, _slider_actions(widget.controls["w1"], values), repeats)
    return _row("NeuronExplorer", "w1 slider", times, max_ms=NEURON_EXPLORER_MAX_MS)


def activation_explorer(repeats=60):
    """Moving the z slider of ActivationExplorer (tanh): point, tangent, slope point."""
    from nnlab.widgets import ActivationExplorer

    widget = ActivationExplorer()
    widget.controls["activation"].value = "tanh"
    values = [round(-4.0 + 0.2 * k, 1) for k in range(41)]
    times = _time_canvas_updates(widget, _slider_actions(widget.controls["z"], values), repeats)
    return _row("ActivationExplorer", "z slider", times)


def perceptron_trainer(repeats=60):
    """PerceptronTrainer on blobs: the learning-rate slider, and one Step click."""
    from nnlab.widgets import PerceptronTrainer

    rows = []
    widget = PerceptronTrainer("blobs")
    values = [round(0.1 + 0.05 * k, 2) for k in range(30)]
    times = _time_canvas_updates(widget, _slider_actions(widget.controls["learning_rate"],
                                                         values), repeats)
    rows.append(_row("PerceptronTrainer", "learning-rate slider", times))

    widget = PerceptronTrainer("XOR")            # never converges, so every Step does work
    times = _time_canvas_updates(widget, [widget.controls["step"].click], repeats)
    rows.append(_row("PerceptronTrainer", "Step click", times))
    return rows


def descent_explorer(repeats=30):
    """DescentExplorer (default settings): each control with values never seen before (every
    run it changes is retrained), and the learning rate moved back and forth (runs kept)."""
    from nnlab.widgets import DescentExplorer

    rows = []
    cases = [("learning_rate", "learning-rate slider, new values",
              [round(0.2 + 0.01 * k, 2) for k in range(repeats)]),
             ("batch_size", "batch-size slider, new values", list(range(2, 24))),
             ("momentum", "momentum slider, new values",
              [round(0.5 + 0.01 * k, 2) for k in range(repeats)]),
             ("w0", "start-w slider, new values", [round(-3.9 + 0.1 * k, 1)
                                                   for k in range(repeats)]),
             ("learning_rate", "learning-rate slider, back and forth", [0.4, 0.5])]
    for name, change, values in cases:
        widget = DescentExplorer()
        widget.controls[name].value = values[-1]      # not the first value
        count = repeats if len(values) == 2 else len(values)     # new values: each once
        times = _time_canvas_picture(widget, _slider_actions(widget.controls[name], values),
                                     count)
        rows.append(_row("DescentExplorer", change, times, max_ms=DESCENT_EXPLORER_MAX_MS))
    return rows


def _time_canvas_picture(widget, actions, repeats):
    """`_time_canvas_updates` with the time to the new picture as well: until the visible
    canvas's frame is serialized for sending (each canvas's frame is serialized when it is
    sent, as the kernel does). The DescentExplorer trains its hidden tab after that."""
    import json

    from ipywidgets.widgets.widget import _remove_buffers

    _ = widget.view                                    # as displayed: one visible tab
    shown = []

    def serializing(canvas):
        send = canvas._send_frame

        def sent():
            send()
            state, _, _ = _remove_buffers(canvas.get_state(["scene"]))
            json.dumps(state)
            if canvas is widget.canvases[0]:
                shown.append(time.perf_counter())
        return sent

    for canvas in widget.canvases:
        canvas._send_frame = serializing(canvas)
    wall, cpu, picture = [], [], []
    for i in range(repeats):
        action = actions[i % len(actions)]
        shown.clear()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        cpu.append((time.process_time() - start_cpu) * 1e3)
        wall.append((time.perf_counter() - start) * 1e3)
        picture.append(((shown[0] if shown else time.perf_counter()) - start) * 1e3)
    return statistics.median(wall), min(wall), statistics.median(cpu), statistics.median(picture)


def backprop_stepper(repeats=44):
    """BackpropStepper: the next button, through four rounds of forward, backward, update."""
    from nnlab.widgets import BackpropStepper

    widget = BackpropStepper()
    times = _time_canvas_updates(widget, [widget.controls["next"].click], repeats)
    return _row("BackpropStepper", "next click", times)


def playground(ticks=40):
    """Playground ticks per second with its default network (one epoch + redraw per tick), or
    None when `nnlab.widgets.Playground` does not exist yet."""
    try:
        from nnlab.widgets import Playground
    except (ImportError, AttributeError):
        return None
    widget = Playground(seed=0)
    times = _time_canvas_updates(widget, [widget.tick], ticks)
    return _row("Playground", "tick (1 epoch + redraw)", times,
                min_per_s=PLAYGROUND_MIN_TICKS_PER_S)


def results():
    """Every measurement, as a list of dicts: widget, change, median_ms, best_ms (wall clock),
    picture_ms (wall clock until the visible figure was rendered; median_ms for widgets that
    render last), cpu_ms (median CPU time), per_second and cpu_per_second, and where the issue
    sets a target, target, ok (picture_ms) and cpu_ok (CPU time)."""
    rows = [neuron_explorer(), activation_explorer(), *perceptron_trainer(),
            *descent_explorer(), backprop_stepper()]
    pg = playground()
    if pg is not None:
        rows.append(pg)
    return rows


def markdown_rows():
    """The same figures as a markdown table, for benchmarks/run.py and RESULTS.md."""
    lines = ["| widget | change | to the new picture ms (wall) | whole update ms (wall) | "
             "cpu ms (whole) | per s | target | met (picture / cpu) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results():
        met = (f"{'yes' if r['ok'] else 'NO'} / {'yes' if r['cpu_ok'] else 'NO'}"
               if "target" in r else "")
        lines.append(f"| {r['widget']} | {r['change']} | {r['picture_ms']:.1f} | "
                     f"{r['median_ms']:.1f} | {r['cpu_ms']:.1f} | {r['per_second']:.1f} | "
                     f"{r.get('target', '')} | {met} |")
    return lines


def main():
    rows = results()
    print(f"{'widget':<19} {'change':<24} {'picture':>7} {'median ms':>9} {'best ms':>8} "
          f"{'cpu ms':>7} {'per s':>6}  target: picture / cpu")
    for r in rows:
        verdict = ""
        if "target" in r:
            verdict = (f"{r['target']}: {'met' if r['ok'] else 'MISSED'} / "
                       f"{'met' if r['cpu_ok'] else 'MISSED'}")
        print(f"{r['widget']:<19} {r['change']:<24} {r['picture_ms']:>7.1f} "
              f"{r['median_ms']:>9.1f} {r['best_ms']:>8.1f} {r['cpu_ms']:>7.1f} "
              f"{r['per_second']:>6.1f}  {verdict}")
    if not any(r["widget"] == "Playground" for r in rows):
        print("Playground: not measured (nnlab.widgets.Playground does not exist yet)")
    # wall-clock times depend on what else runs: say how busy the machine was
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average over the last minute: {load:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
