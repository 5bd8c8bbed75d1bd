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
  function button(id, text) {
    var b = el('button', null, text);
    b.type = 'button';
    if (id) { b.id = id; }
    return b;
  }

  // --- what is shown -------------------------------------------------------------------
  // Filters set `hidden` on the items rather than removing them: vis-network keeps a
  // hidden node where it was, so a filter toggled back leaves the layout as it was.
  var shownRelations = {}, shownKinds = {};
  data.relations.forEach(function (r) { shownRelations[r.id] = true; });
  kindOrder.forEach(function (k) { shownKinds[k] = true; });
  var dateFrom = '', dateTo = '';
  // Dense graphs open on their most central deals (data.focus, chosen in Python): focusSet
  // holds the actors shown until "Show all" (null: all), focusEdges the deals' relations;
  // an actor brought in by a search or a click (revealed) comes with all its relations.
  var focusSet = null, focusEdges = {}, revealed = {};
  var neighboursOf = null;    // an actor id: only it and its neighbours are shown
  if (data.focus) { data.focus.edges.forEach(function (id) { focusEdges[id] = true; }); }
  function initialFocus() {
    revealed = {};
    if (!data.focus) { return null; }
    var set = {};
    data.focus.actors.forEach(function (id) { set[id] = true; });
    return set;
  }
  focusSet = initialFocus();

  function lo(d) { return d.length === 4 ? d + '-01-01' : d.length === 7 ? d + '-01' : d; }
  function hi(d) { return d.length === 4 ? d + '-12-31' : d.length === 7 ? d + '-31' : d; }
  function inRange(dates) {
    if (!dateFrom && !dateTo) { return true; }
    if (!dates || !dates.length) { return true; }  // undated facts are never filtered out
    return dates.some(function (d) {
      return (!dateFrom || hi(d) >= dateFrom) && (!dateTo || lo(d) <= dateTo);
    });
  }
  function evidenceInRange(ev) { return inRange(ev.article_date ? [ev.article_date] : []); }
  function actorAllowed(id) {
    // "neighbours only" shows every neighbour, central or not
    return shownKinds[byId[id].kind] !== false &&
      (focusSet === null || neighboursOf !== null || focusSet[id] === true);
  }
  function edgePasses(e) {
    var focused = focusSet === null || neighboursOf !== null ||
      focusEdges[e.id] === true || revealed[e.from] === true || revealed[e.to] === true;
    return focused && shownRelations[e.relation] !== false && inRange(e.dates) &&
      actorAllowed(e.from) && actorAllowed(e.to);
  }
  function edgeFiltering() {
    return !!(dateFrom || dateTo) ||
      data.relations.some(function (r) { return shownRelations[r.id] === false; });
  }
  function computeShown() {
    var edgeOk = {}, nodeOk = {};
    data.edges.forEach(function (e) { edgeOk[e.id] = edgePasses(e); });
    if (neighboursOf !== null) {
      // the chosen actor, the actors one passing relation away, and the relations among them
      nodeOk[neighboursOf] = true;
      incident[neighboursOf].forEach(function (eid) {
        var e = edgeById[eid];
        if (edgeOk[eid]) { nodeOk[e.from] = true; nodeOk[e.to] = true; }
      });
      data.edges.forEach(function (e) {
        edgeOk[e.id] = edgeOk[e.id] && nodeOk[e.from] === true && nodeOk[e.to] === true;
      });
    } else if (edgeFiltering()) {
      // a relation or date filter shows the actors its relations still connect
      data.edges.forEach(function (e) {
        if (edgeOk[e.id]) { nodeOk[e.from] = true; nodeOk[e.to] = true; }
      });
    } else {
      data.nodes.forEach(function (n) { nodeOk[n.id] = actorAllowed(n.id); });
    }
    return { nodes: nodeOk, edges: edgeOk };
  }
  // what the page opens on: hidden from the start costs the browser less than hiding later
  var opening = computeShown(), shownNode = {}, shownEdge = {};
  data.nodes.forEach(function (n) { shownNode[n.id] = opening.nodes[n.id] === true; });
  data.edges.forEach(function (e) { shownEdge[e.id] = opening.edges[e.id] === true; });

  // --- vis data ------------------------------------------------------------------------
  // Looks (colours, shapes, fonts, curves) come from Python (kg.viz.node_style and
  // friends), the same that kg.viz.to_pyvis uses: this file only assembles them
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var k = data.kinds[n.kind] || data.kinds.organization;
    return Object.assign({}, k.vis, { id: n.id, label: n.label, size: n.size, title: n.title,
                                      hidden: !shownNode[n.id] });
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    var s = relStyle[e.relation] || relStyle.part_of;
    var item = Object.assign({}, e.hedged ? s.visHedged : s.vis,
                             { id: e.id, from: e.from, to: e.to, title: e.summary,
                               hidden: !shownEdge[e.id] });
    if (e.caption !== null) { item.label = e.caption; }
    if (e.smooth !== null) { item.smooth = e.smooth; }
    return item;
  }));

  var nodesView = new vis.DataView(nodes, { filter: function (item) { return !item.hidden; } });
  var edgesView = new vis.DataView(edges, { filter: function (item) { return !item.hidden; } });
  function visibleNodeIds() {
    return data.nodes.filter(function (n) { return shownNode[n.id]; }).map(function (n) { return n.id; });
  }
  function applyFilters() {
    var now = computeShown();
    var nodeChanges = [], edgeChanges = [];
    data.nodes.forEach(function (n) {
      var show = now.nodes[n.id] === true;
      if (show !== shownNode[n.id]) { nodeChanges.push({ id: n.id, hidden: !show }); shownNode[n.id] = show; }
    });
    data.edges.forEach(function (e) {
      var show = now.edges[e.id] === true;
      if (show !== shownEdge[e.id]) { edgeChanges.push({ id: e.id, hidden: !show }); shownEdge[e.id] = show; }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    nodesView.refresh();
    edgesView.refresh();
    renderLists();
    updateNotice();
    setStatus(nodesView.length + ' actors, ' + edgesView.length + ' relations shown');
  }

  // --- the network -------------------------------------------------------------------------
  var container = document.getElementById('graph');
  // the layout is computed with every actor, shown or not, so "Show all" moves no one
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var statusEl = document.getElementById('status');
  function setStatus(t) { statusEl.textContent = t; }
  network.on('stabilizationProgress', function (p) {
    setStatus('Laying out… ' + Math.round(100 * p.iterations / p.total) + '%');
  });
  function fitShown() {
    var ids = visibleNodeIds();
    network.fit({ nodes: ids.length ? ids : undefined, animation: false });
  }
  var ready = false;
  function stopPhysics() {
    if (ready) { return; }
    ready = true;
    // The layout is done: freeze it, so the graph stays still while people read it
    network.setOptions({ physics: { enabled: false } });
    fitShown();
    setStatus(nodesView.length + ' actors, ' + edgesView.length + ' relations' +
              (focusSet ? ' shown (of ' + data.nodes.length + ' actors, ' +
                          data.edges.length + ' relations)' : ''));
    document.body.setAttribute('data-ready', '1');
  }
  network.once('stabilizationIterationsDone', stopPhysics);
  network.once('stabilized', stopPhysics);
  if (!data.nodes.length) { stopPhysics(); }

  // --- side panel --------------------------------------------------------------------------
  var panel = document.getElementById('panel');
  // the page's own hint, put back by Reset
  var panelHint = Array.prototype.map.call(panel.childNodes, function (x) { return x.cloneNode(true); });
  var pinned = false;
  var current = null;  // what the panel shows: {node: id} | {edge: id} | {item: timeline item} | {deal: iri}
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
      var dd = el('dd');
      (Array.isArray(p[1]) ? p[1] : [p[1]]).forEach(function (v, i) {
        // one value per line: article titles contain commas
        if (i) { dd.appendChild(document.createTextNode('\n')); }
        dd.appendChild(v instanceof Node ? v : document.createTextNode(String(v)));
      });
      dl.appendChild(dd);
    });
    return dl;
  }
  function details(pairs) {
    // for the curious: identifiers and rule names mean nothing to most readers
    var d = el('details', 'details');
    d.appendChild(el('summary', null, 'details'));
    d.appendChild(defList(pairs));
    return d;
  }
  function safeHref(href) {
    return typeof href === 'string' && /^(https?|file):\/\//i.test(href) ? href : null;
  }
  function articleLink(iri, fallback) {
    var art = data.articles[iri] || {};
    var text = art.title || fallback || iri || 'unknown article';
    var href = safeHref(art.href);
    if (!href) { return el('span', 'article', text); }
    var a = el('a', 'article', text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.title = /^file:/i.test(href) ? (art.source || href) : href;
    return a;
  }
  function evidenceBlock(list, parent) {
    var shown = 0;
    (list || []).forEach(function (ev) {
      if (!evidenceInRange(ev)) { return; }
      shown += 1;
      if (ev.sentence) { parent.appendChild(el('blockquote', 'sentence', ev.sentence)); }
      var cite = el('div', 'cite');
      cite.appendChild(document.createTextNode('— '));
      cite.appendChild(articleLink(ev.article_iri, ev.article_title));
      if (ev.article_date) { cite.appendChild(document.createTextNode(' · ' + ev.article_date)); }
      if (ev.hedged) { cite.appendChild(el('span', 'hedged', ' · reported, not confirmed')); }
      if (ev.rule) { cite.appendChild(details([['Rule', ev.rule]])); }
      parent.appendChild(cite);
    });
    var hidden = (list || []).length - shown;
    if (hidden) { parent.appendChild(el('p', 'hint', hidden + ' more outside the dates chosen')); }
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
    dealsOfEdge(e).forEach(function (iri) { box.appendChild(dealButton(iri)); });
    evidenceBlock(e.evidence, box);
    parent.appendChild(box);
  }
  var relationOrder = {};
  data.relations.forEach(function (r, i) { relationOrder[r.id] = i; });
  function showNode(id) {
    var n = byId[id];
    if (!n) { return; }
    current = { node: id };
    clear(panel);
    var k = data.kinds[n.kind] || {};
    panel.appendChild(el('h3', null, n.label));
    panel.appendChild(badge(kindName(n.kind), k.color || '#777'));
    var only = button('neighbours-only', neighboursOf === id ? 'Show all actors' : 'Neighbours only');
    only.className = 'small';
    only.addEventListener('click', function () { toggleNeighbours(id); });
    panel.appendChild(only);
    var articles = n.articles.map(function (a) {
      var art = data.articles[a];
      var link = articleLink(a, a);
      if (art && art.date) { link.textContent += ' (' + art.date + ')'; }
      return link;
    });
    panel.appendChild(defList([['Also called', n.altLabels], ['Articles', articles]]));
    var its = dealOrder.filter(function (iri) {
      return deals[iri].bidders.concat(deals[iri].targets, deals[iri].sellers)
        .some(function (p) { return p.iri === n.iri; });
    });
    if (its.length) {
      var dealBox = el('div', 'deals');
      its.forEach(function (iri) { dealBox.appendChild(dealButton(iri)); });
      panel.appendChild(dealBox);
    }
    panel.appendChild(details([['Same as', n.sameAs], ['IRI', n.iri], ['Centrality', String(n.centrality)]]));
    var all = incident[id].slice().sort(function (x, y) {
      return relationOrder[edgeById[x].relation] - relationOrder[edgeById[y].relation] || x - y;
    });
    var list = all.filter(function (eid) { return inRange(edgeById[eid].dates); });
    panel.appendChild(el('h2', null, 'Facts (' + list.length + ')'));
    var limit = 60;
    list.slice(0, limit).forEach(function (eid) { fact(edgeById[eid], panel); });
    if (list.length > limit) {
      panel.appendChild(el('p', 'hint', '… and ' + (list.length - limit) + ' more'));
    }
    if (all.length > list.length) {
      panel.appendChild(el('p', 'hint', (all.length - list.length) + ' more outside the dates chosen'));
    }
  }
  function showEdge(id) {
    var e = edgeById[id];
    if (!e) { return; }
    current = { edge: id };
    clear(panel);
    panel.appendChild(el('h3', null, byId[e.from].label + ' → ' + byId[e.to].label));
    fact(e, panel);
  }
  function showTimelineItem(item) {
    current = { item: item };
    clear(panel);
    panel.appendChild(el('h3', null, item.label));
    panel.appendChild(badge(item.kind, '#555'));
    panel.appendChild(defList([['Date', item.date + ' (' + item.granularity + ')']]));
    var box = el('div', 'fact');
    evidenceBlock(item.evidence, box);
    panel.appendChild(box);
  }
  // --- the deal pane: one deal's story across the articles (kg.deals, as kg deal prints it) ---
  var deals = data.deals || {};
  var dealOrder = Object.keys(deals).sort(function (a, b) {
    return fold(deals[a].summary) < fold(deals[b].summary) ? -1 : fold(deals[a].summary) > fold(deals[b].summary) ? 1 : 0;
  });
  dealOrder.forEach(function (iri) { deals[iri].folded = fold(deals[iri].summary); });
  var kindNames = { status: 'status', refusal: 'refusal', regulatory: 'regulator', deadline: 'deadline' };
  var kindColors = { status: 'var(--relation-bid)', refusal: 'var(--relation-rejected)',
                     regulatory: 'var(--relation-regulates)', deadline: 'var(--relation-deadline)' };
  function dealsOfEdge(e) {
    var a = e.attrs || {};
    return [a.bid].concat(a.bids || []).filter(function (iri, i, all) {
      return iri && deals[iri] && all.indexOf(iri) === i;
    });
  }
  function dealButton(iri) {
    var b = button(null, 'Deal timeline: ' + deals[iri].summary);
    b.className = 'small deal-open';
    b.addEventListener('click', function () { openDeal(iri); });
    return b;
  }
  function dealActors(iri) {
    var d = deals[iri];
    return d.bidders.concat(d.targets).map(function (p) { return iriToId[p.iri]; })
      .filter(function (x) { return x !== undefined; });
  }
  function openDeal(iri) {
    if (!deals[iri]) { return; }
    var ids = [];
    data.edges.forEach(function (e) { if (dealsOfEdge(e).indexOf(iri) >= 0) { ids.push(e.id); } });
    reveal(dealActors(iri));
    network.selectEdges(ids.filter(function (id) { return shownEdge[id]; }));
    pinned = true;
    showDeal(iri);
  }
  function statusWord(s) { return String(s || '').toLowerCase(); }
  function showDeal(iri) {
    var d = deals[iri];
    if (!d) { return; }
    current = { deal: iri };
    clear(panel);
    var pane = el('section', 'deal');
    pane.setAttribute('data-bid', iri);
    pane.appendChild(el('h3', null, d.summary));
    pane.appendChild(badge('deal', 'var(--relation-bid)'));
    pane.appendChild(defList([['Seller', d.sellers.map(function (p) { return p.label; })]]));
    if (d.disagreement) {
      var box = el('div', 'disagreement');
      box.appendChild(el('strong', null, 'Articles disagree on its status'));
      var list = el('ul');
      d.disagreement.forEach(function (said) {
        var li = el('li');
        li.appendChild(el('span', 'status', statusWord(said.status)));
        li.appendChild(document.createTextNode(': '));
        said.articles.forEach(function (a, i) {
          if (i) { li.appendChild(document.createTextNode('; ')); }
          li.appendChild(articleLink(a, a));
          var art = data.articles[a];
          if (art && art.date) { li.appendChild(document.createTextNode(' (' + art.date + ')')); }
        });
        list.appendChild(li);
      });
      box.appendChild(list);
      pane.appendChild(box);
    } else if (d.statuses.length) {
      pane.appendChild(defList([['Status', statusWord(d.statuses[0].status) + ' (in ' + d.statuses.length +
                                 (d.statuses.length === 1 ? ' article)' : ' articles)')]]));
    }
    var events = d.events.filter(function (ev) { return inRange(ev.when ? [ev.when] : []); });
    pane.appendChild(el('h2', null, 'Timeline (' + events.length + ')'));
    var ol = el('ol', 'deal-timeline');
    events.forEach(function (ev) {
      var li = el('li', 'k-' + ev.kind);
      var head = el('div', 'head');
      head.appendChild(el('span', 'date', ev.date || (ev.when ? '(' + ev.when + ')' : 'undated')));
      head.appendChild(badge(kindNames[ev.kind] || ev.kind, kindColors[ev.kind] || '#777'));
      head.appendChild(el('span', 'what', ev.what));
      if (ev.hedged) { head.appendChild(el('span', 'hedged', ' · reported, not confirmed')); }
      li.appendChild(head);
      if (ev.sentence) { li.appendChild(el('blockquote', 'sentence', ev.sentence)); }
      var cite = el('div', 'cite');
      cite.appendChild(document.createTextNode('— '));
      cite.appendChild(articleLink(ev.article, ev.article));
      var art = data.articles[ev.article];
      if (art && art.date) { cite.appendChild(document.createTextNode(' · ' + art.date)); }
      if (!ev.date && ev.when) { cite.appendChild(el('span', 'hint', ' (the sentence gives no date: the article\'s)')); }
      li.appendChild(cite);
      ol.appendChild(li);
    });
    pane.appendChild(ol);
    if (d.events.length > events.length) {
      pane.appendChild(el('p', 'hint', (d.events.length - events.length) + ' more outside the dates chosen'));
    }
    if (!d.events.length) { pane.appendChild(el('p', 'hint', 'No dated step, refusal or act is known.')); }
    pane.appendChild(details([['IRI', iri]]));
    panel.appendChild(pane);
    panel.scrollTop = 0;
  }
  function refreshPanel() {
    if (!current) { return; }
    if (current.node !== undefined) { showNode(current.node); }
    else if (current.edge !== undefined) { showEdge(current.edge); }
    else if (current.item) { showTimelineItem(current.item); }
    else if (current.deal) { showDeal(current.deal); }
  }
  network.on('click', function (p) {
    if (p.nodes && p.nodes.length) { pinned = true; showNode(p.nodes[0]); }
    else if (p.edges && p.edges.length) { pinned = true; showEdge(p.edges[0]); }
    else { pinned = false; }
  });
  network.on('hoverNode', function (p) { if (!pinned) { showNode(p.node); } });
  network.on('hoverEdge', function (p) { if (!pinned) { showEdge(p.edge); } });

  // Bring actors into view: on a dense graph they may be outside the opening set
  function reveal(ids) {
    var missing = ids.filter(function (id) { return !shownNode[id]; });
    if (!missing.length) { return; }
    neighboursOf = null;
    if (focusSet !== null) {
      missing.forEach(function (id) {
        focusSet[id] = true;
        revealed[id] = true;
        incident[id].forEach(function (eid) {
          focusSet[edgeById[eid].from] = true; focusSet[edgeById[eid].to] = true;
        });
      });
    }
    applyFilters();
    if (ids.some(function (id) { return !shownNode[id]; })) { resetFilters(); }
  }
  function focusNode(id) {
    reveal([id]);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.1, animation: { duration: 300 } });
    pinned = true;
    showNode(id);
  }
  function focusRelations(ids, shown) {
    var actors = [];
    ids.forEach(function (eid) { actors.push(edgeById[eid].from, edgeById[eid].to); });
    reveal(actors);
    network.selectEdges(ids);
    pinned = true;
    showEdge(shown);
  }
  function toggleNeighbours(id) {
    neighboursOf = neighboursOf === id ? null : id;
    applyFilters();
    network.selectNodes([id]);
    fitShown();
    showNode(id);
  }

  // --- legend: actor kinds and relations, each a filter --------------------------------
  function filterRow(parent, attr, value, symbol, name, count, onChange) {
    var li = el('li');
    var label = el('label', 'filter');
    var box = el('input');
    box.type = 'checkbox'; box.checked = true; box.value = value;
    box.setAttribute(attr, value);
    box.addEventListener('change', function () { onChange(box.checked); applyFilters(); });
    label.appendChild(box); label.appendChild(symbol); label.appendChild(el('span', null, name));
    label.appendChild(el('span', 'count', count));
    li.appendChild(label);
    parent.appendChild(li);
  }
  var kindLegend = document.getElementById('kind-legend');
  kindOrder.forEach(function (k) {
    var sym = el('span', 'sym', data.kinds[k].symbol);
    sym.style.color = 'var(--kind-' + k + ')';
    var count = data.nodes.filter(function (n) { return n.kind === k; }).length;
    filterRow(kindLegend, 'data-kind', k, sym, data.kinds[k].name, count,
              function (on) { shownKinds[k] = on; });
  });
  var relFilters = document.getElementById('relation-filters');
  data.relations.forEach(function (r) {
    var line = el('span', 'line');
    line.style.borderTopStyle = (r.dashes && r.dashes.length) ? 'dashed' : 'solid';
    line.style.borderTopColor = 'var(--relation-' + r.id + ')';
    filterRow(relFilters, 'data-relation', r.id, line, r.name, r.count,
              function (on) { shownRelations[r.id] = on; });
  });

  // --- bids at a glance: the most central deals first ------------------------------------
  var bidsEl = document.getElementById('bids');
  var bidGroups = [], bidByKey = {};
  data.edges.filter(function (e) { return e.relation === 'bid'; })
    .sort(function (a, b) { return a.rank - b.rank; })
    .forEach(function (e) {
      var key = (e.attrs && e.attrs.bid) || e.summary;
      if (bidByKey[key]) { bidByKey[key].ids.push(e.id); return; }
      bidByKey[key] = { first: e, ids: [e.id] };
      bidGroups.push(bidByKey[key]);
    });
  function renderBids() {
    clear(bidsEl);
    var shownCount = 0;
    bidGroups.forEach(function (g) {
      var inDates = g.ids.some(function (eid) { return inRange(edgeById[eid].dates); });
      if (!inDates || shownCount >= 100) { return; }
      shownCount += 1;
      var e = g.first;
      var stopped = e.attrs.status === 'Rejected' || e.attrs.status === 'Blocked';
      var li = el('li', stopped ? 'rejected' : '', e.summary);
      var deal = deals[e.attrs.bid];
      if (deal && deal.disagreement) {
        li.classList.add('disagree');
        li.appendChild(el('span', 'flag', ' · articles disagree'));
      }
      li.addEventListener('click', function () {
        if (deal) { openDeal(e.attrs.bid); } else { focusRelations(g.ids, e.id); }
      });
      bidsEl.appendChild(li);
    });
    if (!bidsEl.childNodes.length) {
      bidsEl.appendChild(el('li', 'none', bidGroups.length ? 'No bid in these dates.' : 'No bid found.'));
    }
  }

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
          .filter(function (x) { return x !== undefined; });
        reveal(ids);
        network.selectNodes(ids.filter(function (x) { return shownNode[x]; }));
        pinned = true;
        showTimelineItem(item);
      });
      timelineEl.appendChild(li);
    });
    if (!timelineEl.childNodes.length) { timelineEl.appendChild(el('li', '', 'No dated event.')); }
  }

  // --- search: actors by any name, and evidence sentences ------------------------------
  var search = document.getElementById('search');
  var results = document.getElementById('search-results');
  var names = document.getElementById('actor-names');
  data.nodes.slice(0, 2000).forEach(function (n) {
    var o = document.createElement('option');
    o.value = n.label;
    names.appendChild(o);
  });
  var sentences = [];  // one entry per (relation, sentence), folded once
  data.edges.forEach(function (e) {
    var seen = {};
    e.evidence.forEach(function (ev) {
      if (!ev.sentence || seen[ev.sentence]) { return; }
      seen[ev.sentence] = true;
      sentences.push({ edge: e.id, text: ev.sentence, folded: fold(ev.sentence), ev: ev });
    });
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
  function sentenceMatches(q) {
    var f = fold(q).trim();
    if (f.length < 2) { return []; }
    return sentences.filter(function (s) {
      return s.folded.indexOf(f) >= 0 && evidenceInRange(s.ev) && inRange(edgeById[s.edge].dates);
    });
  }
  function dealMatches(q) {
    // every word of the query in the deal's summary (its bidders' and targets' names)
    var words = fold(q).split(/[^a-z0-9]+/).filter(function (w) { return w; });
    if (!words.length) { return []; }
    return dealOrder.filter(function (iri) {
      return words.every(function (w) { return deals[iri].folded.indexOf(w) >= 0; });
    });
  }
  function snippet(s, q) {
    // the sentence around the match; folding keeps offsets for the accents it strips
    // (NFD then dropping marks leaves one character per original letter, for Latin text)
    var at = s.folded.indexOf(fold(q).trim());
    var start = Math.max(0, at - 40);
    var end = Math.min(s.text.length, at + fold(q).trim().length + 60);
    return (start ? '…' : '') + s.text.slice(start, end) + (end < s.text.length ? '…' : '');
  }
  function showResults(q) {
    clear(results);
    var actors = matches(q), found = sentenceMatches(q);
    if (actors.length) { results.appendChild(el('div', 'group', 'Actors')); }
    actors.slice(0, 12).forEach(function (n) {
      var b = button(null, n.label + ' — ' + kindName(n.kind));
      b.className = 'actor-result';
      b.addEventListener('click', function () { clear(results); focusNode(n.id); });
      results.appendChild(b);
    });
    var dealsFound = dealMatches(q);
    if (dealsFound.length) { results.appendChild(el('div', 'group', 'Deals')); }
    dealsFound.slice(0, 12).forEach(function (iri) {
      var b = button(null, deals[iri].summary + (deals[iri].disagreement ? ' · articles disagree' : ''));
      b.className = 'deal-result';
      b.addEventListener('click', function () { clear(results); openDeal(iri); });
      results.appendChild(b);
    });
    if (found.length) {
      results.appendChild(el('div', 'group', 'Sentences (' + found.length + ')'));
    }
    found.slice(0, 12).forEach(function (s) {
      var b = button(null, '');
      b.className = 'sentence-result';
      b.appendChild(el('span', 'quote', snippet(s, q)));
      b.appendChild(el('span', 'about', edgeById[s.edge].summary));
      b.addEventListener('click', function () { clear(results); focusRelations([s.edge], s.edge); });
      results.appendChild(b);
    });
    return actors.length + dealsFound.length + found.length;
  }
  search.addEventListener('input', function () {
    var list = matches(search.value);
    var exact = list.filter(function (n) { return n.label === search.value; });
    if (exact.length) { clear(results); focusNode(exact[0].id); return; }
    showResults(search.value);
  });
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') {
      var list = matches(search.value), found = sentenceMatches(search.value);
      clear(results);
      if (list.length) { focusNode(list[0].id); }
      else if (found.length) { focusRelations([found[0].edge], found[0].edge); }
      else { setStatus('Nothing matches'); }
    } else if (ev.key === 'Escape') { clear(results); }
  });

  // --- dates ------------------------------------------------------------------------------
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
  function renderLists() {
    renderBids();
    renderTimeline();
    refreshPanel();
    if (search.value && results.firstChild) { showResults(search.value); }
  }

  // --- notice: what is left out, and how to see it ----------------------------------------
  var notice = document.getElementById('notice');
  var noticeText = el('span');
  var showAll = button('show-all', 'Show all actors');
  showAll.addEventListener('click', function () {
    focusSet = focusSet === null ? initialFocus() : null;
    neighboursOf = null;
    applyFilters();
    fitShown();
  });
  notice.appendChild(noticeText);
  notice.appendChild(showAll);
  if (data.leftOut.length) {
    var det = el('details');
    det.appendChild(el('summary', null, 'Left out'));
    det.appendChild(el('span', null, data.leftOut.join(', ') +
      (data.leftOutCount > data.leftOut.length ? ', …' : '')));
    notice.appendChild(det);
  }
  function updateNotice() {
    var parts = [];
    if (data.notice) { parts.push(data.notice); }
    if (neighboursOf !== null) {
      parts.push('Showing ' + byId[neighboursOf].label + ' and its neighbours only.');
    } else if (focusSet !== null) {
      var n = Object.keys(focusSet).length;
      parts.push('Showing the ' + n + ' most central actors and their deals, of ' + data.nodes.length +
                 ', so labels stay readable. Search, click a bid or an event to bring others in, or:');
    } else if (data.focus) {
      parts.push('Showing all ' + data.nodes.length + ' actors.');
    }
    noticeText.textContent = parts.join(' ') + ' ';
    showAll.hidden = !data.focus && neighboursOf === null;
    showAll.textContent = neighboursOf === null && focusSet === null ? 'Most central only' : 'Show all actors';
    notice.hidden = !parts.length;
  }

  // --- reset: back to how the page opened -------------------------------------------------
  function resetFilters() {
    fromEl.value = ''; toEl.value = ''; dateFrom = ''; dateTo = '';
    Array.prototype.forEach.call(document.querySelectorAll('#left input[type=checkbox]'), function (b) {
      b.checked = true;
    });
    data.relations.forEach(function (r) { shownRelations[r.id] = true; });
    kindOrder.forEach(function (k) { shownKinds[k] = true; });
    neighboursOf = null;
    applyFilters();
  }
  document.getElementById('reset').addEventListener('click', function () {
    search.value = ''; clear(results);
    focusSet = initialFocus();
    current = null; pinned = false;
    resetFilters();
    network.unselectAll();
    // vis-network's tooltip stays up until the mouse moves again: hide it now
    Array.prototype.forEach.call(container.querySelectorAll('.vis-tooltip'), function (t) {
      t.style.visibility = 'hidden';
    });
    clear(panel);
    panelHint.forEach(function (x) { panel.appendChild(x.cloneNode(true)); });
    fitShown();
  });

  applyFilters();
  window.dkg = { network: network, nodes: nodes, edges: edges, nodesView: nodesView,
                 edgesView: edgesView, data: data, showNode: showNode, showEdge: showEdge,
                 focusNode: focusNode, openDeal: openDeal, applyFilters: applyFilters, toggleNeighbours: toggleNeighbours,
                 isReady: function () { return ready; } };
})();
