// nnlab's Canvas (canvas.py): draws the panels and layers the kernel sends, on a <canvas>.
// The numbers come from the kernel (nnlab); this file only maps them to pixels.
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const TEXT = "#222222";
const DASHES = { solid: [], dashed: [6, 4], dotted: [1.5, 3], dashdot: [6, 3, 1.5, 3] };

function bytes(value) {
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(value || []);
}

function floats(value) {
  if (Array.isArray(value)) return Float32Array.from(value);
  const raw = bytes(value);
  return new Float32Array(raw.slice().buffer);      // a copy: float32 needs 4-byte alignment
}

function pick(value, i) {
  return Array.isArray(value) ? value[i] : value;
}

function transform(spec) {
  const [x0, x1] = spec.xlim, [y0, y1] = spec.ylim;
  const lin = (v, a, b) => (v - a) / (b - a);
  const log = (v, a, b) => (Math.log10(v) - Math.log10(a)) / (Math.log10(b) - Math.log10(a));
  const fx = spec.xscale === "log" ? log : lin, fy = spec.yscale === "log" ? log : lin;
  return {
    px: (x) => spec.left + fx(x, x0, x1) * spec.width,
    py: (y) => spec.top + spec.height - fy(y, y0, y1) * spec.height,
    fromPixel(u, v) {
      const tx = (u - spec.left) / spec.width, ty = (spec.top + spec.height - v) / spec.height;
      const inv = (t, a, b, scale) => scale === "log"
        ? 10 ** (Math.log10(a) + t * (Math.log10(b) - Math.log10(a))) : a + t * (b - a);
      return [inv(tx, x0, x1, spec.xscale), inv(ty, y0, y1, spec.yscale)];
    },
  };
}

function marker(ctx, shape, x, y, size) {
  const r = size / 2;
  ctx.beginPath();
  if (shape === "s") ctx.rect(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
  else if (shape === "^") { ctx.moveTo(x, y - r * 1.1); ctx.lineTo(x + r, y + r * 0.8); ctx.lineTo(x - r, y + r * 0.8); ctx.closePath(); }
  else if (shape === "v") { ctx.moveTo(x, y + r * 1.1); ctx.lineTo(x + r, y - r * 0.8); ctx.lineTo(x - r, y - r * 0.8); ctx.closePath(); }
  else if (shape === "D") { ctx.moveTo(x, y - r * 1.1); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.1); ctx.lineTo(x - r, y); ctx.closePath(); }
  else ctx.arc(x, y, r, 0, 2 * Math.PI);
}

function tickText(v) {
  if (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)) return v.toExponential(0);
  return String(Math.round(v * 1e6) / 1e6);
}

