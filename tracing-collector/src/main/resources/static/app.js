'use strict';
// The collector's web view: plain JS against the REST API, refreshed every two seconds.

const LANE_ORDER = ['order-service', 'inventory-service', 'payment-service', 'shipping-service',
  'notification-service', 'tracing-collector'];
const NS = 'http://www.w3.org/2000/svg';
let selected = new URLSearchParams(location.search).get('process');
/** The answer to the last action on each process, shown until the next one. */
const actionResults = new Map();

const el = (tag, attrs = {}, text) => {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
};
const svgEl = (tag, attrs = {}, text) => {
  const node = document.createElementNS(NS, tag);
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
};
// The operator's credentials live in this tab's sessionStorage and travel in an Authorization header this page
// sets itself. The browser never holds them as a cookie or as remembered Basic credentials (the collector sends no
// Basic challenge to browsers), so a request another site makes the browser send carries none.
const AUTHORIZATION = 'choreo-authorization';
const api = async (url, options = {}) => {
  const headers = {...(options.headers || {})};
  const authorization = sessionStorage.getItem(AUTHORIZATION);
  if (authorization) headers.Authorization = authorization;
  const response = await fetch(url, {...options, headers, credentials: 'omit'});
  if (response.status === 401 || response.status === 403) {
    signIn(response.status === 403 ? 'This user is not an operator.' : authorization
      ? 'Those credentials were not accepted.' : '');
    throw new Error(url + ': ' + response.status);
  }
  return response;
};
const getJson = async (url) => {
  const response = await api(url);
  if (!response.ok) throw new Error(url + ': ' + response.status);
  return response.json();
};

function signIn(message) {
  const form = document.getElementById('sign-in');
  document.getElementById('sign-in-message').textContent = message;
  form.hidden = false;
}

document.getElementById('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  const token = form.elements.token.value.trim();
  sessionStorage.setItem(AUTHORIZATION, token ? 'Bearer ' + token
    : 'Basic ' + btoa(form.elements.user.value + ':' + form.elements.password.value));
  form.reset();
  form.hidden = true;
  refresh();
});
const ms = (millis) => millis == null ? '—' : millis < 1000 ? millis + ' ms'
  : millis < 60000 ? (millis / 1000).toFixed(1) + ' s' : Math.round(millis / 60000) + ' min';
const time = (iso) => iso ? new Date(iso).toISOString().substring(11, 23) : '—';

function row(process) {
  const li = el('li', {class: 'process-row', 'data-id': process.correlationId});
  if (process.correlationId === selected) li.classList.add('selected');
  li.append(el('span', {class: 'badge ' + process.outcome}, process.outcome),
    el('span', {class: 'order'}, process.orderId || process.correlationId));
  let why = process.diagnosis ? process.diagnosis.kind.replaceAll('_', ' ').toLowerCase() + ' · suspect '
    + process.diagnosis.suspectService
    : process.waitingFor ? 'waiting for ' + process.waitingFor : process.currentStep || '';
  li.append(el('div', {class: 'why'}, why));
  li.addEventListener('click', () => select(process.correlationId));
  return li;
}

async function refreshLists() {
  const [stuck, failed, recent] = await Promise.all([getJson('processes?status=STUCK&limit=50'),
    getJson('processes?status=FAILED&limit=50'), getJson('processes?limit=30')]);
  const attention = document.getElementById('attention-list');
  attention.replaceChildren(...[...failed, ...stuck].map(row));
  if (!attention.children.length) attention.append(el('li', {class: 'hint'}, 'Nothing stuck.'));
  document.getElementById('recent-list').replaceChildren(...recent.map(row));
  document.getElementById('totals').replaceChildren(el('span', {}, stuck.length + ' stuck'),
    el('span', {}, failed.length + ' failed'), el('span', {}, recent.length + ' recent'));
}

function select(id) {
  selected = id;
  history.replaceState(null, '', '?process=' + encodeURIComponent(id));
  document.querySelectorAll('.process-row').forEach(r => r.classList.toggle('selected', r.dataset.id === id));
  refreshDetail();
}

