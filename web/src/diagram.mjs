// An aggregate's lifecycle as an SVG state diagram, generated from the catalog's states and
// transitions. Layout: a start dot, then the states in catalog order on one row. A transition
// that keeps the state (an update) is listed inside the state's box, as statecharts write internal
// transitions; a move to the next state on the row is a straight arrow, any other move an arc
// (forward above the row, backward below it). Labels are SVG text nodes, so catalog text can never
// become markup. Widths are estimated from character counts, which is enough for event names.
import { svg } from './html.mjs';

const CHAR = 7.4; // px per character of 13px text, a generous estimate
const TITLE_CHAR = 8.6; // px per character of the bold 14px state name
const LINE = 17; // px between stacked labels
const NAME_ROW = 30; // height of the state-name row of a box
const START_R = 7;

export function state_diagram(aggregate) {
  const states = aggregate.states || [];
  const internal = new Map(states.map((s) => [s, []]));
  const edges = new Map();
  for (const t of aggregate.transitions || []) {
    const from = t.from === undefined || t.from === '' ? null : t.from;
    if (from !== null && from === t.to) {
      if (!internal.has(t.to)) internal.set(t.to, []);
      if (!internal.get(t.to).includes(t.event)) internal.get(t.to).push(t.event);
      continue;
    }
    const key = `${from}\u0000${t.to}`;
    if (!edges.has(key)) edges.set(key, { from, to: t.to, events: [] });
    if (!edges.get(key).events.includes(t.event)) edges.get(key).events.push(t.event);
  }

  // Nodes: 0 is the start dot, 1.. the states.
  const nodes = [{ kind: 'start', name: null, w: START_R * 2, h: START_R * 2 }];
  for (const s of states) {
    const inner = internal.get(s) || [];
    const w = Math.max(90, s.length * TITLE_CHAR + 28, ...inner.map((e) => (e.length + 2) * CHAR + 24));
    const h = NAME_ROW + (inner.length ? inner.length * LINE + 10 : 0);
    nodes.push({ kind: 'state', name: s, w, h, inner });
  }
  const index = (name) => (name === null ? 0 : 1 + states.indexOf(name));

  // Horizontal gaps: wide enough for the labels of the straight arrow between two neighbours.
  const gaps = new Array(nodes.length).fill(60);
  for (const e of edges.values()) {
    const a = index(e.from);
    const b = index(e.to);
    if (a < 0 || b < 0) continue;
    if (b === a + 1) gaps[a] = Math.max(gaps[a], Math.max(...e.events.map((x) => x.length * CHAR)) + 36);
  }
  let x = 0;
  for (let i = 0; i < nodes.length; i++) {
    nodes[i].x = x;
    nodes[i].cx = x + nodes[i].w / 2;
    x += nodes[i].w + gaps[i];
  }
  const row_y = NAME_ROW / 2; // the straight arrows' height: the middle of the name row
  nodes[0].y = row_y - START_R;
  for (let i = 1; i < nodes.length; i++) nodes[i].y = 0;

  const shapes = [];
  const labels = [];
  let min_y = -10;
  let max_y = Math.max(...nodes.map((n) => n.y + n.h)) + 10;
  const max_x = x - gaps[nodes.length - 1];

  for (const e of edges.values()) {
    const a = index(e.from);
    const b = index(e.to);
    if (a < 0 || b < 0) continue;
    const na = nodes[a];
    const nb = nodes[b];
    const name = e.events.join(', ');
    if (b === a + 1) {
      const x1 = na.x + na.w;
      const x2 = nb.x;
      shapes.push(edge_path(`M${x1} ${row_y} L${x2} ${row_y}`, arrow_head(x2, row_y, x1, row_y), e, name));
      e.events.forEach((ev, k) => {
        const ly = row_y - 8 - (e.events.length - 1 - k) * LINE;
        labels.push(label((x1 + x2) / 2, ly, ev));
        min_y = Math.min(min_y, ly - LINE);
      });
    } else if (b > a) {
      const span = b - a;
      const x1 = na.cx + 8;
      const x2 = nb.cx - 8;
      const top = Math.min(na.y, nb.y);
      const lift = 46 + 30 * (span - 1);
      const cxp = (x1 + x2) / 2;
      const cyp = top - lift * 2;
      shapes.push(edge_path(`M${x1} ${na.y} Q${cxp} ${cyp} ${x2} ${nb.y}`, arrow_head(x2, nb.y, cxp, cyp), e, name));
      const apex = top - lift;
      e.events.forEach((ev, k) => {
        const ly = apex - 6 - (e.events.length - 1 - k) * LINE;
        labels.push(label(cxp, ly, ev));
        min_y = Math.min(min_y, ly - LINE);
      });
    } else {
      const span = a - b;
      const x1 = na.cx - 8;
      const x2 = nb.cx + 8;
      const bottom = Math.max(na.y + na.h, nb.y + nb.h);
      const drop = 34 + 30 * (span - 1);
      const cxp = (x1 + x2) / 2;
      const cyp = bottom + drop * 2;
      shapes.push(edge_path(`M${x1} ${na.y + na.h} Q${cxp} ${cyp} ${x2} ${nb.y + nb.h}`, arrow_head(x2, nb.y + nb.h, cxp, cyp), e, name));
      const apex = bottom + drop;
      e.events.forEach((ev, k) => {
        const ly = apex + 16 + k * LINE;
        labels.push(label(cxp, ly, ev));
        max_y = Math.max(max_y, ly + 8);
      });
    }
  }

  const node_shapes = nodes.map((n) => {
    if (n.kind === 'start') {
      return svg('g', { class: 'start' }, svg('title', {}, 'start: the aggregate does not exist yet'),
        svg('circle', { cx: n.cx, cy: row_y, r: START_R }));
    }
    return svg('g', { class: 'state', 'data-state': n.name },
      svg('rect', { x: n.x, y: n.y, width: n.w, height: n.h, rx: 9, ry: 9 }),
      svg('text', { x: n.cx, y: n.y + 20, 'text-anchor': 'middle', class: 'state-name' }, n.name),
      n.inner.length ? svg('line', { x1: n.x, y1: n.y + NAME_ROW, x2: n.x + n.w, y2: n.y + NAME_ROW }) : null,
      n.inner.map((ev, k) =>
        svg('text', { x: n.x + 12, y: n.y + NAME_ROW + 17 + k * LINE, class: 'internal', 'data-event': ev }, `↻ ${ev}`)));
  });

  const pad = 12;
  const vx = -pad;
  const vy = min_y - pad;
  const vw = max_x + 2 * pad;
  const vh = max_y - min_y + 2 * pad;
  const title = `${aggregate.name} lifecycle`;
  const desc = (aggregate.transitions || [])
    .map((t) => `${t.from || 'start'} to ${t.to} on ${t.event}`)
    .join('; ');
  return svg(
    'svg',
    {
      class: 'diagram',
      viewBox: `${vx} ${vy} ${vw} ${vh}`,
      width: Math.ceil(vw),
      height: Math.ceil(vh),
      role: 'img',
      'aria-label': `${title}: ${desc}`,
      'data-aggregate': aggregate.name,
    },
    svg('title', {}, title),
    svg('desc', {}, desc),
    ...shapes,
    ...node_shapes,
    ...labels,
  );
}

function edge_path(d, head, edge, name) {
  return svg('g', { class: 'edge', 'data-from': edge.from ?? '', 'data-to': edge.to },
    svg('title', {}, `${edge.from ?? 'start'} → ${edge.to}: ${name}`),
    svg('path', { d }),
    svg('polygon', { points: head }));
}

// A filled arrow head at (x, y) pointing away from (fx, fy).
function arrow_head(x, y, fx, fy) {
  const len = Math.hypot(x - fx, y - fy) || 1;
  const ux = (x - fx) / len;
  const uy = (y - fy) / len;
  const bx = x - ux * 10;
  const by = y - uy * 10;
  const px = -uy * 4.5;
  const py = ux * 4.5;
  const f = (n) => n.toFixed(1);
  return `${f(x)},${f(y)} ${f(bx + px)},${f(by + py)} ${f(bx - px)},${f(by - py)}`;
}

function label(x, y, text) {
  return svg('text', { x, y, 'text-anchor': 'middle', class: 'edge-label', 'data-event': text }, text);
}
