(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('dkg-data').textContent);
  var byId = {}, edgeById = {}, incident = {};
  var relStyle = {};
  data.relations.forEach(function (r) { relStyle[r.id] = r; });
  // kinds arrive as a list to keep the legend's order; look-ups want a map
  var kindOrder = data.kinds.map(function (k) { return k.id; });
  var kindMap = {};
  data.kinds.forEach(function (k) { kindMap[k.id] = k; });
  data.kinds = kindMap;
  data.nodes.forEach(function (n) { byId[n.id] = n; incident[n.id] = []; });
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    incident[e.from].push(e.id);
    if (e.to !== e.from) { incident[e.to].push(e.id); }
  });

  // --- small DOM helpers: text only, never HTML ------------------------------------
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) { x.className = cls; }
    if (text !== undefined && text !== null) { x.textContent = String(text); }
    return x;
  }
  function clear(x) { while (x.firstChild) { x.removeChild(x.firstChild); } }
  function fold(s) {
    return String(s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  }
  function kindName(k) { return (data.kinds[k] || {}).name || k; }

  // --- vis data ------------------------------------------------------------------------
  // Looks (colours, shapes, fonts, curves) come from Python (kg.viz.node_style and
  // friends), the same that kg.viz.to_pyvis uses: this file only assembles them
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var k = data.kinds[n.kind] || data.kinds.organization;
    return Object.assign({}, k.vis, { id: n.id, label: n.label, size: n.size, title: n.title });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var s = relStyle[e.relation] || relStyle.part_of;
    var item = Object.assign({}, e.hedged ? s.visHedged : s.vis,
                             { id: e.id, from: e.from, to: e.to, title: e.summary });
    if (e.caption !== null) { item.label = e.caption; }
    if (e.smooth !== null) { item.smooth = e.smooth; }
    return item;
  }));

  // --- filters: relation checkboxes and date range -------------------------------------
  var shownRelations = {};
  data.relations.forEach(function (r) { shownRelations[r.id] = true; });
  var dateFrom = '', dateTo = '';
  function lo(d) { return d.length === 4 ? d + '-01-01' : d.length === 7 ? d + '-01' : d; }
  function hi(d) { return d.length === 4 ? d + '-12-31' : d.length === 7 ? d + '-31' : d; }
  function inRange(dates) {
    if (!dateFrom && !dateTo) { return true; }
    if (!dates || !dates.length) { return true; }  // undated facts are never filtered out
    return dates.some(function (d) {
      return (!dateFrom || hi(d) >= dateFrom) && (!dateTo || lo(d) <= dateTo);
    });
  }
  function edgeVisible(e) { return shownRelations[e.relation] !== false && inRange(e.dates); }
  function filtering() {
    return !!(dateFrom || dateTo) ||
      data.relations.some(function (r) { return shownRelations[r.id] === false; });
  }
  var visibleNodes = null;  // null: no filter, every actor shown
  function nodeVisible(item) { return visibleNodes === null || visibleNodes[item.id] === true; }
  var edgesView = new vis.DataView(edges, {
    filter: function (item) { return edgeVisible(edgeById[item.id]); }
  });
  var nodesView = new vis.DataView(nodes, { filter: nodeVisible });
  function applyFilters() {
    if (filtering()) {
      visibleNodes = {};
      data.edges.forEach(function (e) {
        if (edgeVisible(e)) { visibleNodes[e.from] = true; visibleNodes[e.to] = true; }
      });
    } else {
      visibleNodes = null;
    }
    edgesView.refresh();
    nodesView.refresh();
    renderTimeline();
    setStatus(nodesView.length + ' actors, ' + edgesView.length + ' relations shown');
  }

  // --- the network -------------------------------------------------------------------------
  var container = document.getElementById('graph');
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView },
                                data.options);
  var statusEl = document.getElementById('status');
  function setStatus(t) { statusEl.textContent = t; }
  network.on('stabilizationProgress', function (p) {
    setStatus('Laying out… ' + Math.round(100 * p.iterations / p.total) + '%');
  });
  var ready = false;
  function stopPhysics() {
    if (ready) { return; }
    ready = true;
    // The layout is done: freeze it, so the graph stays still while people read it
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    setStatus(data.nodes.length + ' actors, ' + data.edges.length + ' relations');
    document.body.setAttribute('data-ready', '1');
  }
  network.once('stabilizationIterationsDone', stopPhysics);
  network.once('stabilized', stopPhysics);
  if (!data.nodes.length) { stopPhysics(); }

  // --- side panel --------------------------------------------------------------------------
  var panel = document.getElementById('panel');
  var pinned = false;
  function badge(text, color) {
    var b = el('span', 'badge', text);
    b.style.background = color;
    return b;
  }
  function defList(pairs) {
    var dl = el('dl');
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === '' ||
          (Array.isArray(p[1]) && !p[1].length)) { return; }
      dl.appendChild(el('dt', null, p[0]));
      // one value per line (dd is white-space: pre-line): article titles contain commas
      dl.appendChild(el('dd', null, Array.isArray(p[1]) ? p[1].join('\n') : p[1]));
    });
    return dl;
  }
  function evidenceBlock(list, parent) {
    (list || []).forEach(function (ev) {
      if (ev.sentence) { parent.appendChild(el('blockquote', 'sentence', ev.sentence)); }
      var cite = el('div', 'cite');
      var bits = [];
      bits.push('— ' + (ev.article_title || ev.article_iri || 'unknown article'));
      if (ev.article_date) { bits.push(ev.article_date); }
      if (ev.rule) { bits.push('rule ' + ev.rule); }
      cite.appendChild(el('span', null, bits.join(' · ')));
      if (ev.hedged) { cite.appendChild(el('span', 'hedged', ' · reported, not confirmed')); }
      parent.appendChild(cite);
    });
  }
  function edgeDetails(e) {
    var a = e.attrs || {};
    return defList([
      ['Status', a.status ? String(a.status).toLowerCase() : ''],
      ['Seller', a.seller_labels],
      ['Rejected by', a.rejected_by],
      ['Regulators', a.regulators],
      ['Bid', a.bid_summary && e.relation !== 'bid' ? a.bid_summary : ''],
      ['Reported by', a.reported_by],
      ['Action', a.actions],
      ['What', a.what],
      ['Due', a.due_date],
      ['Role', a.roles || a.title],
      ['Stake', a.sizes],
      ['About', a.about],
      ['Date', a.date]
    ]);
  }
  function fact(e, parent) {
    var box = el('div', 'fact');
    var head = el('div', 'summary');
    var s = relStyle[e.relation] || {};
    head.appendChild(badge(s.name || e.relation, s.color || '#777'));
    head.appendChild(document.createTextNode(e.summary));
    box.appendChild(head);
    box.appendChild(edgeDetails(e));
    evidenceBlock(e.evidence, box);
    parent.appendChild(box);
  }
  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    clear(panel);
    var k = data.kinds[n.kind] || {};
    panel.appendChild(el('h3', null, n.label));
    panel.appendChild(badge(kindName(n.kind), k.color || '#777'));
    var titles = n.articles.map(function (a) {
      var art = data.articles[a];
      return art ? (art.title || a) + (art.date ? ' (' + art.date + ')' : '') : a;
    });
    panel.appendChild(defList([
      ['Also called', n.altLabels], ['Same as', n.sameAs], ['IRI', n.iri],
      ['Centrality', String(n.centrality)], ['Articles', titles]
    ]));
    var list = incident[id].slice().sort(function (x, y) {
      var ex = edgeById[x], ey = edgeById[y];
      return data.relations.findIndex(function (r) { return r.id === ex.relation; }) -
             data.relations.findIndex(function (r) { return r.id === ey.relation; }) || x - y;
    });
    panel.appendChild(el('h2', null, 'Facts (' + list.length + ')'));
    var limit = 60;
    list.slice(0, limit).forEach(function (eid) { fact(edgeById[eid], panel); });
    if (list.length > limit) {
      panel.appendChild(el('p', 'hint', '… and ' + (list.length - limit) + ' more'));
    }
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    clear(panel);
    panel.appendChild(el('h3', null, byId[e.from].label + ' → ' + byId[e.to].label));
    fact(e, panel);
  }
  function showTimelineItem(item) {
    clear(panel);
    panel.appendChild(el('h3', null, item.label));
    panel.appendChild(badge(item.kind, '#555'));
    panel.appendChild(defList([['Date', item.date + ' (' + item.granularity + ')']]));
    var box = el('div', 'fact');
    evidenceBlock(item.evidence, box);
    panel.appendChild(box);
  }
  network.on('click', function (p) {
    if (p.nodes && p.nodes.length) { pinned = true; showNode(p.nodes[0]); }
    else if (p.edges && p.edges.length) { pinned = true; showEdge(p.edges[0]); }
    else { pinned = false; }
  });
  network.on('hoverNode', function (p) { if (!pinned) { showNode(p.node); } });
  network.on('hoverEdge', function (p) { if (!pinned) { showEdge(p.edge); } });

  function focusNode(id) {
    if (!nodesView.get(id)) { visibleNodes = null; resetFilters(); }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.1, animation: { duration: 300 } });
    pinned = true;
    showNode(id);
  }

  // --- legend and relation filters -----------------------------------------------------
  var kindLegend = document.getElementById('kind-legend');
  kindOrder.forEach(function (k) {
    var li = el('li');
    var sym = el('span', 'sym', data.kinds[k].symbol);
    sym.style.color = data.kinds[k].color;
    li.appendChild(sym);
    li.appendChild(el('span', null, data.kinds[k].name));
    var count = data.nodes.filter(function (n) { return n.kind === k; }).length;
    li.appendChild(el('span', 'count', count));
    kindLegend.appendChild(li);
  });
  var relFilters = document.getElementById('relation-filters');
  data.relations.forEach(function (r) {
    var li = el('li');
    var label = el('label');
    label.style.display = 'flex'; label.style.alignItems = 'center'; label.style.gap = '6px';
    label.style.width = '100%';
    var box = el('input');
    box.type = 'checkbox'; box.checked = true; box.value = r.id;
    box.setAttribute('data-relation', r.id);
    box.addEventListener('change', function () {
      shownRelations[r.id] = box.checked;
      applyFilters();
    });
    var line = el('span', 'line');
    line.style.borderTopStyle = (r.dashes && r.dashes.length) ? 'dashed' : 'solid';
    line.style.borderTopColor = r.color;
    label.appendChild(box); label.appendChild(line); label.appendChild(el('span', null, r.name));
    label.appendChild(el('span', 'count', r.count));
    li.appendChild(label);
    relFilters.appendChild(li);
  });

  // --- bids at a glance ----------------------------------------------------------------
  var bidsEl = document.getElementById('bids');
  var seenBids = {};
  data.edges.forEach(function (e) {
    if (e.relation !== 'bid') { return; }
    var key = (e.attrs && e.attrs.bid) || e.summary;
    if (seenBids[key]) { seenBids[key].push(e.id); return; }
    seenBids[key] = [e.id];
    if (bidsEl.childNodes.length >= 100) { return; }
    var stopped = e.attrs.status === 'Rejected' || e.attrs.status === 'Blocked';
    var li = el('li', stopped ? 'rejected' : '', e.summary);
    li.addEventListener('click', function () {
      network.selectEdges(seenBids[key]);
      pinned = true;
      showEdge(e.id);
    });
    bidsEl.appendChild(li);
  });
  if (!bidsEl.childNodes.length) { bidsEl.appendChild(el('li', '', 'No bid found.')); }

  // --- timeline ---------------------------------------------------------------------------
  var iriToId = {};
  data.nodes.forEach(function (n) { iriToId[n.iri] = n.id; });
  var timelineEl = document.getElementById('timeline');
  function renderTimeline() {
    clear(timelineEl);
    data.timeline.forEach(function (item) {
      if (!inRange([item.date])) { return; }
      var li = el('li', 'k-' + item.kind);
      var head = el('div');
      head.appendChild(el('span', 'date', item.date));
      head.appendChild(el('span', 'kind', item.kind));
      li.appendChild(head);
      li.appendChild(el('div', 'label', item.label));
      li.title = item.label;
      li.addEventListener('click', function () {
        var ids = (item.actors || []).map(function (a) { return iriToId[a]; })
          .filter(function (x) { return x !== undefined && nodesView.get(x); });
        network.selectNodes(ids);
        pinned = true;
        showTimelineItem(item);
      });
      timelineEl.appendChild(li);
    });
    if (!timelineEl.childNodes.length) { timelineEl.appendChild(el('li', '', 'No dated event.')); }
  }
  renderTimeline();

  // --- search ---------------------------------------------------------------------------
  var search = document.getElementById('search');
  var results = document.getElementById('search-results');
  var names = document.getElementById('actor-names');
  data.nodes.slice(0, 2000).forEach(function (n) {
    var o = document.createElement('option');
    o.value = n.label;
    names.appendChild(o);
  });
  function matches(q) {
    var f = fold(q).trim();
    if (!f) { return []; }
    return data.nodes.filter(function (n) {
      return fold(n.label).indexOf(f) >= 0 ||
        n.altLabels.some(function (a) { return fold(a).indexOf(f) >= 0; });
    }).sort(function (a, b) {
      return (fold(b.label) === f) - (fold(a.label) === f) || b.centrality - a.centrality;
    });
  }
  function showResults(list) {
    clear(results);
    list.slice(0, 20).forEach(function (n) {
      var b = el('button', null, n.label + ' — ' + kindName(n.kind));
      b.type = 'button';
      b.addEventListener('click', function () { clear(results); focusNode(n.id); });
      results.appendChild(b);
    });
  }
  search.addEventListener('input', function () {
    var list = matches(search.value);
    var exact = list.filter(function (n) { return n.label === search.value; });
    if (exact.length) { clear(results); focusNode(exact[0].id); return; }
    showResults(list);
  });
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') {
      var list = matches(search.value);
      clear(results);
      if (list.length) { focusNode(list[0].id); } else { setStatus('No actor matches'); }
    } else if (ev.key === 'Escape') { clear(results); }
  });

  // --- dates, reset, notice ------------------------------------------------------------
  var fromEl = document.getElementById('date-from'), toEl = document.getElementById('date-to');
  var allDates = [];
  data.edges.forEach(function (e) { allDates = allDates.concat(e.dates); });
  data.timeline.forEach(function (t) { allDates.push(t.date); });
  allDates.sort();
  if (allDates.length) {
    fromEl.min = toEl.min = lo(allDates[0]);
    fromEl.max = toEl.max = hi(allDates[allDates.length - 1]).replace(/-31$/, '-28');
  }
  function onDates() { dateFrom = fromEl.value || ''; dateTo = toEl.value || ''; applyFilters(); }
  fromEl.addEventListener('change', onDates);
  toEl.addEventListener('change', onDates);
  function resetFilters() {
    fromEl.value = ''; toEl.value = ''; dateFrom = ''; dateTo = '';
    Array.prototype.forEach.call(relFilters.querySelectorAll('input'), function (b) {
      b.checked = true; shownRelations[b.value] = true;
    });
    applyFilters();
  }
  document.getElementById('reset').addEventListener('click', function () {
    resetFilters(); search.value = ''; clear(results); network.unselectAll(); network.fit();
  });
  if (data.notice) {
    var notice = document.getElementById('notice');
    notice.hidden = false;
    notice.appendChild(el('span', null, data.notice + ' '));
    if (data.leftOut.length) {
      var det = el('details');
      det.appendChild(el('summary', null, 'Left out'));
      det.appendChild(el('span', null, data.leftOut.join(', ') +
        (data.leftOutCount > data.leftOut.length ? ', …' : '')));
      notice.appendChild(det);
    }
  }

  window.dkg = { network: network, nodes: nodes, edges: edges, nodesView: nodesView,
                 edgesView: edgesView, data: data, showNode: showNode, showEdge: showEdge,
                 focusNode: focusNode, applyFilters: applyFilters,
                 isReady: function () { return ready; } };
})();