async function refreshDetail() {
  if (!selected) return;
  const box = document.getElementById('detail');
  let process;
  try {
    process = await getJson('processes/' + encodeURIComponent(selected));
  } catch (e) {
    box.replaceChildren(el('p', {class: 'hint'}, 'Process ' + selected + ' not found on any collector instance.'));
    return;
  }
  const parts = [];
  const title = el('h2', {id: 'detail-title'});
  title.append(el('span', {class: 'badge ' + process.outcome}, process.outcome),
    'Order ' + (process.orderId || '?') + ' ');
  title.append(el('code', {}, process.correlationId));
  parts.push(title);
  parts.push(el('p', {class: 'hint'}, 'started ' + time(process.startedAt) + ' · ' + ms(process.durationMillis)
    + (process.currentStep ? ' · current step ' + process.currentStep : '') + ' · partition ' + process.partition));
  if (process.diagnosis) {
    const d = el('div', {id: 'diagnosis', class: 'diagnosis ' + process.diagnosis.kind});
    d.append(el('div', {class: 'kind'}, process.diagnosis.kind.replaceAll('_', ' ') + ' — suspect: '
      + process.diagnosis.suspectService), el('div', {}, process.diagnosis.summary));
    parts.push(d);
  }
  if (process.evicted) {
    // no longer tracked: nothing awaits it, so there is nothing to re-drive or cancel from here
    const eviction = el('div', {id: 'eviction', class: 'diagnosis eviction'});
    eviction.append(el('div', {class: 'kind'}, 'EVICTED — ' + process.evicted.reason + ' (was '
      + process.evicted.outcomeBefore + ')'), el('div', {}, 'Evicted at ' + time(process.evicted.at)
      + ' to keep the collector\'s memory bounded; its timeline is kept while it stays in the history.'));
    parts.push(eviction);
  }
  if (!['COMPLETED', 'COMPENSATED', 'EVICTED'].includes(process.outcome)) {
    const actions = el('div', {class: 'actions'});
    const redrive = el('button', {id: 'redrive'}, 'Re-drive awaited event');
    const cancel = el('button', {id: 'cancel'}, 'Cancel process');
    // the page re-renders every two seconds: the last action's answer stays until another action
    const result = el('span', {id: 'action-result'}, actionResults.get(process.correlationId) || '');
    redrive.onclick = () => act('redrive', result);
    cancel.onclick = () => act('cancel', result);
    actions.append(redrive, cancel, result);
    parts.push(actions);
  }
  parts.push(el('h3', {}, 'Timeline'), timeline(process));
  parts.push(el('h3', {}, 'Steps'), steps(process));
  box.replaceChildren(...parts);
}