const DRAW = {
  image(ctx, layer, t, palettes, cache) {
    const rows = layer.rows, cols = layer.cols;
    const values = bytes(layer.bytes), palette = bytes(palettes[layer.palette]);
    let off = cache.canvas;
    if (!off) { off = cache.canvas = document.createElement("canvas"); }
    if (off.width !== cols || off.height !== rows) { off.width = cols; off.height = rows; }
    const octx = off.getContext("2d");
    const image = octx.createImageData(cols, rows);
    const data = image.data;
    for (let i = 0; i < rows; i++) {            // row 0 is at the bottom: draw it upside down
      const source = i * cols, target = (rows - 1 - i) * cols;
      for (let j = 0; j < cols; j++) {
        const c = values[source + j] * 4, p = (target + j) * 4;
        data[p] = palette[c]; data[p + 1] = palette[c + 1]; data[p + 2] = palette[c + 2];
        data[p + 3] = palette[c + 3];
      }
    }
    octx.putImageData(image, 0, 0);
    const [x0, x1, y0, y1] = layer.extent;
    const left = t.px(x0), right = t.px(x1), top = t.py(y1), bottom = t.py(y0);
    ctx.imageSmoothingEnabled = !!layer.smooth;
    ctx.drawImage(off, left, top, right - left, bottom - top);
  },
  line(ctx, layer, t) {
    const xs = floats(layer.x), ys = floats(layer.y);
    ctx.save();
    ctx.globalAlpha = layer.alpha;
    ctx.strokeStyle = layer.color; ctx.lineWidth = layer.width;
    ctx.lineJoin = "round"; ctx.setLineDash(DASHES[layer.dash] || []);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) { pen = false; continue; }
      const x = t.px(xs[i]), y = t.py(ys[i]);
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (layer.marker) {
      ctx.fillStyle = layer.color;
      for (let i = 0; i < xs.length; i++) {
        if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
        marker(ctx, layer.marker, t.px(xs[i]), t.py(ys[i]), layer.size);
        ctx.fill();
      }
    }
    ctx.restore();
  },
  points(ctx, layer, t) {
    const xs = floats(layer.x), ys = floats(layer.y);
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
      const x = t.px(xs[i]), y = t.py(ys[i]), size = pick(layer.size, i);
      const shape = pick(layer.shape, i), edge = pick(layer.edge, i), ring = pick(layer.ring, i);
      if (ring) {
        ctx.lineWidth = 2.5; ctx.strokeStyle = ring;
        marker(ctx, "o", x, y, size + 9); ctx.stroke();
      }
      marker(ctx, shape, x, y, size);
      ctx.fillStyle = pick(layer.fill, i); ctx.fill();
      if (edge) { ctx.lineWidth = layer.width; ctx.strokeStyle = edge; ctx.stroke(); }
    }
  },
  segments(ctx, layer, t) {
    const x0 = floats(layer.x0), y0 = floats(layer.y0), x1 = floats(layer.x1), y1 = floats(layer.y1);
    ctx.setLineDash(DASHES[layer.dash] || []);
    ctx.lineCap = "round";
    for (let i = 0; i < x0.length; i++) {
      const width = pick(layer.width, i);
      if (!(width > 0)) continue;
      ctx.strokeStyle = pick(layer.color, i); ctx.lineWidth = width;
      ctx.beginPath(); ctx.moveTo(t.px(x0[i]), t.py(y0[i])); ctx.lineTo(t.px(x1[i]), t.py(y1[i]));
      ctx.stroke();
    }
    ctx.setLineDash([]);
  },
  rects(ctx, layer, t) {
    const x0 = floats(layer.x0), y0 = floats(layer.y0), x1 = floats(layer.x1), y1 = floats(layer.y1);
    for (let i = 0; i < x0.length; i++) {
      const left = Math.min(t.px(x0[i]), t.px(x1[i])), top = Math.min(t.py(y0[i]), t.py(y1[i]));
      const w = Math.abs(t.px(x1[i]) - t.px(x0[i])), h = Math.abs(t.py(y1[i]) - t.py(y0[i]));
      const fill = pick(layer.fill, i), edge = pick(layer.edge, i);
      if (fill) { ctx.fillStyle = fill; ctx.fillRect(left, top, w, h); }
      if (edge) { ctx.lineWidth = layer.width; ctx.strokeStyle = edge; ctx.strokeRect(left, top, w, h); }
    }
  },
  legend(ctx, layer, t, palettes, cache, spec) {
    const entries = layer.entries, pad = 6, sample = 26, row = 17;
    ctx.font = `11px ${FONT}`;
    const textWidth = Math.max(0, ...entries.map((e) => ctx.measureText(e.label).width));
    const w = pad * 3 + sample + textWidth, h = pad * 2 + row * entries.length;
    const right = layer.corner.endsWith("right"), upper = layer.corner.startsWith("upper");
    const x = right ? spec.left + spec.width - w - 6 : spec.left + 6;
    const y = upper ? spec.top + 6 : spec.top + spec.height - h - 6;
    ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(x, y, w, h);
    ctx.strokeStyle = "#999999"; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
    entries.forEach((e, i) => {
      const cy = y + pad + row * i + row / 2, x0 = x + pad, x1 = x0 + sample;
      if (e.dash) {
        ctx.strokeStyle = e.color; ctx.lineWidth = e.width; ctx.setLineDash(DASHES[e.dash] || []);
        ctx.beginPath(); ctx.moveTo(x0, cy); ctx.lineTo(x1, cy); ctx.stroke(); ctx.setLineDash([]);
      }
      if (e.marker) {
        marker(ctx, e.marker, (x0 + x1) / 2, cy, 7);
        ctx.fillStyle = e.fill || e.color; ctx.fill();
        ctx.lineWidth = 1; ctx.strokeStyle = "#222222"; ctx.stroke();
      }
      ctx.fillStyle = TEXT; ctx.textAlign = "left"; ctx.textBaseline = "middle";
      ctx.fillText(e.label, x1 + pad, cy);
    });
  },
  texts(ctx, layer, t) {
    const xs = floats(layer.x), ys = floats(layer.y);
    ctx.font = `${layer.weight === "bold" ? "bold " : ""}${layer.size}px ${FONT}`;
    ctx.textAlign = layer.align; ctx.textBaseline = layer.baseline;
    for (let i = 0; i < xs.length; i++) {
      const x = t.px(xs[i]), y = t.py(ys[i]), text = layer.text[i];
      ctx.save();
      ctx.translate(x, y);
      if (layer.angle) ctx.rotate((-layer.angle * Math.PI) / 180);
      if (layer.background) {
        const m = ctx.measureText(text), w = m.width + 6, h = layer.size + 4;
        const dx = layer.align === "left" ? -3 : layer.align === "right" ? -w + 3 : -w / 2;
        const dy = layer.baseline === "top" ? -2 : layer.baseline === "bottom" ? -h + 2 : -h / 2;
        ctx.fillStyle = layer.background; ctx.fillRect(dx, dy, w, h);
      }
      ctx.fillStyle = pick(layer.color, i);
      ctx.fillText(text, 0, 0);
      ctx.restore();
    }
  },
};

