// Draws the pyvis Network of kg.viz.to_pyvis: data from the page's JSON blocks, never from
// markup, so article text stays text (vis-network writes string titles with innerText).
(function () {
  'use strict';
  function read(id) { return JSON.parse(document.getElementById(id).textContent); }
  var options = read('pyvis-options');
  var config = document.getElementById('config');
  if (config && options.configure) { options.configure.container = config; }
  var nodes = new vis.DataSet(read('pyvis-nodes'));
  var edges = new vis.DataSet(read('pyvis-edges'));
  var network = new vis.Network(document.getElementById('mynetwork'), { nodes: nodes, edges: edges }, options);
  // tests and the benchmark wait for this: laid out, physics stopped or never started
  function ready() { document.body.setAttribute('data-ready', '1'); }
  network.once('stabilizationIterationsDone', ready);
  network.once('stabilized', ready);
  var physics = options.physics || {};
  if (!nodes.length || physics.enabled === false ||
      (physics.stabilization && physics.stabilization.enabled === false)) { ready(); }
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;
}());