async function act(action, result) {
  const response = await api('processes/' + encodeURIComponent(selected) + '/' + action,
    {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'});
  const body = await response.json();
  result.textContent = response.ok ? action + ': published ' + body.eventType + ' to ' + body.topic + '-'
    + body.partition + '@' + body.offset : (body.detail || body.title);
  actionResults.set(selected, result.textContent);
  setTimeout(refreshDetail, 500);
}

/** Swimlanes per service; events placed by time; arrows from cause to effect. */
function timeline(process) {
  const entries = process.timeline;
  const lanes = [...new Set(entries.map(e => e.producer))]
    .sort((a, b) => (LANE_ORDER.indexOf(a) + 99) % 99 - (LANE_ORDER.indexOf(b) + 99) % 99);
  const laneHeight = 44, left = 150, width = 860;
  const times = entries.map(e => Date.parse(e.occurredAt));
  const t0 = Math.min(...times), span = Math.max(1, Math.max(...times) - t0);
  const fullWidth = left + width + 40, fullHeight = lanes.length * laneHeight + 30;
  const svg = svgEl('svg', {id: 'timeline', viewBox: `0 0 ${fullWidth} ${fullHeight}`, width: '100%'});
  svg.append(arrowMarker('arrow'));
  lanes.forEach((lane, i) => {
    svg.append(svgEl('rect', {class: 'lane', x: 0, y: i * laneHeight, width: left + width + 40, height: laneHeight - 4}));
    svg.append(svgEl('text', {class: 'lane-label', x: 8, y: i * laneHeight + 24}, lane));
  });
  const position = new Map();
  entries.forEach((e, i) => {
    const x = left + 10 + (Date.parse(e.occurredAt) - t0) / span * (width - 20);
    const y = lanes.indexOf(e.producer) * laneHeight + 20;
    if (e.kind === 'EVENT') position.set(e.eventId, {x, y});
    const g = svgEl('g', {class: 'timeline-entry'});
    g.append(svgEl('circle', {class: 'event ' + e.kind, cx: x, cy: y, r: 6}));
    const label = e.kind === 'DEAD_LETTER' ? '✖ ' + e.eventType + ' dead-lettered'
      : e.kind === 'REDRIVE' ? '↻ ' + e.eventType + ' re-driven' : e.eventType;
    const nearEnd = x > left + width * 0.75;
    g.append(svgEl('text', {x: nearEnd ? x - 8 : x + 8, y: y - 8 + (i % 2) * 24,
      'text-anchor': nearEnd ? 'end' : 'start'}, label));
    g.append(svgEl('title', {}, `${e.eventType} · ${e.topic}-${e.partition}@${e.offset} · ${e.occurredAt}`
      + (e.traceId ? ' · trace ' + e.traceId : '')));
    svg.append(g);
  });
  entries.filter(e => e.kind === 'EVENT' && e.causationId && position.has(e.causationId)).forEach(e => {
    const from = position.get(e.causationId), to = position.get(e.eventId);
    svg.append(svgEl('path', {class: 'causal', d: `M${from.x},${from.y} L${to.x - 7},${to.y}`}));
  });
  svg.append(svgEl('text', {x: left, y: lanes.length * laneHeight + 20}, time(new Date(t0).toISOString())));
  svg.append(svgEl('text', {x: left + width - 60, y: lanes.length * laneHeight + 20}, '+' + ms(span)));
  return svg;
}

function steps(process) {
  const table = el('table', {id: 'steps'});
  const head = el('tr');
  ['step', 'after', 'service', 'state', 'took'].forEach(h => head.append(el('th', {}, h)));
  table.append(head);
  process.steps.forEach(s => {
    const tr = el('tr');
    const awaited = (process.awaiting || []).find(a => a.step === s.step && a.service === s.service);
    const took = s.durationMillis != null ? ms(s.durationMillis)
      : awaited ? 'waiting for ' + awaited.events + ', deadline ' + time(awaited.deadline) : '—';
    [s.step, s.after, s.service, s.state, took].forEach(v => tr.append(el('td', {}, v)));
    table.append(tr);
  });
  return table;
}

function arrowMarker(id) {
  const marker = svgEl('marker', {id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
    orient: 'auto-start-reverse'});
  marker.append(svgEl('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#8a96a3'}));
  const defs = svgEl('defs');
  defs.append(marker);
  return defs;
}

/** The learned map as a layered graph: an event's layer is its longest path from an event nothing causes. */
async function refreshMap() {
  const map = await getJson('choreography');
  const layer = new Map(map.nodes.map(n => [n.event, 0]));
  for (let pass = 0; pass < map.nodes.length; pass++) {
    map.edges.forEach(e => {
      if (e.from !== e.to && (layer.get(e.to) ?? 0) < (layer.get(e.from) ?? 0) + 1 && pass < 20) {
        layer.set(e.to, Math.min(12, (layer.get(e.from) ?? 0) + 1));
      }
    });
  }
  const columns = new Map();
  map.nodes.forEach(n => {
    const l = layer.get(n.event) ?? 0;
    if (!columns.has(l)) columns.set(l, []);
    columns.get(l).push(n);
  });
  // the gap between columns holds an edge's caption whole ("123× · p50 1 min 3 s")
  const nodeW = 150, nodeH = 40, gapX = 130, gapY = 22;
  const at = new Map();
  let maxRows = 1;
  [...columns.keys()].sort((a, b) => a - b).forEach((l, ci) => {
    columns.get(l).forEach((n, ri) => at.set(n.event, {x: 10 + ci * (nodeW + gapX), y: 10 + ri * (nodeH + gapY), n}));
    maxRows = Math.max(maxRows, columns.get(l).length);
  });
  const mapWidth = 20 + columns.size * (nodeW + gapX), mapHeight = 20 + maxRows * (nodeH + gapY);
  // natural size, never scaled down to the window (that shrank the captions past reading): #map scrolls instead
  const svg = svgEl('svg', {id: 'choreography-map', viewBox: `0 0 ${mapWidth} ${mapHeight}`,
    width: mapWidth, height: mapHeight});
  svg.append(arrowMarker('arrow2'));
  const captions = [];
  map.edges.forEach(e => {
    const a = at.get(e.from), b = at.get(e.to);
    if (!a || !b) return;
    const x1 = a.x + nodeW, y1 = a.y + nodeH / 2, x2 = b.x, y2 = b.y + nodeH / 2;
    svg.append(svgEl('path', {class: 'edge', d: `M${x1},${y1} C${x1 + 30},${y1} ${x2 - 30},${y2} ${x2 - 2},${y2}`}));
    // in the gap right after the source, where no other source's edges run (an edge across several columns
    // would otherwise put its caption on top of the captions of the columns it crosses)
    const cx = x1 + gapX / 2, cy = y1 + (y2 - y1) * (gapX / 2) / (x2 - x1) - 6;
    captions.push(svgEl('text', {class: 'edge-caption', x: cx, y: cy, 'text-anchor': 'middle'},
      `${e.count}× · p50 ${ms(e.p50Millis)}`));
  });
  at.forEach(({x, y, n}) => {
    const g = svgEl('g', {class: 'node', 'data-event': n.event});
    g.append(svgEl('rect', {x, y, width: nodeW, height: nodeH}));
    g.append(svgEl('text', {x: x + 8, y: y + 16}, n.event));
    g.append(svgEl('text', {x: x + 8, y: y + 31, class: 'edge-label'}, n.producer + ' · ' + n.count));
    svg.append(g);
  });
  // last, so no node is drawn over a caption
  captions.forEach(caption => svg.append(caption));
  document.getElementById('map').replaceChildren(svg);
}

// Search: name=value filters of GET /processes (a bare word is a correlation id); results stay until the next search.
document.getElementById('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const words = document.getElementById('search-query').value.trim().split(/\s+/).filter(Boolean);
  const list = document.getElementById('search-list');
  if (!words.length) return list.replaceChildren();
  const params = new URLSearchParams(words.map(w => w.includes('=')
    ? [w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1)] : ['correlationId', w]));
  try {
    const found = await getJson('processes?' + params);
    list.replaceChildren(...found.map(row));
    if (!found.length) list.append(el('li', {class: 'hint'}, 'No process matches.'));
  } catch (e) {
    list.replaceChildren(el('li', {class: 'hint'}, 'Search failed (' + e.message + ').'));
  }
});

async function refresh() {
  try {
    await Promise.all([refreshLists(), refreshDetail(), refreshMap()]);
  } catch (e) {
    console.error(e);
  }
}

refresh();
setInterval(refresh, 2000);