function drawFrame(ctx, spec, t) {
  ctx.strokeStyle = "#444444"; ctx.lineWidth = 1; ctx.fillStyle = TEXT;
  ctx.strokeRect(spec.left + 0.5, spec.top + 0.5, spec.width - 1, spec.height - 1);
  ctx.font = `11px ${FONT}`;
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  const bottom = spec.top + spec.height;
  // a tick is a value, or [value, label]
  const tick = (v) => (Array.isArray(v) ? [v[0], String(v[1])] : [v, tickText(v)]);
  for (const [v, text] of spec.xticks.map(tick)) {
    const x = t.px(v);
    if (x < spec.left - 0.5 || x > spec.left + spec.width + 0.5) continue;
    ctx.beginPath(); ctx.moveTo(x, bottom); ctx.lineTo(x, bottom + 4); ctx.stroke();
    ctx.fillText(text, x, bottom + 6);
  }
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const [v, text] of spec.yticks.map(tick)) {
    const y = t.py(v);
    if (y < spec.top - 0.5 || y > bottom + 0.5) continue;
    ctx.beginPath(); ctx.moveTo(spec.left - 4, y); ctx.lineTo(spec.left, y); ctx.stroke();
    ctx.fillText(text, spec.left - 6, y);
  }
  ctx.font = `12px ${FONT}`;
  if (spec.xlabel) {
    ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText(spec.xlabel, spec.left + spec.width / 2, bottom + (spec.xticks.length ? 20 : 6));
  }
  if (spec.ylabel) {
    ctx.save();
    ctx.translate(spec.left - (spec.yticks.length ? 38 : 8), spec.top + spec.height / 2);
    ctx.rotate(-Math.PI / 2); ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    ctx.fillText(spec.ylabel, 0, 0);
    ctx.restore();
  }
}

