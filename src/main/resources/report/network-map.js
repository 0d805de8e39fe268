/*
 * phiguard network map: draws the data of <script type="application/json" id="pgmap-data"> with
 * Cytoscape.js. Everything is inlined in the page: it loads nothing and sends nothing. Text from
 * the data reaches the page only through textContent and canvas labels, never as markup.
 *
 * Model: every node belongs to a group (a namespace, or "outside the cluster"). A collapsed group
 * is one node whose edges are the precomputed group-to-group aggregates; an expanded group is a
 * compound node holding its workloads, whose edges are the embedded workload-level connections,
 * aggregated again wherever the other end sits in a collapsed group.
 */
(function () {
  'use strict';

  var PHI = '#cf222e';
  var DATA = JSON.parse(document.getElementById('pgmap-data').textContent);
  var root = document.getElementById('pgmap');
  var $ = function (id) { return document.getElementById(id); };

  // ---- the model ----------------------------------------------------------------------------
  var nodeById = {};
  var groupById = {};
  var membersOf = {};
  DATA.groups.forEach(function (g) { groupById[g.id] = g; membersOf[g.id] = []; });
  DATA.nodes.forEach(function (n) { nodeById[n.id] = n; membersOf[n.g].push(n); });
  DATA.edges.forEach(function (e) {
    e.egress = ruleList(e.eg);
    e.ingress = ruleList(e.in);
  });
  var edgesOfGroup = {};
  DATA.groups.forEach(function (g) { edgesOfGroup[g.id] = []; });
  DATA.edges.forEach(function (e) {
    var gs = nodeById[e.s].g, gt = nodeById[e.t].g;
    edgesOfGroup[gs].push(e);
    if (gt !== gs) { edgesOfGroup[gt].push(e); }
  });
  var groupEdgeByKey = {};
  DATA.groupEdges.forEach(function (a) { groupEdgeByKey[a.s + '>' + a.t] = a; });
  var findingsOfNode = {};
  var findingsOfEdge = {};
  DATA.findings.forEach(function (f, i) {
    f.index = i;
    f.workloads.forEach(function (id) { (findingsOfNode[id] = findingsOfNode[id] || []).push(f); });
    f.edges.forEach(function (id) { (findingsOfEdge[id] = findingsOfEdge[id] || []).push(f); });
  });

  function ruleList(side) {
    return { isolation: side.iso, rules: side.r.map(function (i) { return DATA.rules[i]; }) };
  }

  var state = {
    expanded: {},          // group id -> true
    hiddenGroups: {},      // group id -> true (namespace filter)
    focus: null,           // workload node id: only it and its neighbours
    port: null,            // {protocol|null, port}
    phiOnly: false,
    findingFocus: null
  };
  if (!DATA.collapsed) {
    DATA.groups.forEach(function (g) { state.expanded[g.id] = true; });
  }

  // ---- cytoscape ----------------------------------------------------------------------------
  var style = [
    { selector: 'node', style: {
      'label': 'data(label)', 'font-size': 10, 'font-family': 'system-ui, sans-serif', 'color': '#1b1f24',
      'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'wrap', 'text-max-width': 150,
      'shape': 'round-rectangle', 'width': 'data(w)', 'height': 'data(h)', 'background-color': '#ffffff',
      'border-width': 1.5, 'border-color': '#57606a' } },
    { selector: 'node.phi', style: { 'background-color': '#ffd8d3', 'border-color': PHI, 'border-width': 3,
      'color': '#82071e', 'font-weight': 'bold' } },
    { selector: 'node.external', style: { 'shape': 'cut-rectangle', 'background-color': '#f6f8fa',
      'border-style': 'dashed', 'border-color': '#8c959f' } },
    { selector: 'node.group', style: { 'shape': 'round-rectangle', 'background-color': '#f6f8fa',
      'background-opacity': 0.6, 'border-color': '#8c959f', 'border-width': 1.5, 'label': 'data(label)',
      'text-valign': 'top', 'text-halign': 'center', 'font-size': 12, 'font-weight': 'bold', 'color': '#424a53',
      'padding': 14, 'text-margin-y': -4 } },
    { selector: 'node.group.phi', style: { 'background-color': '#fff1f0', 'background-opacity': 0.9,
      'border-color': PHI, 'border-width': 3, 'border-style': 'solid', 'color': PHI } },
    { selector: 'node.group.outside', style: { 'border-style': 'dashed', 'background-opacity': 0.3 } },
    { selector: 'node.namespace', style: { 'shape': 'round-rectangle', 'background-color': '#eaeef2',
      'border-width': 2, 'border-color': '#57606a', 'font-size': 11 } },
    { selector: 'node.namespace.phi', style: { 'background-color': '#ffd8d3', 'border-color': PHI,
      'border-width': 4 } },
    { selector: 'node.has-finding', style: { 'underlay-color': '#fb8f44', 'underlay-padding': 7,
      'underlay-opacity': 0.55, 'underlay-shape': 'round-rectangle' } },
    { selector: 'edge', style: { 'width': 1.2, 'line-color': '#8c959f', 'target-arrow-color': '#8c959f',
      'target-arrow-shape': 'triangle', 'arrow-scale': 0.8, 'curve-style': 'bezier', 'opacity': 0.85,
      'font-size': 9, 'color': '#32383f', 'text-background-color': '#ffffff', 'text-background-opacity': 0.85,
      'text-background-padding': 1 } },
    { selector: 'edge.to-phi', style: { 'line-color': PHI, 'target-arrow-color': PHI, 'width': 2, 'color': PHI } },
    { selector: 'edge.aggregate', style: { 'width': 'data(weight)', 'line-style': 'solid', 'opacity': 0.6 } },
    { selector: 'edge.labelled', style: { 'label': 'data(label)' } },
    { selector: 'edge.dense', style: { 'curve-style': 'haystack', 'haystack-radius': 0, 'width': 0.7,
      'opacity': 0.18, 'target-arrow-shape': 'none' } },
    { selector: 'edge.has-finding', style: { 'width': 3.5, 'line-color': '#a40e26', 'target-arrow-color': '#a40e26',
      'underlay-color': '#fb8f44', 'underlay-padding': 5, 'underlay-opacity': 0.5, 'label': 'data(label)',
      'color': '#a40e26', 'font-weight': 'bold' } },
    { selector: '.search-hit', style: { 'overlay-color': '#0969da', 'overlay-opacity': 0.25,
      'overlay-padding': 6 } },
    { selector: '.finding-focus', style: { 'overlay-color': '#bc4c00', 'overlay-opacity': 0.3,
      'overlay-padding': 6 } },
    { selector: 'node:selected', style: { 'border-color': '#0969da', 'border-width': 4 } },
    { selector: 'edge:selected', style: { 'line-color': '#0969da', 'target-arrow-color': '#0969da', 'width': 4,
      'label': 'data(label)', 'color': '#0969da', 'z-index': 999 } },
    { selector: '.faded', style: { 'opacity': 0.12, 'text-opacity': 0.2, 'underlay-opacity': 0 } },
    { selector: '.hidden', style: { 'display': 'none' } }
  ];

  var big = DATA.totals.workloads > DATA.layeredLimit;
  var cy = cytoscape({
    container: $('pgmap-canvas'),
    style: style,
    elements: [],
    layout: { name: 'preset' },
    minZoom: 0.02,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
    textureOnViewport: big,
    hideEdgesOnViewport: big,
    pixelRatio: 1
  });

  // ---- building the elements ------------------------------------------------------------------
  function rep(nodeId) {
    var n = nodeById[nodeId];
    return state.expanded[n.g] ? n.id : n.g;
  }

  function nodeElement(n) {
    var classes = ['workload'];
    if (n.type === 'external') { classes = ['external']; }
    if (n.phi) { classes.push('phi'); }
    if (findingsOfNode[n.id]) { classes.push('has-finding'); }
    var label = n.type === 'external' ? n.name : (n.phi ? 'PHI \u00b7 ' : '') + n.name + '\n' + n.kind;
    if (findingsOfNode[n.id]) { label += '\n\u26a0 ' + plural(findingsOfNode[n.id].length, 'finding'); }
    return { group: 'nodes', classes: classes.join(' '), data: {
      id: n.id, parent: n.type === 'external' ? undefined : n.g, label: label, type: n.type, full: n.full, w: 160, h: label.split('\n').length * 13 + 14 } };
  }

  function groupElement(g) {
    var expanded = !!state.expanded[g.id];
    var classes = [expanded ? 'group' : 'namespace'];
    if (g.phi) { classes.push('phi'); }
    if (g.outside) { classes.push('outside'); }
    var findingCount = 0;
    membersOf[g.id].forEach(function (n) { findingCount += (findingsOfNode[n.id] || []).length; });
    if (findingCount && !expanded) { classes.push('has-finding'); }
    var label = expanded
      ? (g.phi ? 'PHI zone \u00b7 ' : '') + g.label
      : (g.phi ? 'PHI \u00b7 ' : '') + g.label + '\n' + plural(g.members, g.outside ? 'address range' : 'workload')
        + (findingCount ? '\n\u26a0 ' + plural(findingCount, 'finding') : '') + '\n(click to expand)';
    return { group: 'nodes', classes: classes.join(' '), data: {
      id: g.id, label: label, type: expanded ? 'group' : 'namespace', w: 180, h: label.split('\n').length * 14 + 16 } };
  }

  function edgeElement(e) {
    var classes = ['connection'];
    if (nodeById[e.t].phi) { classes.push('to-phi'); }
    if (findingsOfEdge[e.id]) { classes.push('has-finding'); }
    return { group: 'edges', classes: classes.join(' '), data: {
      id: e.id, source: e.s, target: e.t, label: e.label, type: 'connection' } };
  }

  function aggregateElement(key, s, t, parts) {
    var pairs = 0, shown = 0, label, all = false, ports = null, toPhi = false, finding = false;
    parts.forEach(function (p) {
      pairs += p.n; shown += p.shown;
      if (p.all) { all = true; } else if (!all) { ports = mergePorts(ports, p.p); }
      if (p.toPhi) { toPhi = true; }
      if (p.finding) { finding = true; }
    });
    label = plural(pairs, 'connection') + ' \u00b7 ' + (all ? 'All Connections' : portsText(ports));
    var classes = ['aggregate'];
    if (toPhi) { classes.push('to-phi'); }
    if (finding) { classes.push('has-finding'); }
    return { group: 'edges', classes: classes.join(' '), data: {
      id: 'a:' + key, source: s, target: t, label: label, type: 'aggregate', pairs: pairs, shown: shown,
      weight: Math.min(1 + Math.log(pairs) / Math.LN10, 4), all: all, ports: ports, parts: parts } };
  }

  function build() {
    var elements = [];
    DATA.groups.forEach(function (g) {
      // expanded, the addresses outside the cluster float free: the layered layout puts the ranges
      // that connect in on the left and those connected to on the right
      if (!(g.outside && state.expanded[g.id])) { elements.push(groupElement(g)); }
      if (state.expanded[g.id]) {
        membersOf[g.id].forEach(function (n) { elements.push(nodeElement(n)); });
      }
    });
    // group-to-group aggregates where both ends are collapsed
    var pending = {};
    DATA.groupEdges.forEach(function (a) {
      if (a.s === a.t || state.expanded[a.s] || state.expanded[a.t]) { return; }
      pending[a.s + '>' + a.t] = { s: a.s, t: a.t, parts: [{ n: a.n, shown: a.shown, all: a.all, p: a.p,
        toPhi: a.toPhi, finding: a.finding }] };
    });
    // workload-level connections where at least one end is expanded
    var seen = {};
    Object.keys(state.expanded).forEach(function (gid) {
      edgesOfGroup[gid].forEach(function (e) {
        if (seen[e.id]) { return; }
        seen[e.id] = true;
        var s = rep(e.s), t = rep(e.t);
        if (s === e.s && t === e.t) {
          elements.push(edgeElement(e));
          return;
        }
        if (s === t) { return; }
        var key = s + '>' + t;
        var slot = pending[key] || (pending[key] = { s: s, t: t, parts: [] });
        slot.parts.push({ n: 1, shown: 1, all: e.all, p: e.p, toPhi: !!nodeById[e.t].phi,
          finding: !!findingsOfEdge[e.id] });
      });
    });
    Object.keys(pending).sort().forEach(function (key) {
      var slot = pending[key];
      elements.push(aggregateElement(key, slot.s, slot.t, slot.parts));
    });
    // thousands of arrows: straight, thin and faint, drawn fast; a click still tells the direction
    var dense = elements.filter(function (e) { return e.group === 'edges'; }).length > 500;
    // change only what differs from what is drawn: expanding one namespace of a large map touches a
    // few hundred elements, not all of them
    var wanted = {};
    elements.forEach(function (e) {
      if (dense && e.group === 'edges' && e.classes.indexOf('has-finding') < 0) { e.classes += ' dense'; }
      wanted[e.data.id] = e;
    });
    cy.batch(function () {
      var stale = cy.collection();
      var kept = [];
      cy.elements().forEach(function (ele) {
        var want = wanted[ele.id()];
        if (!want || (want.group === 'nodes' && (ele.data('parent') || undefined) !== want.data.parent)
            || ele.data('type') !== want.data.type) {
          stale = stale.union(ele);
          return;
        }
        kept.push(ele);
        if (ele.data('label') !== want.data.label) { ele.data(want.data); }
        var classes = want.classes + (ele.hasClass('hidden') ? ' hidden' : '') + (ele.hasClass('labelled') ? ' labelled' : '');
        if (ele.classes().slice().sort().join(' ') !== classes.split(' ').filter(Boolean).sort().join(' ')) {
          ele.classes(classes);
        }
      });
      stale.remove();
      // removing a node takes its edges with it: those are added again below
      kept.forEach(function (ele) { if (!ele.removed()) { delete wanted[ele.id()]; } });
      var added = Object.keys(wanted).map(function (id) { return wanted[id]; });
      // parents before children
      added.sort(function (a, b) { return (a.group === 'nodes' ? 0 : 1) - (b.group === 'nodes' ? 0 : 1)
        || (a.data.parent ? 1 : 0) - (b.data.parent ? 1 : 0); });
      cy.add(added);
    });
    labelEdges();
  }

  function labelEdges() {
    var visible = cy.edges().not('.hidden');
    var toPhi = visible.filter('.to-phi');
    var labelled = visible.length <= 60 ? visible : toPhi.length <= 60 ? toPhi : cy.collection();
    cy.batch(function () {
      cy.edges('.labelled').difference(labelled).removeClass('labelled');
      labelled.not('.labelled').addClass('labelled');
    });
  }

  // ---- layout -------------------------------------------------------------------------------
  function layout() {
    var nodes = cy.nodes().not('.group');
    var edges = cy.edges();
    // dagre's layered drawing costs seconds on a few hundred dense edges: large maps get shelves
    if (!big && nodes.length <= DATA.layeredLimit && edges.length <= 3 * DATA.layeredLimit
        && typeof dagre !== 'undefined') {
      try {
        layered();
        return;
      } catch (err) {
        if (window.console) { console.warn('phiguard: layered layout failed, using the grid', err); }
      }
    }
    shelves();
  }

  /** Dagre's layered drawing, left to right, namespaces as clusters. */
  function layered() {
    var g = new dagre.graphlib.Graph({ compound: true });
    g.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 60, edgesep: 6, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(function () { return {}; });
    cy.nodes().forEach(function (n) {
      if (n.isParent()) { g.setNode(n.id(), {}); return; }
      g.setNode(n.id(), { width: n.data('w'), height: n.data('h') });
    });
    cy.nodes().forEach(function (n) { if (n.isChild()) { g.setParent(n.id(), n.parent().id()); } });
    cy.edges().forEach(function (e) {
      if (e.source().id() !== e.target().id()) { g.setEdge(e.source().id(), e.target().id()); }
    });
    dagre.layout(g);
    cy.nodes().not(':parent').positions(function (n) {
      var p = g.node(n.id());
      return { x: p.x, y: p.y };
    });
    cy.fit(cy.elements().not('.hidden'), 30);
  }

  /**
   * A fast drawing for large maps: every top-level unit (a collapsed namespace, an expanded one
   * with its workloads in a grid, an address range group) on shelves, PHI first. Linear time, so
   * expanding a namespace of a large cluster never blocks the page.
   */
  function shelves() {
    var units = DATA.groups.map(function (g) {
      var members = state.expanded[g.id] ? membersOf[g.id] : [];
      var cols = Math.max(1, Math.ceil(Math.sqrt(members.length * 1.6)));
      var rows = Math.ceil(members.length / cols);
      return { g: g, members: members, cols: cols,
        w: members.length ? cols * 180 + 40 : 200, h: members.length ? rows * 70 + 60 : 90 };
    });
    units.sort(function (a, b) {
      var ka = (a.g.phi ? 0 : a.g.outside ? 2 : 1), kb = (b.g.phi ? 0 : b.g.outside ? 2 : 1);
      return ka - kb || (a.g.label < b.g.label ? -1 : a.g.label > b.g.label ? 1 : 0);
    });
    var area = 0;
    units.forEach(function (u) { area += (u.w + 40) * (u.h + 40); });
    var width = Math.max(1200, Math.sqrt(area) * 1.4);
    var x = 0, y = 0, rowHeight = 0, positions = {};
    units.forEach(function (u) {
      if (x > 0 && x + u.w > width) { x = 0; y += rowHeight + 40; rowHeight = 0; }
      if (u.members.length) {
        u.members.forEach(function (n, i) {
          positions[n.id] = { x: x + 110 + (i % u.cols) * 180, y: y + 60 + Math.floor(i / u.cols) * 70 };
        });
      } else {
        positions[u.g.id] = { x: x + u.w / 2, y: y + u.h / 2 };
      }
      x += u.w + 40;
      rowHeight = Math.max(rowHeight, u.h);
    });
    cy.nodes().not(':parent').positions(function (n) { return positions[n.id()] || { x: 0, y: 0 }; });
    cy.fit(cy.elements().not('.hidden'), 30);
  }

  // ---- filters --------------------------------------------------------------------------------
  function parsePort(text) {
    var m = /^\s*(\d{1,5})\s*(?:\/\s*(tcp|udp|sctp))?\s*$/i.exec(text || '');
    if (!m) { return null; }
    var port = parseInt(m[1], 10);
    if (port < 1 || port > 65535) { return null; }
    return { port: port, protocol: m[2] ? m[2].toUpperCase() : null };
  }

  function allowsPort(all, ports, filter) {
    if (all) { return true; }
    if (!ports) { return false; }
    return Object.keys(ports).some(function (protocol) {
      if (filter.protocol && filter.protocol !== protocol) { return false; }
      return ports[protocol].some(function (r) { return r[0] <= filter.port && filter.port <= r[1]; });
    });
  }

  function applyFilters() {
    var focusNode = state.focus;
    var neighbours = null;
    if (focusNode) {
      neighbours = {};
      neighbours[focusNode] = true;
      DATA.edges.forEach(function (e) {
        if (e.s === focusNode) { neighbours[rep(e.t)] = true; }
        if (e.t === focusNode) { neighbours[rep(e.s)] = true; }
      });
    }
    // toggle only what changes: restyling thousands of elements is what would make a large map lag
    function set(ele, hide) { if (hide !== ele.hasClass('hidden')) { ele.toggleClass('hidden', hide); } }
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var type = n.data('type');
        var gid = type === 'group' || type === 'namespace' ? n.id() : nodeById[n.id()].g;
        var hide = !!state.hiddenGroups[gid];
        if (!hide && neighbours && type !== 'group') { hide = !neighbours[n.id()]; }
        if (type !== 'group') { set(n, hide); }
      });
      cy.edges().forEach(function (e) {
        var hide = e.source().hasClass('hidden') || e.target().hasClass('hidden');
        if (!hide && focusNode && e.source().id() !== focusNode && e.target().id() !== focusNode) { hide = true; }
        if (!hide && state.port) {
          var d = e.data();
          if (d.type === 'connection') {
            var model = DATA.edges[edgeIndex(d.id)];
            hide = !allowsPort(model.all, model.p, state.port);
          } else {
            hide = !d.parts.some(function (p) { return allowsPort(p.all, p.p, state.port); });
          }
        }
        if (!hide && state.phiOnly) {
          hide = !(e.source().hasClass('phi') || e.target().hasClass('phi'));
        }
        set(e, hide);
      });
      // an expanded group whose members are all hidden is hidden too
      cy.nodes('.group').forEach(function (g) {
        set(g, !!state.hiddenGroups[g.id()] || g.children().not('.hidden').length === 0);
      });
    });
    labelEdges();
    updateCounts();
  }

  function edgeIndex(id) { return parseInt(id.substring(1), 10); }

  // ---- details --------------------------------------------------------------------------------
  var details = $('pgmap-details');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function show(title, build) {
    details.textContent = '';
    details.removeAttribute('data-edge');
    details.removeAttribute('data-finding');
    details.appendChild(el('h3', 'pgmap-details-title', title));
    build(details);
  }

  function field(parent, name, value) {
    var row = el('div', 'pgmap-field');
    row.appendChild(el('span', 'pgmap-field-name', name));
    var v = el('span', 'pgmap-field-value');
    if (typeof value === 'string') { v.textContent = value; } else { v.appendChild(value); }
    row.appendChild(v);
    parent.appendChild(row);
  }

  function button(text, action, cls) {
    var b = el('button', 'pgmap-button' + (cls ? ' ' + cls : ''), text);
    b.type = 'button';
    b.addEventListener('click', action);
    return b;
  }

  function location(rule) {
    return rule.at || 'not in the manifests';
  }

  function sideText(side, direction, who) {
    var box = el('div', 'pgmap-side');
    if (side.isolation === 'outside-cluster') {
      box.appendChild(el('p', 'pgmap-muted', who + ' is outside the cluster: no policy governs its ' + direction + '.'));
    } else if (side.isolation === 'not-isolated') {
      box.appendChild(el('p', 'pgmap-warn', 'No policy selects ' + who + ' for ' + direction
        + ': all ' + direction + ' is allowed.'));
    } else {
      box.appendChild(el('p', null, 'Allowed by ' + plural(side.rules.length, 'rule') + ':'));
      var list = el('ul', 'pgmap-rules');
      side.rules.forEach(function (r) {
        var li = el('li');
        li.appendChild(el('code', null, r.policy + ' ' + r.rule));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('span', 'pgmap-loc', location(r)));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    return box;
  }

  function showEdge(edge) {
    var d = edge.data();
    if (d.type === 'connection') {
      var e = DATA.edges[edgeIndex(d.id)];
      var s = nodeById[e.s], t = nodeById[e.t];
      show(s.full + ' \u2192 ' + t.full, function (box) {
        box.setAttribute('data-edge', e.id);
        field(box, 'Connections', e.label);
        var eg = el('div');
        eg.appendChild(sideText(e.egress, 'egress', s.full));
        field(box, 'Egress of source', eg);
        var ing = el('div');
        ing.appendChild(sideText(e.ingress, 'ingress', t.full));
        field(box, 'Ingress of destination', ing);
        if (t.phi) { box.appendChild(el('p', 'pgmap-phi-note', 'The destination holds PHI: ' + t.why)); }
        findingLinks(box, findingsOfEdge[e.id]);
      });
    } else {
      var src = cy.getElementById(d.source), dst = cy.getElementById(d.target);
      show(nameOf(src) + ' \u2192 ' + nameOf(dst), function (box) {
        field(box, 'Connections', plural(d.pairs, 'workload pair') + (d.shown < d.pairs ? ' (' + d.shown
          + ' of them embedded in this page)' : ''));
        field(box, 'Ports', d.all ? 'All Connections' : portsText(d.ports));
        box.appendChild(el('p', 'pgmap-muted', 'A collapsed namespace stands for all its workloads. Expand it to see'
          + ' each connection and the rules that allow it.'));
        var actions = el('div', 'pgmap-actions');
        [src, dst].forEach(function (n) {
          if (n.data('type') === 'namespace') {
            actions.appendChild(button('Expand ' + groupById[n.id()].label, function () { expand(n.id()); }));
          }
        });
        box.appendChild(actions);
      });
    }
  }

  function nameOf(node) {
    var n = nodeById[node.id()];
    if (n) { return n.full; }
    return groupById[node.id()].label;
  }

  function showNode(node) {
    var type = node.data('type');
    if (type === 'namespace') {
      expand(node.id());
      return;
    }
    if (type === 'group') {
      var g = groupById[node.id()];
      show(g.label, function (box) {
        field(box, g.outside ? 'Address ranges' : 'Workloads', String(g.members));
        if (g.phi) { box.appendChild(el('p', 'pgmap-phi-note', 'This namespace holds PHI.')); }
        box.appendChild(button('Collapse', function () { collapse(g.id); }));
      });
      return;
    }
    var n = nodeById[node.id()];
    show(n.full, function (box) {
      if (n.type === 'external') {
        field(box, 'Addresses', n.range);
        field(box, 'CIDRs', n.cidrs.join(', '));
      } else {
        field(box, 'Namespace', n.ns);
        field(box, 'Kind', n.kind);
        if (n.phi) { box.appendChild(el('p', 'pgmap-phi-note', 'Holds PHI: ' + n.why)); }
      }
      var out = 0, inn = 0;
      DATA.edges.forEach(function (e) { if (e.s === n.id) { out++; } if (e.t === n.id) { inn++; } });
      field(box, 'Connections', out + ' out, ' + inn + ' in' + (DATA.capped ? ' (of those embedded)' : ''));
      findingLinks(box, findingsOfNode[n.id]);
      var actions = el('div', 'pgmap-actions');
      actions.appendChild(button('Only this and its neighbours', function () {
        $('pgmap-workload').value = n.full;
        setFocus(n.id);
      }));
      box.appendChild(actions);
    });
  }

  function findingLinks(box, findings) {
    if (!findings || !findings.length) { return; }
    var list = el('ul', 'pgmap-finding-links');
    findings.forEach(function (f) {
      var li = el('li');
      var a = el('a', 'pgmap-link', f.id);
      a.href = '#';
      a.addEventListener('click', function (ev) { ev.preventDefault(); selectFinding(f); });
      li.appendChild(sevBadge(f.severity));
      li.appendChild(a);
      li.appendChild(document.createTextNode(' ' + f.title));
      list.appendChild(li);
    });
    field(box, 'Findings', list);
  }

  function sevBadge(severity) {
    return el('span', 'pgmap-sev pgmap-sev-' + severity, severity);
  }

  // ---- findings ---------------------------------------------------------------------------------
  function renderFindings() {
    var list = $('pgmap-findings');
    if (!list || DATA.mode !== 'audit') { return; }
    list.textContent = '';
    if (!DATA.findings.length) {
      list.appendChild(el('li', 'pgmap-muted', 'No findings.'));
      return;
    }
    DATA.findings.forEach(function (f) {
      var li = el('li', 'pgmap-finding');
      li.id = 'pgmap-finding-' + f.index;
      li.setAttribute('data-finding', f.id);
      li.tabIndex = 0;
      li.appendChild(sevBadge(f.severity));
      li.appendChild(el('span', 'pgmap-finding-id', f.id));
      li.appendChild(el('span', 'pgmap-finding-msg', f.message));
      li.addEventListener('click', function () { selectFinding(f); });
      li.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { selectFinding(f); } });
      list.appendChild(li);
    });
  }

  function selectFinding(f) {
    var needed = false;
    f.workloads.concat(f.edges.map(function (id) { return DATA.edges[edgeIndex(id)].s; }),
      f.edges.map(function (id) { return DATA.edges[edgeIndex(id)].t; })).forEach(function (id) {
      var g = nodeById[id].g;
      if (!state.expanded[g]) { state.expanded[g] = true; needed = true; }
    });
    if (needed) { rebuild(); }
    state.findingFocus = f.id;
    var items = document.querySelectorAll('.pgmap-finding');
    Array.prototype.forEach.call(items, function (li) {
      li.classList.toggle('pgmap-active', li.getAttribute('data-finding') === f.id);
    });
    var focus = cy.collection();
    f.workloads.forEach(function (id) { focus = focus.union(cy.getElementById(id)); });
    f.edges.forEach(function (id) {
      var e = cy.getElementById(id);
      focus = focus.union(e).union(e.connectedNodes());
    });
    cy.batch(function () {
      cy.elements().removeClass('finding-focus faded');
      focus.addClass('finding-focus');
      cy.elements().not(focus).not(':parent').addClass('faded');
    });
    if (focus.length) { cy.animate({ fit: { eles: focus, padding: 60 } }, { duration: 250 }); }
    show(f.id, function (box) {
      box.setAttribute('data-finding', f.id);
      var head = el('p');
      head.appendChild(sevBadge(f.severity));
      head.appendChild(el('strong', null, ' ' + f.control + ' ' + f.title));
      box.appendChild(head);
      field(box, 'Finding', f.message);
      field(box, 'Location', f.location);
      if (f.workloads.length) {
        field(box, 'Workloads', f.workloads.map(function (id) { return nodeById[id].full; }).join(', '));
      }
      if (f.connections.length) {
        var cl = el('ul', 'pgmap-evidence');
        f.connections.forEach(function (c, i) {
          var li = el('li');
          var edgeId = f.edgeOf[i];
          if (edgeId) {
            var a = el('a', 'pgmap-link', c);
            a.href = '#';
            a.addEventListener('click', function (ev) {
              ev.preventDefault();
              var e = cy.getElementById(edgeId);
              cy.elements().unselect();
              e.select();
              showEdge(e);
            });
            li.appendChild(a);
          } else {
            li.textContent = c;
          }
          cl.appendChild(li);
        });
        field(box, 'Connections', cl);
      }
      if (f.rules.length) {
        var rl = el('ul', 'pgmap-rules');
        f.rules.forEach(function (r) {
          var li = el('li');
          li.appendChild(el('code', null, r.policy + ' ' + r.rule));
          li.appendChild(document.createTextNode(' '));
          li.appendChild(el('span', 'pgmap-loc', location(r)));
          rl.appendChild(li);
        });
        field(box, 'Rules', rl);
      }
      field(box, 'Remediation', f.remediation);
      if (f.anchor && document.getElementById(f.anchor)) {
        var link = el('a', 'pgmap-link', 'The finding in the report \u2193');
        link.href = '#' + f.anchor;
        box.appendChild(link);
      }
    });
  }

  function clearFindingFocus() {
    state.findingFocus = null;
    cy.elements().removeClass('finding-focus faded');
    Array.prototype.forEach.call(document.querySelectorAll('.pgmap-finding'), function (li) {
      li.classList.remove('pgmap-active');
    });
  }

  // ---- expand / collapse ----------------------------------------------------------------------
  function rebuild() {
    build();
    layout();
    applyFilters();
  }

  function expand(gid) {
    if (state.expanded[gid]) { return; }
    state.expanded[gid] = true;
    rebuild();
    var g = cy.getElementById(gid);
    if (big && g.length) {
      cy.animate({ fit: { eles: g.union(g.children()), padding: 80 } }, { duration: 200 });
    }
    setStatus('Expanded ' + groupById[gid].label + '.');
  }

  function collapse(gid) {
    if (!state.expanded[gid]) { return; }
    delete state.expanded[gid];
    if (state.focus && nodeById[state.focus].g === gid) { state.focus = null; $('pgmap-workload').value = ''; }
    rebuild();
    setStatus('Collapsed ' + groupById[gid].label + '.');
  }

  // ---- search ---------------------------------------------------------------------------------
  function search(text) {
    var query = (text || '').trim().toLowerCase();
    var results = $('pgmap-search-results');
    results.textContent = '';
    cy.elements().removeClass('search-hit');
    if (!query) { results.hidden = true; return []; }
    var hits = [];
    DATA.nodes.forEach(function (n) {
      if (n.full.toLowerCase().indexOf(query) >= 0 || n.name.toLowerCase().indexOf(query) >= 0) { hits.push(n); }
    });
    DATA.groups.forEach(function (g) {
      if (g.label.toLowerCase().indexOf(query) >= 0) { hits.push({ id: g.id, full: g.label, group: true }); }
    });
    results.hidden = false;
    results.appendChild(el('li', 'pgmap-muted', plural(hits.length, 'match') + (hits.length > 50 ? ', first 50:' : '')));
    hits.slice(0, 50).forEach(function (n) {
      var li = el('li', 'pgmap-result');
      var a = el('a', 'pgmap-link', n.full);
      a.href = '#';
      a.setAttribute('data-id', n.id);
      a.addEventListener('click', function (ev) { ev.preventDefault(); reveal(n.id); });
      li.appendChild(a);
      results.appendChild(li);
    });
    cy.batch(function () {
      hits.forEach(function (n) {
        var shown = cy.getElementById(n.group ? n.id : rep(n.id));
        shown.addClass('search-hit');
      });
    });
    return hits;
  }

  function reveal(id) {
    var n = nodeById[id];
    if (n && !state.expanded[n.g]) { expand(n.g); }
    if (n && state.hiddenGroups[n.g]) {
      delete state.hiddenGroups[n.g];
      var box = $('pgmap-ns-' + n.g);
      if (box) { box.checked = true; }
      applyFilters();
    }
    var node = cy.getElementById(id);
    if (!node.length) { return; }
    cy.elements().unselect();
    node.select();
    node.addClass('search-hit');
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) }, { duration: 200 });
    showNode(node);
  }

  // ---- export -----------------------------------------------------------------------------------
  function download(name, blob) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  function png() {
    return cy.png({ output: 'base64uri', bg: '#ffffff', full: true, scale: 2, maxWidth: 6000, maxHeight: 6000 });
  }

  function xml(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;');
  }

  /** The visible drawing as SVG: rectangles, lines and text at the positions on screen. */
  function svg() {
    var visible = cy.elements().not('.hidden');
    var bb = visible.boundingBox({ includeLabels: true });
    var pad = 20;
    var out = [];
    out.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + Math.ceil(bb.w + 2 * pad) + '" height="'
      + Math.ceil(bb.h + 2 * pad) + '" viewBox="' + (bb.x1 - pad) + ' ' + (bb.y1 - pad) + ' ' + (bb.w + 2 * pad)
      + ' ' + (bb.h + 2 * pad) + '" font-family="system-ui, sans-serif">');
    out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6"'
      + ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>');
    out.push('<rect x="' + (bb.x1 - pad) + '" y="' + (bb.y1 - pad) + '" width="' + (bb.w + 2 * pad) + '" height="'
      + (bb.h + 2 * pad) + '" fill="#ffffff"/>');
    visible.nodes(':parent').forEach(function (n) {
      var b = n.boundingBox({ includeLabels: false });
      var phi = n.hasClass('phi');
      out.push('<g class="group" data-id="' + xml(n.id()) + '"><rect x="' + b.x1 + '" y="' + b.y1 + '" width="'
        + b.w + '" height="' + b.h + '" rx="8" fill="' + (phi ? '#fff1f0' : '#f6f8fa') + '" stroke="'
        + (phi ? PHI : '#8c959f') + '" stroke-width="' + (phi ? 3 : 1.5) + '"/><text x="' + (b.x1 + b.w / 2)
        + '" y="' + (b.y1 - 6) + '" text-anchor="middle" font-size="12" font-weight="bold" fill="'
        + (phi ? PHI : '#424a53') + '">' + xml(n.data('label')) + '</text></g>');
    });
    visible.edges().forEach(function (e) {
      var s = e.sourceEndpoint(), t = e.targetEndpoint();
      var color = e.hasClass('has-finding') ? '#a40e26' : e.hasClass('to-phi') ? PHI : '#8c959f';
      out.push('<g class="edge" data-id="' + xml(e.id()) + '"><line x1="' + s.x + '" y1="' + s.y + '" x2="' + t.x
        + '" y2="' + t.y + '" stroke="' + color + '" stroke-width="' + (e.hasClass('has-finding') ? 3 : 1.2)
        + '" marker-end="url(#arrow)"/>');
      if (e.hasClass('labelled') || e.hasClass('has-finding')) {
        var m = e.midpoint();
        out.push('<text x="' + m.x + '" y="' + m.y + '" text-anchor="middle" font-size="9" fill="' + color + '">'
          + xml(e.data('label')) + '</text>');
      }
      out.push('</g>');
    });
    visible.nodes().not(':parent').forEach(function (n) {
      var p = n.position(), w = n.width(), h = n.height();
      var phi = n.hasClass('phi');
      var fill = n.hasClass('external') ? '#f6f8fa' : phi ? '#ffd8d3' : n.hasClass('namespace') ? '#eaeef2' : '#ffffff';
      var lines = String(n.data('label')).split('\n');
      out.push('<g class="node" data-id="' + xml(n.id()) + '"><rect x="' + (p.x - w / 2) + '" y="' + (p.y - h / 2)
        + '" width="' + w + '" height="' + h + '" rx="6" fill="' + fill + '" stroke="' + (phi ? PHI : '#57606a')
        + '" stroke-width="' + (phi ? 3 : 1.5) + '"' + (n.hasClass('external') ? ' stroke-dasharray="4 2"' : '')
        + '/>');
      lines.forEach(function (line, i) {
        out.push('<text x="' + p.x + '" y="' + (p.y - (lines.length - 1) * 6.5 + i * 13 + 3.5)
          + '" text-anchor="middle" font-size="10" fill="' + (phi ? '#82071e' : '#1b1f24') + '">' + xml(line)
          + '</text>');
      });
      out.push('</g>');
    });
    out.push('</svg>');
    return out.join('\n');
  }

  // ---- small helpers ----------------------------------------------------------------------------
  function plural(n, noun) {
    var irregular = { match: 'matches', 'address range': 'address ranges' };
    return n + ' ' + (n === 1 ? noun : irregular[noun] || noun + 's');
  }

  function mergePorts(into, ports) {
    var result = {};
    [into || {}, ports || {}].forEach(function (source) {
      Object.keys(source).forEach(function (protocol) {
        result[protocol] = (result[protocol] || []).concat(source[protocol]);
      });
    });
    Object.keys(result).forEach(function (protocol) {
      var ranges = result[protocol].slice().sort(function (a, b) { return a[0] - b[0]; });
      var merged = [];
      ranges.forEach(function (r) {
        var last = merged[merged.length - 1];
        if (last && r[0] <= last[1] + 1) { last[1] = Math.max(last[1], r[1]); } else { merged.push([r[0], r[1]]); }
      });
      result[protocol] = merged;
    });
    return result;
  }

  function portsText(ports) {
    if (!ports) { return ''; }
    return Object.keys(ports).sort().map(function (protocol) {
      return protocol + ' ' + ports[protocol].map(function (r) {
        return r[0] === r[1] ? String(r[0]) : r[0] + '-' + r[1];
      }).join(',');
    }).join(',');
  }

  function setStatus(text) { $('pgmap-status').textContent = text; }

  function updateCounts() {
    var nodes = cy.nodes().not('.hidden').not(':parent');
    var edges = cy.edges().not('.hidden');
    $('pgmap-count-workloads').textContent = String(nodes.filter('.workload').length);
    $('pgmap-count-externals').textContent = String(nodes.filter('.external').length);
    $('pgmap-count-namespaces').textContent = String(nodes.filter('.namespace').length);
    $('pgmap-count-edges').textContent = String(edges.length);
  }

  function setFocus(nodeId) {
    state.focus = nodeId;
    if (nodeId && !state.expanded[nodeById[nodeId].g]) {
      state.expanded[nodeById[nodeId].g] = true;
      rebuild();
      return;
    }
    applyFilters();
  }

  // ---- controls -------------------------------------------------------------------------------
  function setUpControls() {
    var nsList = $('pgmap-ns-list');
    DATA.groups.forEach(function (g) {
      var label = el('label', 'pgmap-ns-item' + (g.phi ? ' pgmap-ns-phi' : ''));
      var box = el('input');
      box.type = 'checkbox';
      box.checked = true;
      box.id = 'pgmap-ns-' + g.id;
      box.setAttribute('data-namespace', g.name);
      box.addEventListener('change', function () {
        if (box.checked) { delete state.hiddenGroups[g.id]; } else { state.hiddenGroups[g.id] = true; }
        applyFilters();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(' ' + g.label + (g.phi ? ' (PHI)' : '')));
      nsList.appendChild(label);
    });
    $('pgmap-ns-all').addEventListener('click', function () { setAllGroups(true); });
    $('pgmap-ns-none').addEventListener('click', function () { setAllGroups(false); });

    var datalist = $('pgmap-workload-list');
    DATA.nodes.forEach(function (n) {
      if (n.type !== 'workload') { return; }
      var option = el('option');
      option.value = n.full;
      datalist.appendChild(option);
    });
    var byFull = {};
    DATA.nodes.forEach(function (n) { byFull[n.full] = n.id; });
    var workload = $('pgmap-workload');
    workload.addEventListener('change', function () {
      var id = byFull[workload.value.trim()];
      workload.classList.toggle('pgmap-invalid', !!workload.value.trim() && !id);
      setFocus(id || null);
    });
    var port = $('pgmap-port');
    port.addEventListener('input', function () {
      var text = port.value.trim();
      state.port = text ? parsePort(text) : null;
      port.classList.toggle('pgmap-invalid', !!text && !state.port);
      applyFilters();
    });
    $('pgmap-phi-only').addEventListener('change', function (ev) { state.phiOnly = ev.target.checked; applyFilters(); });
    var timer = null;
    var searchBox = $('pgmap-search');
    searchBox.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(searchBox.value); }, 120);
    });
    searchBox.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        var hits = search(searchBox.value);
        if (hits.length) {
          if (hits[0].group) { expand(hits[0].id); } else { reveal(hits[0].id); }
        }
      }
    });
    $('pgmap-reset').addEventListener('click', function () {
      state.focus = null; state.port = null; state.phiOnly = false; state.hiddenGroups = {};
      workload.value = ''; port.value = ''; $('pgmap-phi-only').checked = false; searchBox.value = '';
      Array.prototype.forEach.call(nsList.querySelectorAll('input'), function (b) { b.checked = true; });
      search('');
      clearFindingFocus();
      applyFilters();
      cy.fit(cy.elements().not('.hidden'), 30);
    });
    $('pgmap-fit').addEventListener('click', function () { cy.fit(cy.elements().not('.hidden'), 30); });
    $('pgmap-expand-all').addEventListener('click', function () {
      if (DATA.totals.workloads > DATA.expandAllLimit) {
        setStatus('Too many workloads to expand at once (' + DATA.totals.workloads + '); expand namespaces one by one.');
        return;
      }
      DATA.groups.forEach(function (g) { state.expanded[g.id] = true; });
      rebuild();
    });
    $('pgmap-collapse-all').addEventListener('click', function () { state.expanded = {}; state.focus = null; rebuild(); });
    $('pgmap-png').addEventListener('click', function () {
      var uri = png();
      var bytes = atob(uri.substring(uri.indexOf(',') + 1));
      var array = new Uint8Array(bytes.length);
      for (var i = 0; i < bytes.length; i++) { array[i] = bytes.charCodeAt(i); }
      download('phiguard-network-map.png', new Blob([array], { type: 'image/png' }));
    });
    $('pgmap-svg').addEventListener('click', function () {
      download('phiguard-network-map.svg', new Blob([svg()], { type: 'image/svg+xml' }));
    });

    cy.on('tap', 'edge', function (ev) { showEdge(ev.target); });
    cy.on('tap', 'node', function (ev) { showNode(ev.target); });
    cy.on('tap', function (ev) {
      if (ev.target === cy) {
        clearFindingFocus();
        details.textContent = '';
        details.appendChild(el('p', 'pgmap-muted', DETAILS_HINT));
      }
    });
  }

  function setAllGroups(visible) {
    DATA.groups.forEach(function (g) {
      if (visible) { delete state.hiddenGroups[g.id]; } else { state.hiddenGroups[g.id] = true; }
      $('pgmap-ns-' + g.id).checked = visible;
    });
    applyFilters();
  }

  var DETAILS_HINT = 'Click a connection to see the policy rules that allow it, a workload for its details,'
    + ' a collapsed namespace to expand it' + (DATA.mode === 'audit' ? ', a finding for its evidence.' : '.');

  // printing: a picture of the map as it is drawn, in place of the interactive part
  function snapshot() {
    var img = $('pgmap-snapshot');
    if (img) { img.src = png(); }
  }

  // ---- start ----------------------------------------------------------------------------------
  setUpControls();
  renderFindings();
  details.appendChild(el('p', 'pgmap-muted', DETAILS_HINT));
  $('pgmap-note').textContent = DATA.note;
  setStatus(DATA.collapsed ? 'Large cluster: namespaces are collapsed. Click one to expand it.' : '');
  rebuild();
  window.addEventListener('beforeprint', snapshot);
  root.setAttribute('data-ready', 'true');
  window.phiguardMap = {
    cy: cy, data: DATA, state: state, expand: expand, collapse: collapse, search: search, reveal: reveal,
    selectFinding: function (id) {
      var f = DATA.findings.filter(function (x) { return x.id === id; })[0];
      if (f) { selectFinding(f); }
    },
    png: png, svg: svg, ready: true
  };
}());
