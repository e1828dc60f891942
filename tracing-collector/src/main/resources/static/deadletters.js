'use strict';
// The dead-letter workbench: filter, preview, re-drive or discard a selection or everything a filter matches.
// Uses el() and time() from app.js.

const dlSelected = new Set();
const dlValue = (id) => document.getElementById(id).value.trim();
const dlInstant = (id) => dlValue(id) ? new Date(dlValue(id)).toISOString() : '';

function dlFilter() {
  const filter = {reason: dlValue('dl-reason'), topic: dlValue('dl-topic'), group: dlValue('dl-group'),
    orderId: dlValue('dl-order'), from: dlInstant('dl-from'), to: dlInstant('dl-to'), status: dlValue('dl-status')};
  Object.keys(filter).forEach(k => { if (!filter[k]) delete filter[k]; });
  return filter;
}

async function dlRefresh() {
  const query = new URLSearchParams({...dlFilter(), size: 200});
  const page = await getJson('dead-letters?' + query);
  document.getElementById('dl-count').textContent = page.total + ' dead letter' + (page.total === 1 ? '' : 's')
    + (page.total > page.items.length ? ' (newest ' + page.items.length + ' shown)' : '');
  const table = document.getElementById('dl-table');
  const head = el('tr');
  ['', 'dead-lettered', 'status', 'reason', 'service', 'event', 'where', 'order', 're-drives'].forEach(h =>
    head.append(el('th', {}, h)));
  const rows = page.items.map(d => {
    const tr = el('tr', {class: 'dl-row', 'data-id': d.id});
    const box = el('input', {type: 'checkbox', class: 'dl-select'});
    box.checked = dlSelected.has(d.id);
    box.onclick = (e) => { e.stopPropagation(); box.checked ? dlSelected.add(d.id) : dlSelected.delete(d.id); };
    const order = el('td');
    order.append(d.correlationId ? el('a', {href: '?process=' + encodeURIComponent(d.correlationId)},
      d.orderId || d.correlationId) : d.orderId || '—');
    const status = el('td');
    status.append(el('span', {class: 'badge ' + d.status}, d.status));
    const check = el('td');
    check.append(box);
    tr.append(check, el('td', {}, time(d.deadLetteredAt)), status, el('td', {}, d.reason),
      el('td', {}, d.consumerGroup || '—'), el('td', {}, d.eventType || '—'), el('td', {}, d.id), order,
      el('td', {}, String(d.redriveCount)));
    tr.onclick = () => dlInspect(d.id);
    return tr;
  });
  table.replaceChildren(head, ...rows);
}

async function dlInspect(id) {
  const d = await getJson('dead-letters/' + id.split(':').map(encodeURIComponent).join('/'));
  const box = document.getElementById('dl-inspect');
  const headers = el('table');
  d.headers.forEach(h => {
    const tr = el('tr');
    tr.append(el('td', {}, h.name), el('td', {}, h.text != null ? h.text : 'base64: ' + h.base64));
    headers.append(tr);
  });
  box.replaceChildren(el('h3', {}, 'Dead letter ' + id),
    el('p', {}, 'Cause: ' + d.cause + ' · from ' + d.deadLetter.originalTopic + '-' + d.deadLetter.originalPartition
      + '@' + d.deadLetter.originalOffset + ' · ' + d.deadLetter.status),
    el('pre', {}, d.valueText != null ? d.valueText : 'base64: ' + d.valueBase64), headers);
}

async function dlAct(action, selection, dryRun) {
  const body = {requestedBy: 'web view', dryRun, force: document.getElementById('dl-force').checked};
  if (selection) body.ids = [...dlSelected]; else body.filter = dlFilter();
  const result = document.getElementById('dl-result');
  if (selection && !body.ids.length) {
    result.textContent = 'Select dead letters first.';
    return;
  }
  result.textContent = dryRun ? 'Counting…' : 'Working…';
  const response = await api('dead-letters/' + action, {method: 'POST',
    headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const r = await response.json();
  if (!response.ok) {
    result.textContent = r.detail || r.title;
    return;
  }
  const verb = action === 'redrive' ? 're-driven' : 'discarded';
  const left = `${r.parked} parked, ${r.alreadyHandled} already handled`;
  result.textContent = dryRun ? `Preview: ${r.matched} match; ${r.toAct} would be ${verb}; ${left}.`
    : `${r.done} ${verb}` + (r.failed ? `, ${r.failed} failed` : '') + `; ${left}.`;
  if (!dryRun) {
    dlSelected.clear();
    dlRefresh();
  }
}

document.getElementById('dl-filter').addEventListener('submit', (e) => { e.preventDefault(); dlRefresh(); });
document.getElementById('dl-preview').onclick = () => dlAct('redrive', false, true);
document.getElementById('dl-redrive-filter').onclick = () => dlAct('redrive', false, false);
document.getElementById('dl-discard-filter').onclick = () => dlAct('discard', false, false);
document.getElementById('dl-redrive-selected').onclick = () => dlAct('redrive', true, false);
document.getElementById('dl-discard-selected').onclick = () => dlAct('discard', true, false);
dlRefresh().catch(console.error);
setInterval(() => dlRefresh().catch(console.error), 5000);
