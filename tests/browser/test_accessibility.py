"""Every lesson, as a keyboard or screen-reader user meets it (WCAG 2.1 AA where we control it).

After Run All (the `lesson` fixture, shared with test_lessons.py):

- axe-core (the npm package, installed by the `axe_source` fixture) checks the whole page. No
  violation may have a node in the lesson: inside an nnlab widget, or in other lesson output
  (rendered markdown, other cell outputs). Violations in JupyterLab's own chrome (toolbars,
  editors, prompts) are listed in the terminal summary, never hidden, but do not fail the
  test: they are not ours to fix.
- The keyboard walk, for every nnlab widget: Tab from its first control visits every control in
  order and leaves the widget, Shift+Tab leaves it backwards, a figure focused by a click lets
  Tab go, every slider moves with ArrowRight/ArrowLeft, every dropdown changes with
  ArrowDown/ArrowUp and keeps the focus (JupyterLab must not take the keys), and the figure's
  text twin (aria-live) follows.
"""

import pytest

# the walk presses a key and waits for the kernel's answer: generous, CI shares two cores
KERNEL_LAG = 30_000


# ---------------------------------------------------------------- axe-core
#: JS: run axe on the page and sort each violation's nodes by where they lie: in an output
#: holding an nnlab widget ('widget'), in other lesson output: rendered markdown or another
#: cell output ('output'), or in JupyterLab itself ('jupyterlab').
RUN_AXE = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    const where = target => {
        const el = typeof target[0] === 'string' ? document.querySelector(target[0]) : null;
        const output = el && el.closest('.jp-Notebook .jp-OutputArea-output, '
                                        + '.jp-Notebook .jp-MarkdownOutput');
        if (!output) return 'jupyterlab';
        return output.querySelector('.nnlab-widget') || el.closest('.nnlab-widget')
            ? 'widget' : 'output';
    };
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({where: where(n.target), target: n.target.join(' '),
                                  html: n.html.slice(0, 200), summary: n.failureSummary}))}));
}"""


def run_axe(page, source):
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=source)
    return page.evaluate(RUN_AXE)


def count(violations, where):
    return sum(1 for v in violations for n in v["nodes"] if n["where"] == where)


def test_no_axe_violations_in_the_lesson(lesson, axe_source, axe_report, request):
    """None inside nnlab widgets, none in the rest of the lesson's output (JupyterLab's own
    are listed in the terminal summary)."""
    violations = run_axe(lesson.page, axe_source)
    name = request.node.callspec.params["lesson"]
    axe_report(name, violations)
    for where, what in (("widget", "inside nnlab widgets"), ("output", "in lesson output")):
        ours = [f"{v['id']} ({v['impact']}): {v['help']}\n    {n['target']}\n    {n['html']}\n"
                f"    {n['summary']}"
                for v in violations for n in v["nodes"] if n["where"] == where]
        assert not ours, f"{len(ours)} axe violation(s) {what}:\n" + "\n".join(ours)


# ---------------------------------------------------------------- the keyboard walk
ACTIVE = """root => {
    const a = document.activeElement;
    return {inside: root.contains(a), index: [...root.querySelectorAll('*')].indexOf(a),
            tag: a.tagName, cls: String(a.className).slice(0, 80)};
}"""

#: JS: the widget's Tab stops in document order (visible, enabled, tabindex >= 0).
TAB_STOPS = """root => [...root.querySelectorAll('*')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.offsetParent !== null
                 && getComputedStyle(e).visibility !== 'hidden'
                 && (e.matches('a[href], button, input, select, textarea, [tabindex]')
                     || e.isContentEditable))
    .map(e => [...root.querySelectorAll('*')].indexOf(e))"""


def focus_nth(widget, index):
    widget.evaluate("(root, i) => root.querySelectorAll('*')[i].focus()", index)


def walk(widget, first, key, limit):
    """Press `key` from element `first` until the focus leaves the widget; the indices seen."""
    page = widget.page
    focus_nth(widget, first)
    seen = [first]
    for _ in range(limit):
        page.keyboard.press(key)
        active = widget.evaluate(ACTIVE)
        if not active["inside"]:
            return seen, True
        assert active["index"] != seen[-1], (
            f"{key} did not move the focus from {active['tag']}.{active['cls']}: a keyboard trap")
        seen.append(active["index"])
    return seen, False


def check_tab_walk(widget, kind):
    stops = widget.evaluate(TAB_STOPS)
    assert stops, f"{kind}: no control can be reached with the keyboard"
    # readouts (editable texts) are Tab stops too, though not counted in `stops`
    limit = 3 * len(stops) + 10
    seen, left = walk(widget, stops[0], "Tab", limit)
    assert left, f"{kind}: Tab did not leave the widget after {limit} presses"
    missed = set(stops) - set(seen)
    assert not missed, f"{kind}: Tab never reached {len(missed)} of its {len(stops)} controls"
    seen, left = walk(widget, stops[-1], "Shift+Tab", limit)
    assert left, f"{kind}: Shift+Tab did not leave the widget"


def check_canvases(widget, kind):
    """The browser-drawn figures (nnlab.widgets.canvas): a picture is an image with a name and
    no Tab stop; a canvas that takes keys (role application) lets Tab and Shift+Tab go."""
    canvases = widget.locator(".nnlab-canvas canvas")
    for i in range(canvases.count()):
        canvas = canvases.nth(i)
        if not canvas.is_visible():
            continue
        role = canvas.get_attribute("role")
        assert role in ("img", "application"), f"{kind}: a canvas has role {role!r}"
        assert (canvas.get_attribute("aria-label") or "").strip(), f"{kind}: an unnamed canvas"
        described = (canvas.get_attribute("aria-describedby") or "").split()
        assert any(widget.locator(f"#{id_}[aria-live=polite]").count() == 1 for id_ in described), (
            f"{kind}: a canvas is not described by the widget's live region (its text twin)")
        if role == "img":
            assert canvas.evaluate("c => c.tabIndex") < 0, f"{kind}: a picture is a Tab stop"
            continue
        for key in ("Tab", "Shift+Tab"):
            canvas.focus()
            widget.page.keyboard.press(key)
            assert not canvas.evaluate("c => document.activeElement === c"), (
                f"{kind}: {key} did not leave a focused canvas (keyboard trap)")


def check_figures_let_tab_go(widget, kind):
    check_canvases(widget, kind)
    figures = widget.locator(".jupyter-matplotlib-canvas-div")
    for i in range(figures.count()):
        figure = figures.nth(i)
        if not figure.is_visible():
            continue                      # e.g. in a closed tab of the DescentExplorer
        assert figure.get_attribute("tabindex") == "-1", f"{kind}: a figure is a Tab stop"
        assert figure.get_attribute("role") == "img" and figure.get_attribute("aria-label")
        described = figure.get_attribute("aria-describedby")
        twin = widget.locator(f"#{described}")
        assert twin.count() == 1 and twin.get_attribute("aria-live") == "polite", (
            f"{kind}: the figure is not described by a live region")
        for key in ("Tab", "Shift+Tab", "Escape"):
            figure.focus()                # as a click would (ipympl focuses it on mousedown)
            widget.page.keyboard.press(key)
            assert not figure.evaluate("f => document.activeElement === f"), (
                f"{kind}: {key} did not leave a focused figure (keyboard trap)")


def twin_text(widget):
    twin = widget.locator(".nnlab-text-twin [aria-live]")
    return twin.first.inner_text() if twin.count() else None


def wait_for(page, predicate, timeout=KERNEL_LAG):
    waited = 0
    while waited <= timeout:
        if predicate():
            return True
        page.wait_for_timeout(100)
        waited += 100
    return False


def value(handle):
    """A slider's value as its readout shows it (a log slider's aria-valuenow is the exponent,
    rounded to one decimal)."""
    return handle.evaluate("h => h.closest('.widget-slider').querySelector('.widget-readout')"
                           ".textContent.trim()")


def check_sliders(widget, kind):
    """Every visible slider has a name and moves with the arrow keys (then moves back); the
    text twin follows at least one of them."""
    page = widget.page
    handles = widget.locator(".noUi-handle")
    twin_followed = twin_text(widget) is None or kind in NOT_DESCRIBED_BY_SLIDERS
    for i in range(handles.count()):
        handle = handles.nth(i)
        if not handle.is_visible():
            continue
        name = handle.evaluate(
            "h => { const id = h.getAttribute('aria-labelledby');"
            " const l = id && document.getElementById(id); return l ? l.textContent.trim() : ''; }")
        assert name, f"{kind}: slider {i} has no accessible name"
        before = value(handle)
        twin = twin_text(widget)
        handle.focus()
        for key, back in (("ArrowRight", "ArrowLeft"), ("ArrowLeft", "ArrowRight")):  # noqa: B007
            page.keyboard.press(key)
            if value(handle) != before:
                break
        else:
            raise AssertionError(f"{kind}: slider {name!r} did not move with the arrow keys")
        assert handle.evaluate("h => document.activeElement === h"), (
            f"{kind}: the focus left slider {name!r} when it moved")
        if not twin_followed:
            twin_followed = wait_for(page, lambda t=twin: twin_text(widget) != t, 5_000)
        lesson_idle(widget)
        page.keyboard.press(back)         # leave the lesson as it was
        assert wait_for(page, lambda h=handle, b=before: value(h) == b, 2_000), (
            f"{kind}: slider {name!r} did not move back")
        lesson_idle(widget)
    assert twin_followed, f"{kind}: the text twin did not change when its sliders moved"


#: Widgets whose sliders are settings for the next step or the next training: their figure,
#: and so its text twin, need not change when those move.
NOT_DESCRIBED_BY_SLIDERS = {"nnlab-playground", "nnlab-backprop-stepper",
                            "nnlab-learning-curves", "nnlab-digit-pad"}


def check_dropdowns(widget, kind):
    page = widget.page
    selects = widget.locator("select")
    for i in range(selects.count()):
        select = selects.nth(i)
        if not select.is_visible() or select.is_disabled():
            continue
        n = select.evaluate("s => s.options.length")
        if n < 2:
            continue
        before = select.evaluate("s => s.selectedIndex")
        key, back = ("ArrowDown", "ArrowUp") if before < n - 1 else ("ArrowUp", "ArrowDown")
        select.focus()
        page.keyboard.press(key)
        assert select.evaluate("s => document.activeElement === s"), (
            f"{kind}: {key} on dropdown {i} moved the focus away (JupyterLab took the key)")
        index = select.evaluate("s => s.selectedIndex")
        assert index != before, f"{kind}: {key} did not change dropdown {i}"
        lesson_idle(widget)
        select.focus()                    # a new dropdown may have replaced the focus
        page.keyboard.press(back)         # leave the lesson as it was
        lesson_idle(widget)


def check_tab_bars(widget, kind):
    """A tabbed widget (ipywidgets.Tab): ArrowRight then Enter opens the next tab, and back."""
    page = widget.page
    bars = widget.locator(".lm-TabBar")
    for i in range(bars.count()):
        bar = bars.nth(i)
        current = bar.locator(".lm-TabBar-tab.lm-mod-current")
        if bar.locator(".lm-TabBar-tab").count() < 2 or not current.is_visible():
            continue
        before = current.inner_text()
        current.focus()
        for key in ("ArrowRight", "Enter"):
            page.keyboard.press(key)
        after = bar.locator(".lm-TabBar-tab.lm-mod-current").inner_text()
        assert after != before, f"{kind}: ArrowRight and Enter did not open the next tab"
        for key in ("ArrowLeft", "Enter"):
            page.keyboard.press(key)
        assert bar.locator(".lm-TabBar-tab.lm-mod-current").inner_text() == before
        lesson_idle(widget)


def check_toggles(widget, kind):
    """Toggle buttons switch with Space, and switch back; in a group of toggle buttons
    (ipywidgets.ToggleButtons) Space picks another option, then the first one again."""
    page = widget.page

    def active(button):
        return "mod-active" in (button.get_attribute("class") or "")

    def press(button):
        button.focus()
        page.keyboard.press("Space")

    toggles = widget.locator("button.widget-toggle-button")
    for i in range(toggles.count()):
        toggle = toggles.nth(i)
        if (not toggle.is_visible() or toggle.is_disabled()
                or toggle.evaluate("b => !!b.closest('.widget-toggle-buttons')")):
            continue
        pressed = active(toggle)
        press(toggle)
        assert wait_for(page, lambda t=toggle, p=pressed: active(t) != p, 5_000), (
            f"{kind}: Space did not switch toggle {toggle.inner_text()!r}")
        lesson_idle(widget)
        press(toggle)
        lesson_idle(widget)
    groups = widget.locator(".widget-toggle-buttons")
    for i in range(groups.count()):
        buttons = groups.nth(i).locator("button")
        states = [active(buttons.nth(j)) for j in range(buttons.count())]
        if buttons.count() < 2 or True not in states or not buttons.first.is_visible():
            continue
        first, other = states.index(True), states.index(False)
        option = buttons.nth(other)
        press(option)
        assert wait_for(page, lambda b=option: active(b), 5_000), (
            f"{kind}: Space did not pick {option.inner_text()!r}")
        lesson_idle(widget)
        press(buttons.nth(first))
        lesson_idle(widget)


def lesson_idle(widget):
    """Let the kernel answer the last change before the next one, as a student waits to see
    what a key did."""
    page = widget.page
    page.wait_for_timeout(150)
    page.wait_for_function(
        """() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                   return k && k.status === 'idle'; }""", timeout=KERNEL_LAG, polling=50)


#: JS: what of a widget lies past the right edge of its cell output, and which labels, buttons
#: and tabs show less than their text.
LAYOUT = """el => {
    const output = el.closest('.jp-OutputArea-output').getBoundingClientRect();
    const shown = e => e.offsetParent !== null;
    const name = e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 40);
    return {
        past: [...el.querySelectorAll('.jupyter-matplotlib-canvas-div, .nnlab-canvas, '
                                       + '.widget-inline-hbox, '
                                       + 'button, select, .lm-TabBar')]
              .filter(e => shown(e) && e.getBoundingClientRect().right > output.right + 1)
              .map(e => name(e) + ': ' + Math.round(e.getBoundingClientRect().right
                                                    - output.right) + ' px too far'),
        cut: [...el.querySelectorAll('.widget-label, button, .lm-TabBar-tabLabel')]
             .filter(e => shown(e) && e.scrollWidth > e.clientWidth + 1).map(name),
    };
}"""


def test_widgets_fit_1366_by_768_with_the_file_browser_open(lesson):
    page = lesson.page
    widgets = lesson.widgets()
    if not widgets:
        return
    size = page.viewport_size
    page.set_viewport_size({"width": 1366, "height": 768})
    try:
        page.evaluate("() => window.jupyterapp.shell.expandLeft()")   # the file browser
        page.wait_for_timeout(500)
        problems = []
        for widget in widgets:
            found = widget.evaluate(LAYOUT)
            kind = widget.evaluate("el => el.className")
            problems += [f"{kind}: {p}" for p in found["past"]]
            problems += [f"{kind}: label cut off: {p}" for p in found["cut"]]
        assert not problems, "\n".join(problems)
    finally:
        page.set_viewport_size(size)


#: Widgets the walk does not operate yet, with the reason (none now). The Playground used to be
#: listed: its callbacks raised under the keyboard because ipympl drew frames on the kernel's
#: comm subshell thread while a callback rebuilt the diagram; widgets now hold `Widget.lock`
#: while changing and while drawing (tests/widgets/test_playground.py has the plain-Python cases).
NOT_OPERATED = {}


def test_keyboard_walk_through_every_nnlab_widget(lesson):
    widgets = lesson.widgets()
    errors_before = len(lesson.callback_errors())
    not_operated = []
    for widget in widgets:
        classes = widget.evaluate("el => [...el.classList]")
        kind = next((c for c in classes if c not in ("nnlab-widget", "lm-Widget")
                     and c.startswith("nnlab-")), "nnlab-widget")
        widget.scroll_into_view_if_needed()
        check_tab_walk(widget, kind)
        check_figures_let_tab_go(widget, kind)
        if kind in NOT_OPERATED:
            not_operated.append(f"{kind}: {NOT_OPERATED[kind]}")
            continue
        check_sliders(widget, kind)
        check_dropdowns(widget, kind)
        check_toggles(widget, kind)
        check_tab_bars(widget, kind)
        lesson.wait_idle()
    errors = lesson.callback_errors()[errors_before:]
    assert not errors, "errors from widget callbacks during the walk:\n" + "\n".join(errors)
    if not_operated:
        pytest.xfail("not operated from the keyboard: " + "; ".join(sorted(set(not_operated))))
