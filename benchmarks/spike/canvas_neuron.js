// Prototype (1) of issue #28: the NeuronExplorer's picture on a <canvas>, drawn from numbers
// the kernel computes (nnlab). No maths here beyond mapping values to pixels.
const SIZE = 300;           // CSS pixels of the square plot
const SLIDERS = [["w1", "weight w1"], ["w2", "weight w2"], ["b", "bias b"]];

function bytesOf(value) {
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value || []);
}

function render({ model, el }) {
  const root = document.createElement("div");
  const css = model.get("css_class");
  if (css) root.classList.add(css);
  el.appendChild(root);

  if (model.get("native_sliders")) {
    const controls = document.createElement("div");
    for (const [name, text] of SLIDERS) {
      const row = document.createElement("div");
      const label = document.createElement("label");
      // JupyterLab takes the arrow keys unless the input itself carries this attribute
      const input = document.createElement("input");
      const readout = document.createElement("output");
      input.setAttribute("data-lm-suppress-shortcuts", "true");
      input.type = "range"; input.min = "-3"; input.max = "3"; input.step = "0.1";
      input.value = String(model.get(name));
      input.id = `nnlab-spike-${name}-${Math.random().toString(36).slice(2)}`;
      label.htmlFor = input.id; label.textContent = text + " ";
      readout.htmlFor = input.id; readout.textContent = Number(input.value).toFixed(1);
      input.addEventListener("input", () => {
        readout.textContent = Number(input.value).toFixed(1);
        model.set(name, Number(input.value));
        model.save_changes();
      });
      model.on(`change:${name}`, () => {
        input.value = String(model.get(name));
        readout.textContent = Number(model.get(name)).toFixed(1);
      });
      row.append(label, input, readout);
      controls.appendChild(row);
    }
    root.appendChild(controls);
  }

  const dpr = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = SIZE * dpr; canvas.height = SIZE * dpr;
  canvas.style.width = `${SIZE}px`; canvas.style.height = `${SIZE}px`;
  canvas.setAttribute("role", "img");
  root.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  const cells = document.createElement("canvas");      // the map at one pixel per cell
  const cellsCtx = cells.getContext("2d");

  let scheduled = false;
  function draw() {
    scheduled = false;
    const start = performance.now();
    const n = model.get("grid");
    const [lo, hi] = model.get("limits");
    const values = bytesOf(model.get("map"));
    const palette = bytesOf(model.get("palette"));
    canvas.setAttribute("aria-label", model.get("label"));
    if (cells.width !== n) { cells.width = n; cells.height = n; }
    const image = cellsCtx.createImageData(n, n);
    for (let i = 0; i < n; i++) {             // row i is at x2 = lo + i * step: draw it upside down
      const source = i * n, target = (n - 1 - i) * n;
      for (let j = 0; j < n; j++) {
        const c = values[source + j] * 4, p = (target + j) * 4;
        image.data[p] = palette[c]; image.data[p + 1] = palette[c + 1];
        image.data[p + 2] = palette[c + 2]; image.data[p + 3] = 255;
      }
    }
    cellsCtx.putImageData(image, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, 0, 0, SIZE, SIZE);
    const px = (x) => ((x - lo) / (hi - lo)) * SIZE;
    const py = (y) => SIZE - ((y - lo) / (hi - lo)) * SIZE;
    const line = model.get("line");
    if (line.length === 4) {
      ctx.strokeStyle = "#000000"; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(px(line[0]), py(line[1])); ctx.lineTo(px(line[2]), py(line[3]));
      ctx.stroke();
    }
    ctx.lineWidth = 1.5;
    for (const [x, y] of model.get("inputs")) {
      ctx.beginPath(); ctx.arc(px(x), py(y), 7, 0, 2 * Math.PI);
      ctx.fillStyle = "#ffffff"; ctx.fill(); ctx.strokeStyle = "#000000"; ctx.stroke();
    }
    root.dataset.drawMs = String(performance.now() - start);    // read by the benchmark
  }
  function schedule() {
    root.dataset.received = String(performance.now());          // read by the benchmark
    // map and line arrive in one message: draw once, right after it (painted in the next frame)
    if (!scheduled) { scheduled = true; queueMicrotask(draw); }
  }
  model.on("change:map", schedule);
  model.on("change:line", schedule);
  draw();
}

export default { render };
