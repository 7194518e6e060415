// The Logs tab: reads the JSON API beside this file and renders it. Every
// value from the server is inserted as text (textContent, text nodes,
// attributes), never as markup.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  // The filters of the page's own URL are passed on to the API, so a host
  // can link to, say, ?status=failed&run_id=42.
  const FILTERS = ['run_id', 'stage', 'status', 'mode', 'started_after', 'started_before', 'limit'];
  const TONES = new Set(['info', 'primary', 'secondary', 'success', 'warning', 'danger', 'neutral']);
  const COLUMNS = ['Run', 'Stage', 'Status', 'Attempt', 'Started', 'Finished', 'Details'];
  const pageQuery = new URLSearchParams(location.search);
  const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

  const state = { cursor: '', next: '', prev: '', busy: false };

  // el makes an element: opts.class, opts.text (as text), opts.attrs
  // (set as attributes); children are nodes or strings (text nodes).
  function el(tag, opts, ...children) {
    const e = document.createElement(tag);
    if (opts) {
      if (opts.class) e.className = opts.class;
      if (opts.text != null) e.textContent = opts.text;
      if (opts.attrs) for (const [k, v] of Object.entries(opts.attrs)) e.setAttribute(k, v);
    }
    for (const c of children) if (c != null) e.append(c);
    return e;
  }

  function badge(b) {
    const tone = TONES.has(b.tone) ? b.tone : 'neutral';
    const e = el('span', {
      class: 'badge tone-' + tone,
      text: b.label === '' ? '(empty)' : b.label,
      attrs: { 'data-value': b.value, 'data-tone': tone },
    });
    if (b.meaning) e.title = b.meaning; // a card's badges say what they mean
    return e;
  }

  // timeOf shows an instant in the viewer's time zone, the UTC instant on
  // hover; an absent one as a dash with what it means.
  function timeOf(iso, absent) {
    if (!iso) return el('span', { class: 'muted', text: '—', attrs: { title: absent } });
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return el('span', { text: iso });
    return el('time', { text: when.format(d), attrs: { datetime: iso, title: 'UTC ' + iso } });
  }

  function metricText(m) {
    return [el('span', { class: 'key', text: m.key === '' ? '""' : m.key }), ': ', el('span', { class: 'value', text: m.value })];
  }

  function detailsCell(e) {
    const d = e.details;
    const box = el('div', { class: 'details' });
    if (d.text !== '') box.append(el('p', { class: 'summary', text: d.truncated ? d.text + '…' : d.text }));
    if (d.metrics.length > 0) {
      const list = el('ul', { class: 'metrics' });
      for (const m of d.metrics) list.append(el('li', null, ...metricText(m)));
      box.append(list);
    }
    if (d.metrics_error) box.append(el('p', { class: 'muted', text: 'metrics unreadable', attrs: { title: d.metrics_error } }));
    if (e.unreadable && e.unreadable.length > 0) {
      box.append(el('p', { class: 'muted', text: 'Unreadable: ' + e.unreadable.map((u) => u.field).join(', ') }));
    }
    const view = el('button', { class: 'link view', text: 'View full', attrs: { type: 'button', 'aria-label': 'View full entry ' + e.id } });
    view.addEventListener('click', () => openCard(e.id));
    box.append(view);
    return box;
  }

  function row(e) {
    const attempt = el('span', { text: String(e.attempt) });
    const cells = [
      el('span', { text: e.run_label }),
      badge(e.stage),
      badge(e.status),
      e.retried ? el('span', null, attempt, ' ', el('span', { class: 'retry', text: 'retry' })) : attempt,
      timeOf(e.started_at, 'not started'),
      timeOf(e.finished_at, 'not finished'),
      detailsCell(e),
    ];
    const classes = ['run', 'stage', 'status', 'attempt', 'when', 'when', 'details-cell'];
    const tr = el('tr', { attrs: { 'data-id': String(e.id) } });
    cells.forEach((c, i) => tr.append(el('td', { class: classes[i], attrs: { 'data-label': COLUMNS[i] } }, c)));
    return tr;
  }

  function setBusy(busy) {
    state.busy = busy;
    $('logs').setAttribute('aria-busy', String(busy));
    $('prev').disabled = busy || state.prev === '';
    $('next').disabled = busy || state.next === '';
    $('refresh').disabled = busy;
    if ($('purge')) $('purge').disabled = busy;
  }

  function showError(target, message) {
    target.textContent = message;
    target.hidden = message === '';
  }

  // api fetches a JSON route of the handler, relative to the page.
  async function api(path, init) {
    const res = await fetch(path, Object.assign({ headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' }, init));
    let body = null;
    if ((res.headers.get('Content-Type') || '').startsWith('application/json')) {
      try { body = await res.json(); } catch (err) { body = null; }
    }
    if (!res.ok || body === null) {
      const why = body && typeof body.error === 'string' ? body.error : res.statusText || 'unexpected answer';
      throw new Error('The server answered ' + res.status + ': ' + why);
    }
    return body;
  }

  async function load(cursor) {
    const q = new URLSearchParams();
    for (const k of FILTERS) for (const v of pageQuery.getAll(k)) q.append(k, v);
    if (cursor) q.set('cursor', cursor);
    const qs = q.toString();
    setBusy(true);
    $('status').textContent = 'Loading…';
    try {
      const page = await api('api/entries' + (qs ? '?' + qs : ''));
      if (page.entries.length === 0 && cursor) {
        // The rows of that page are gone (purged): start again.
        state.busy = false;
        return load('');
      }
      state.cursor = cursor;
      state.next = page.next || '';
      state.prev = page.prev || '';
      $('rows').replaceChildren(...page.entries.map(row));
      $('empty').hidden = page.entries.length > 0;
      $('partial').hidden = !page.partial;
      $('status').textContent = page.entries.length === 1 ? '1 entry' : page.entries.length + ' entries';
      showError($('error'), '');
    } catch (err) {
      $('status').textContent = '';
      showError($('error'), err.message);
    } finally {
      setBusy(false);
    }
  }

  // The card.

  function fact(dl, name, ...value) {
    dl.append(el('dt', { text: name }), el('dd', null, ...value));
  }

  function valueNode(text) {
    return text.includes('\n') ? el('pre', { text }) : el('span', { text });
  }

  function fillCard(c) {
    const e = c.entry;
    $('card-title').textContent = e.run_label + ' · ' + (e.stage.label || '(empty)');
    const facts = $('card-facts');
    facts.replaceChildren();
    fact(facts, 'Run', e.run_label);
    fact(facts, 'Stage', badge(e.stage));
    fact(facts, 'Status', badge(e.status));
    fact(facts, 'Attempt', String(e.attempt) + (e.retried ? ' (retry)' : ''));
    fact(facts, 'Started', timeOf(e.started_at, 'not started'));
    fact(facts, 'Finished', timeOf(e.finished_at, 'not finished'));

    $('card-summary').textContent = c.summary;
    $('card-summary-section').hidden = c.summary.trim() === '';

    const metrics = $('card-metrics');
    metrics.replaceChildren();
    for (const m of c.metrics) metrics.append(el('dt', { text: m.key === '' ? '""' : m.key }), el('dd', null, valueNode(m.value)));
    showError($('card-metrics-error'), c.metrics_error ? 'Metrics unreadable: ' + c.metrics_error : '');
    $('card-metrics-section').hidden = c.metrics.length === 0 && !c.metrics_error;

    const reasons = $('card-reasons');
    reasons.replaceChildren();
    for (const r of c.reasons) {
      const what = r.known ? r.outcome + ' — ' + r.meaning : 'A reason code this catalogue does not explain.';
      reasons.append(el('li', null, el('code', { text: r.code }), ' × ' + r.count + ': ', el('span', { text: what })));
    }
    showError($('card-reasons-error'), c.reasons_error ? 'Reason codes unreadable: ' + c.reasons_error : '');
    $('card-reasons-section').hidden = c.reasons.length === 0 && !c.reasons_error;

    const chain = $('card-exceptions');
    chain.replaceChildren();
    c.exceptions.forEach((x, i) => {
      const li = el('li', null, i > 0 ? 'caused by ' : '', el('span', { class: 'type', text: x.type || '(no type)' }));
      if (x.message) li.append(': ', el('span', { class: 'message', text: x.message }));
      if (x.trace) li.append(el('pre', { class: 'trace', text: x.trace }));
      chain.append(li);
    });
    const more = c.more_exceptions;
    showError($('card-more'), more > 0 ? '… and ' + more + ' more previous ' + (more === 1 ? 'exception' : 'exceptions') : '');
    showError($('card-payload-error'), c.payload_error ? 'Error payload unreadable: ' + c.payload_error : '');
    $('card-exceptions-section').hidden = c.exceptions.length === 0 && !c.payload_error;

    const raw = $('card-raw-fields');
    raw.replaceChildren();
    for (const [k, v] of Object.entries(c.raw)) {
      raw.append(el('dt', { text: k }), el('dd', null, v === null ? el('span', { class: 'muted', text: 'NULL' }) : valueNode(String(v))));
    }
    $('card-raw').open = false;

    state.copy = c.copy;
    resetCopy();
  }

  async function openCard(id) {
    const dialog = $('card');
    showError($('card-error'), '');
    try {
      fillCard(await api('api/entries/' + encodeURIComponent(id)));
    } catch (err) {
      $('card-title').textContent = 'Stage log entry ' + id;
      for (const s of ['card-summary-section', 'card-metrics-section', 'card-reasons-section', 'card-exceptions-section']) $(s).hidden = true;
      $('card-facts').replaceChildren();
      $('card-raw-fields').replaceChildren();
      state.copy = '';
      showError($('card-error'), err.message);
    }
    $('copy').disabled = !state.copy;
    if (!dialog.open) dialog.showModal();
  }

  // Copy: the clipboard API where the page may use it, else a selected
  // textarea and execCommand, else the selected text for the user to copy.

  function resetCopy() {
    clearTimeout(state.copyTimer);
    $('copy').textContent = 'Copy';
    $('copy').classList.remove('copied');
    $('copy-status').textContent = '';
    $('copy-fallback').hidden = true;
    $('copy-fallback').value = '';
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (err) {
        // Refused (no permission, no focus): try the old way.
      }
    }
    const area = $('copy-fallback');
    area.value = text;
    area.hidden = false;
    area.focus();
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
    if (ok) {
      area.hidden = true;
      $('copy').focus();
    }
    return ok;
  }

  async function copyCard() {
    if (!state.copy) return;
    const ok = await copyText(state.copy);
    const button = $('copy');
    if (ok) {
      button.textContent = 'Copied';
      button.classList.add('copied');
      $('copy-status').textContent = 'Copied to the clipboard.';
      clearTimeout(state.copyTimer);
      state.copyTimer = setTimeout(() => {
        button.textContent = 'Copy';
        button.classList.remove('copied');
        $('copy-status').textContent = '';
      }, 2500);
    } else {
      $('copy-status').textContent = 'Copying is blocked here: the JSON is selected below; press Ctrl+C (⌘C) to copy it.';
    }
  }

  // Purge.

  async function purge() {
    $('purge-dialog').close();
    setBusy(true);
    try {
      const res = await api('api/purge', {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ confirm: true }),
      });
      state.busy = false;
      await load('');
      $('status').textContent = 'Purged ' + res.deleted + (res.deleted === 1 ? ' entry.' : ' entries.');
    } catch (err) {
      showError($('error'), err.message);
      setBusy(false);
    }
  }

  function start() {
    const shown = [];
    for (const k of FILTERS) if (k !== 'limit') for (const v of pageQuery.getAll(k)) shown.push(k + ' = ' + v);
    if (shown.length > 0) {
      $('filter-text').textContent = shown.join(', ');
      $('filters').hidden = false;
    }
    $('refresh').addEventListener('click', () => load(state.cursor));
    $('next').addEventListener('click', () => load(state.next));
    $('prev').addEventListener('click', () => load(state.prev));
    $('card-close').addEventListener('click', () => $('card').close());
    $('card-done').addEventListener('click', () => $('card').close());
    $('copy').addEventListener('click', copyCard);
    if ($('purge')) {
      $('purge').addEventListener('click', () => $('purge-dialog').showModal());
      $('purge-cancel').addEventListener('click', () => $('purge-dialog').close());
      $('purge-confirm').addEventListener('click', purge);
    }
    load('');
  }

  start();
})();
