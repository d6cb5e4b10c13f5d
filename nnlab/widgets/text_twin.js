// The text twin of an nnlab widget's figure, and the accessibility fixes the widget around it
// needs in JupyterLab. Loaded by anywidget (see accessibility.py); plain ES module, no build step.
//
// The twin is a live region (role=status, aria-live=polite) showing `text`, the widget's
// describe(). Once the twin sits inside its widget (the element with class `nnlab-widget`), it
// makes that widget usable from the keyboard and with a screen reader:
//   - each nnlab Canvas (canvas.js, which names itself) is described by the twin;
//   - each ipympl figure: not a Tab stop (tabindex -1), role=img, named by `label` and described
//     by the twin; Tab, Shift+Tab and Escape leave it (ipympl's key handler cancels every key,
//     which traps keyboard users once a click has focused the figure);
//   - each slider handle (role=slider) is named by the slider's visible description;
//   - each button without text (Play's icons) is named by its tooltip or its icon;
//   - each slider's readout (an editable text) is a named textbox;
//   - dropdowns, slider handles, buttons and tabs keep their keys: JupyterLab's notebook would
//     take ArrowUp/ArrowDown to move between cells and Enter to edit the cell instead of
//     pressing the button (Lumino skips elements marked data-lm-suppress-shortcuts).
// The Tab/Escape pass is installed once for the whole page, so that plain matplotlib figures
// shown with ipympl in the same notebook stop trapping the keyboard too.
// The widget's DOM is built bit by bit (children render asynchronously), so the fixes run again
// whenever it changes.

const ICON_NAMES = { play: "play", pause: "pause", stop: "stop", retweet: "repeat",
                     repeat: "repeat", "step-forward": "next", "step-backward": "back",
                     undo: "reset", refresh: "reset" };
let counter = 0;

function uid(prefix) {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

function iconName(button) {
  const icon = button.querySelector("i");
  if (!icon) return "";
  for (const cls of icon.classList) {
    if (cls.startsWith("fa-") && ICON_NAMES[cls.slice(3)]) return ICON_NAMES[cls.slice(3)];
  }
  return "";
}

function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function fix(root, twin, model) {
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const label = slider.querySelector(".widget-label");
    const handle = slider.querySelector(".noUi-handle");
    if (!handle) continue;
    if (label && label.textContent.trim()) {
      if (!label.id) label.id = uid("nnlab-label");
      setAttr(handle, "aria-labelledby", label.id);
    }
    setAttr(handle, "data-lm-suppress-shortcuts", "true");
    // say the value as the readout shows it ("-0.5", not noUiSlider's "-0.49999999999999956")
    const readout = slider.querySelector(".widget-readout");
    if (readout && readout.textContent.trim()) {
      setAttr(handle, "aria-valuetext", readout.textContent.trim());
    }
    if (readout && label && label.textContent.trim()) {
      setAttr(readout, "role", "textbox");
      setAttr(readout, "aria-label", `${label.textContent.trim()} (type a value)`);
    }
  }
  for (const el of root.querySelectorAll("select, button, .lm-TabBar-tab")) {
    setAttr(el, "data-lm-suppress-shortcuts", "true");
  }
  for (const button of root.querySelectorAll("button")) {
    if (button.textContent.trim()) continue;
    const name = button.getAttribute("title") || iconName(button);
    if (name) setAttr(button, "aria-label", name);
  }
  const label = model.get("label");
  for (const figure of root.querySelectorAll(".jupyter-matplotlib-canvas-div")) {
    setAttr(figure, "tabindex", model.get("figure_focusable") ? "0" : "-1");
    setAttr(figure, "role", "img");
    setAttr(figure, "aria-label", label);
    setAttr(figure, "aria-describedby", twin.id);
  }
  // nnlab's Canvas names itself (role=img or application, aria-label); the twin describes it
  for (const canvas of root.querySelectorAll(".nnlab-canvas canvas")) {
    const ids = (canvas.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!ids.includes(twin.id)) setAttr(canvas, "aria-describedby", [...ids, twin.id].join(" "));
  }
}

// Capture phase on the document: runs before ipympl's handler on the figure, which then never
// sees these keys, so the browser moves the focus as usual.
function passKeys(event) {
  const figure = event.target.closest && event.target.closest(".jupyter-matplotlib-canvas-div");
  if (!figure) return;
  if (event.key === "Tab") {
    event.stopPropagation();
  } else if (event.key === "Escape") {
    event.stopPropagation();
    event.preventDefault();
    const cell = figure.closest(".jp-Cell");
    const target = cell && cell.closest(".jp-Notebook");
    figure.blur();
    if (target) target.focus();
  }
}

function render({ model, el }) {
  el.classList.add("nnlab-text-twin");
  const twin = document.createElement("p");
  twin.id = uid("nnlab-twin");
  twin.className = "nnlab-text-twin-text";
  twin.setAttribute("role", "status");
  twin.setAttribute("aria-live", "polite");
  twin.textContent = model.get("text");
  el.appendChild(twin);
  const onText = () => { twin.textContent = model.get("text"); };
  model.on("change:text", onText);

  let root = null;
  let observer = null;
  let scheduled = false;
  let timer = null;
  const refresh = () => {
    scheduled = false;
    if (root) fix(root, twin, model);
  };
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(refresh);
    }
  };
  const attach = (tries) => {
    root = el.closest(".nnlab-widget");
    if (!root) {
      if (tries > 0) timer = setTimeout(() => attach(tries - 1), 50);
      return;
    }
    fix(root, twin, model);
    if (!window.__nnlabPassKeys) {
      window.__nnlabPassKeys = true;
      document.addEventListener("keydown", passKeys, true);
    }
    observer = new MutationObserver(schedule);
    observer.observe(root, { childList: true, subtree: true, characterData: true,
                             attributes: true, attributeFilter: ["aria-valuetext"] });
  };
  attach(400);
  model.on("change:label", schedule);
  model.on("change:figure_focusable", schedule);

  return () => {
    clearTimeout(timer);
    model.off("change:text", onText);
    model.off("change:label", schedule);
    model.off("change:figure_focusable", schedule);
    if (observer) observer.disconnect();
  };
}

export default { render };
