// TraceLog web viewer: the time axis of a trace page, shared by the waterfall and the flow-event timeline. One
// unit for the whole axis (µs, ms, s, min or h, chosen from the span shown), times counted from the trace's
// first record. Zoom (buttons, ctrl+wheel, or dragging a range on the axis or the minimap), pan (buttons,
// shift+wheel, or dragging the minimap's window) and a minimap of every row.
"use strict";

// The span shown, in microseconds from the trace start: TL.trace.view = { from, to }.
TL.resetView = function () {
  TL.setView(0, TL.trace.t1 - TL.trace.t0);
};

TL.setView = function (from, to) {
  const total = TL.trace.t1 - TL.trace.t0;
  const minimum = Math.min(total, 10);  // 10 µs: deeper zoom shows nothing more
  let span = Math.max(to - from, minimum);
  span = Math.min(span, total);
  from = Math.max(0, Math.min(from, total - span));
  TL.trace.view = { from, to: from + span };
  TL.layoutBars();
};

TL.zoom = function (factor, center) {
  const { from, to } = TL.trace.view;
  const middle = center === undefined ? (from + to) / 2 : center;
  TL.setView(middle - (middle - from) * factor, middle + (to - middle) * factor);
};

TL.pan = function (fraction) {
  const { from, to } = TL.trace.view;
  const shift = (to - from) * fraction;
  TL.setView(from + shift, to + shift);
};

// Places every bar, mark and label for the current view, redraws the axis, the grid and the minimap window.
TL.layoutBars = function () {
  const trace = TL.trace;
  const { from, to } = trace.view;
  const span = to - from;
  const unit = TL.unitFor(span);
  const { ticks, step } = TL.ticks(from, to, unit, 8);
  trace.unit = unit;
  trace.step = step;
  const percent = (micros) => ((micros - trace.t0 - from) / span * 100).toFixed(4) + "%";
  for (const node of trace.nodes) {
    const lane = node.row.lastChild;
    const mark = lane.querySelector(".mark");
    if (mark) mark.style.left = percent(node.start);
    const bars = lane.querySelectorAll(".bar");
    node.segments.forEach((segment, i) => {
      bars[i].style.left = percent(segment.start);
      bars[i].style.width = ((segment.end - segment.start) / span * 100).toFixed(4) + "%";
    });
    const label = lane.querySelector(".bar-label");
    if (label) {
      label.style.left = percent(node.end);
      label.textContent = TL.inUnit(node.end - node.start, unit, step / 10);
    }
  }
  const axis = TL.$("axis");
  const grid = TL.$("grid");
  axis.replaceChildren();
  grid.replaceChildren();
  for (const tick of ticks) {
    const left = ((tick - from) / span * 100).toFixed(4) + "%";
    const label = TL.el("span", "tick", TL.inUnit(tick, unit, step));
    label.style.left = left;
    axis.append(label);
    const line = TL.el("div", "grid-line");
    line.style.left = left;
    grid.append(line);
  }
  TL.$("axis-unit").textContent = `time since the trace started, in ${unit.name}`;
  TL.$("view-range").textContent = span >= trace.t1 - trace.t0
    ? `whole trace: ${TL.inUnit(trace.t1 - trace.t0, unit, step / 10)}`
    : `${TL.inUnit(from, unit, step / 10)} – ${TL.inUnit(to, unit, step / 10)} of ${TL.inUnit(trace.t1 - trace.t0, unit, step / 10)}`;
  TL.layoutFlowEvents();
  TL.drawMinimap();
};

// The minimap: every visible row as a thin line over the whole trace, and a window over the span shown.
TL.drawMinimap = function () {
  const trace = TL.trace;
  if (!trace || !trace.view) return;
  const canvas = TL.$("minimap-canvas");
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 48;
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, width, height);
  const visible = trace.nodes.filter((n) => !n.row.classList.contains("hidden") && !n.cycleBack);
  const total = trace.t1 - trace.t0;
  const rowHeight = Math.max(height / Math.max(visible.length, 1), 0.5);
  const colours = getComputedStyle(document.documentElement);
  visible.forEach((node, i) => {
    const y = i * height / Math.max(visible.length, 1);
    const failed = node.row.classList.contains("failed");
    context.fillStyle = colours.getPropertyValue(failed ? "--terminal" : node.segments.length ? "--success" : "--muted").trim() || "#888";
    const x = (node.start - trace.t0) / total * width;
    const w = Math.max((node.end - node.start) / total * width, 1);
    context.fillRect(x, y, w, Math.max(rowHeight - 0.5, 0.5));
  });
  const windowBox = TL.$("minimap-window");
  windowBox.style.left = (trace.view.from / total * 100).toFixed(4) + "%";
  windowBox.style.width = ((trace.view.to - trace.view.from) / total * 100).toFixed(4) + "%";
};

// Dragging across `element` selects a span: `toTime(fraction)` turns a position into microseconds. A click
// without a drag calls `onClick` with the time clicked.
function dragRange(element, toTime, onClick) {
  let start = null;
  const selection = TL.el("div", "drag-selection hidden");
  element.append(selection);
  const fraction = (event) => {
    const box = element.getBoundingClientRect();
    return Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
  };
  element.addEventListener("mousedown", (event) => {
    if (!TL.trace || event.button !== 0) return;
    event.preventDefault();
    start = fraction(event);
  });
  window.addEventListener("mousemove", (event) => {
    if (start === null) return;
    const now = fraction(event);
    selection.classList.remove("hidden");
    selection.style.left = (Math.min(start, now) * 100) + "%";
    selection.style.width = (Math.abs(now - start) * 100) + "%";
  });
  window.addEventListener("mouseup", (event) => {
    if (start === null) return;
    const end = fraction(event);
    selection.classList.add("hidden");
    const [a, b] = [Math.min(start, end), Math.max(start, end)];
    start = null;
    if (b - a < 0.005) { onClick(toTime(a)); return; }
    TL.setView(toTime(a), toTime(b));
  });
}

TL.initTimeline = function () {
  TL.$("zoom-in").addEventListener("click", () => TL.zoom(0.5));
  TL.$("zoom-out").addEventListener("click", () => TL.zoom(2));
  TL.$("zoom-reset").addEventListener("click", () => TL.resetView());
  TL.$("pan-left").addEventListener("click", () => TL.pan(-0.25));
  TL.$("pan-right").addEventListener("click", () => TL.pan(0.25));
  // The minimap spans the whole trace; the axis spans the view.
  dragRange(TL.$("minimap"), (f) => f * (TL.trace.t1 - TL.trace.t0), (time) => {
    const { from, to } = TL.trace.view;
    TL.setView(time - (to - from) / 2, time + (to - from) / 2);
  });
  dragRange(TL.$("axis"), (f) => TL.trace.view.from + f * (TL.trace.view.to - TL.trace.view.from), () => {});
  TL.$("waterfall-rows").addEventListener("wheel", (event) => {
    if (!TL.trace || !(event.ctrlKey || event.metaKey || event.shiftKey)) return;
    const lane = event.target.closest(".row-lane");
    if (!lane) return;
    event.preventDefault();
    if (event.shiftKey) { TL.pan((event.deltaY || event.deltaX) > 0 ? 0.1 : -0.1); return; }
    const box = lane.getBoundingClientRect();
    const { from, to } = TL.trace.view;
    const at = from + (event.clientX - box.left) / box.width * (to - from);
    TL.zoom(event.deltaY > 0 ? 1.25 : 0.8, at);
  }, { passive: false });
  window.addEventListener("resize", () => { if (TL.trace && TL.trace.view) TL.drawMinimap(); });
};