function drawTitle(ctx, spec) {
  if (!spec.title) return;
  ctx.fillStyle = TEXT; ctx.font = `13px ${FONT}`;
  ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  ctx.fillText(spec.title, spec.left + spec.width / 2, spec.top - 5);
}

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "nnlab-canvas";
  const canvas = document.createElement("canvas");
  const help = document.createElement("span");
  help.id = `nnlab-canvas-help-${Math.random().toString(36).slice(2)}`;
  help.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);";
  root.append(canvas, help);
  el.appendChild(root);
  const ctx = canvas.getContext("2d");
  const caches = {};
  let scheduled = false;

  function size() {
    const dpr = window.devicePixelRatio || 1, w = model.get("width"), h = model.get("height");
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`; canvas.style.height = `${h}px`;
    const focusable = model.get("focusable");
    canvas.setAttribute("role", focusable ? "application" : "img");
    canvas.setAttribute("aria-label", model.get("label"));
    help.textContent = model.get("key_help");
    // described by the key help (when it takes keys) and by whatever else describes it (the
    // widget's text twin adds itself: text_twin.js)
    const others = (canvas.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter((id) => id && id !== help.id);
    const described = focusable ? [help.id, ...others] : others;
    if (described.length) canvas.setAttribute("aria-describedby", described.join(" "));
    else canvas.removeAttribute("aria-describedby");
    if (focusable) {
      canvas.tabIndex = 0;
      // JupyterLab takes the arrow keys unless the focused element itself carries this
      canvas.setAttribute("data-lm-suppress-shortcuts", "true");
    } else {
      canvas.removeAttribute("tabindex");
    }
  }

  function draw() {
    scheduled = false;
    const start = performance.now();
    const scene = model.get("scene") || {};
    const palettes = model.get("palettes");
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, model.get("width"), model.get("height"));
    const geometry = {};
    for (const name of scene.order || []) {
      const panel = scene.panels[name], spec = panel.spec, t = transform(spec);
      geometry[name] = { left: spec.left, top: spec.top, width: spec.width, height: spec.height,
                         xlim: spec.xlim, ylim: spec.ylim, xscale: spec.xscale, yscale: spec.yscale };
      if (spec.background) { ctx.fillStyle = spec.background; ctx.fillRect(spec.left, spec.top, spec.width, spec.height); }
      ctx.save();
      ctx.beginPath(); ctx.rect(spec.left, spec.top, spec.width, spec.height); ctx.clip();
      for (const key of panel.order) {
        const layer = panel.layers[key];
        const cache = caches[`${name}/${key}`] || (caches[`${name}/${key}`] = {});
        ctx.save();
        DRAW[layer.kind](ctx, layer, t, palettes, cache, spec);
        ctx.restore();
      }
      ctx.restore();
      if (spec.frame) drawFrame(ctx, spec, t);
      drawTitle(ctx, spec);
    }
    root.dataset.panels = JSON.stringify(geometry);
    root.dataset.frames = String(scene.frame || 0);
    root.dataset.drawMs = String(performance.now() - start);
    // tell the kernel which frame is on screen, when asked: a widget that plays keeps pace
    // with it (no kernel behind a static HTML export: nothing to tell)
    if (model.get("report_drawn")) {
      try { model.send({ type: "drawn", frame: scene.frame || 0 }); } catch (error) { /* none */ }
    }
  }

  function schedule() {
    root.dataset.received = String(performance.now());
    if (!scheduled) { scheduled = true; queueMicrotask(draw); }
  }

  // pointer: presses, drags (one move per animation frame) and releases, in data coordinates
  let pending = null, dragging = false;
  function pointer(event, kind) {
    const box = canvas.getBoundingClientRect();
    const u = event.clientX - box.left, v = event.clientY - box.top;
    const scene = model.get("scene") || {};
    for (const name of [...(scene.order || [])].reverse()) {
      const spec = scene.panels[name].spec;
      if (u >= spec.left && u <= spec.left + spec.width && v >= spec.top && v <= spec.top + spec.height) {
        const [x, y] = transform(spec).fromPixel(u, v);
        return { type: "pointer", panel: name, x, y, kind, buttons: event.buttons };
      }
    }
    return null;
  }
  canvas.addEventListener("pointerdown", (event) => {
    dragging = true;
    canvas.setPointerCapture(event.pointerId);
    const message = pointer(event, "down");
    if (message) model.send(message);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    const first = pending === null;
    pending = pointer(event, "move");
    if (first) requestAnimationFrame(() => { if (pending) model.send(pending); pending = null; });
  });
  const release = (event) => {
    if (!dragging) return;
    dragging = false;
    const message = pointer(event, "up");
    if (message) model.send(message);
  };
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  canvas.style.touchAction = "none";       // a finger paints instead of scrolling the page
  // the right button is a pointer button here (e.g. the DigitPad's eraser), not a menu
  canvas.addEventListener("contextmenu", (event) => { event.preventDefault(); event.stopPropagation(); });
  canvas.addEventListener("keydown", (event) => {
    if (!model.get("focusable") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Tab" || event.key === "Escape") return;       // never a keyboard trap
    event.preventDefault(); event.stopPropagation();
    model.send({ type: "key", key: event.key });
  });

  size();
  draw();
  model.on("change:scene", schedule);
  model.on("change:width", () => { size(); draw(); });
  model.on("change:height", () => { size(); draw(); });
  model.on("change:label", size);
  model.on("change:focusable", size);
  model.on("change:key_help", size);
}

export default { render };
