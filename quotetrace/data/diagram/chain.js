
/* quotetrace chain view: lays each claim group out with dagre and draws it as SVG.
   The data is article text, so it enters the page only as text (textContent, createTextNode)
   or as attribute values that are neither URLs nor event handlers; a link is made only for an
   http(s) URL. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var TYPES = { person: "person", organization: "organization", outlet: "outlet", unnamed: "unnamed source" };
  var KINDS = { said: "said", relayed: "relayed", reported_by: "reported by", carried_by: "carried by",
                published: "published", republished: "republished", inferred: "inferred reuse" };
  var LAYERS = { origin: 0, relay: 1, intermediary: 2, original_outlet: 3, site: 4 };
  var LAYER_WORDS = { origin: "origin", relay: "relay", intermediary: "intermediary",
                      original_outlet: "original outlet", site: "site" };
  var NAME_CHARS = 30, ROLE_CHARS = 36;

  function html(name, cls, words) {
    var node = document.createElement(name);
    if (cls) { node.setAttribute("class", cls); }
    if (words !== undefined && words !== null) { node.textContent = String(words); }
    return node;
  }
  function svg(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function short(text, limit) {
    text = String(text).replace(/\s+/g, " ").trim();
    return text.length > limit ? text.slice(0, limit - 1).trim() + "\u2026" : text;
  }
  function basename(path) {
    var parts = String(path).split(/[\\/]/);
    return parts[parts.length - 1] || String(path);
  }
  /* Only http and https become links: never javascript:, data: or a relative path. */
  function webUrl(value) {
    if (typeof value !== "string" || !/^\s*https?:\/\//i.test(value)) { return null; }
    try {
      var url = new URL(value.trim());
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }
  function edgeWords(edge) {
    var words = (edge.kinds && edge.kinds.length ? edge.kinds : [edge.kind]).map(function (kind) {
      return KINDS[kind] || String(kind);
    }).join(" / ");
    if (edge.kind === "inferred") { return words + " " + Number(edge.confidence).toFixed(2); }
    return words + (edge.quotes.length > 1 ? " \u00d7" + edge.quotes.length : "");
  }
  function kindClass(kind) { return "qt-k-" + (KINDS[kind] ? kind : "said"); }
  function typeClass(type) { return "qt-" + (TYPES[type] ? type : "unnamed"); }

  /* A d3-style basis spline through dagre's edge points. */
  function curve(points) {
    var p = points, d = "M" + p[0].x + "," + p[0].y;
    if (p.length === 2) { return d + "L" + p[1].x + "," + p[1].y; }
    var x0 = p[0].x, y0 = p[0].y, x1 = p[1].x, y1 = p[1].y;
    d += "L" + (5 * x0 + x1) / 6 + "," + (5 * y0 + y1) / 6;
    for (var i = 2; i < p.length; i++) {
      var x = p[i].x, y = p[i].y;
      d += "C" + (2 * x0 + x1) / 3 + "," + (2 * y0 + y1) / 3 + " " + (x0 + 2 * x1) / 3 + "," + (y0 + 2 * y1) / 3 +
           " " + (x0 + 4 * x1 + x) / 6 + "," + (y0 + 4 * y1 + y) / 6;
      x0 = x1; y0 = y1; x1 = x; y1 = y;
    }
    d += "C" + (2 * x0 + x1) / 3 + "," + (2 * y0 + y1) / 3 + " " + (x0 + 2 * x1) / 3 + "," + (y0 + 2 * y1) / 3 +
         " " + x1 + "," + y1;
    return d;
  }

  function swatchNode(type) {
    var box = svg("svg", { width: 30, height: 18, viewBox: "0 0 30 18", "aria-hidden": "true" });
    var g = svg("g", { "class": typeClass(type) });
    g.appendChild(shapeFor(type, 26, 14, 2, 2));
    if (type === "outlet") { g.appendChild(svg("rect", { "class": "qt-inner", x: 4.5, y: 4.5, width: 21, height: 9, rx: 1 })); }
    box.appendChild(g);
    return box;
  }
  function swatchEdge(kind) {
    var box = svg("svg", { width: 34, height: 12, viewBox: "0 0 34 12", "aria-hidden": "true" });
    box.appendChild(svg("path", { "class": "qt-line " + kindClass(kind), d: "M1,6L27,6", "stroke-width": 2, fill: "none" }));
    box.appendChild(svg("path", { "class": kindClass(kind), d: "M26,2L33,6L26,10Z" }));
    return box;
  }
  function legendItem(swatch, words) {
    var item = html("span", "qt-legend-item");
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(words));
    return item;
  }
  function legend() {
    var box = html("div", "qt-legend");
    box.setAttribute("role", "note");
    var types = html("div", "qt-legend-group");
    types.appendChild(html("span", "qt-legend-title", "Nodes"));
    Object.keys(TYPES).forEach(function (t) { types.appendChild(legendItem(swatchNode(t), TYPES[t])); });
    var kinds = html("div", "qt-legend-group");
    kinds.appendChild(html("span", "qt-legend-title", "Arrows"));
    Object.keys(KINDS).forEach(function (k) { kinds.appendChild(legendItem(swatchEdge(k), KINDS[k])); });
    var first = html("div", "qt-legend-group");
    first.appendChild(html("span", "qt-legend-title", "Bold"));
    first.appendChild(html("span", "", "the path of the first appearance (\u2605 where it was first published)"));
    box.appendChild(types);
    box.appendChild(kinds);
    box.appendChild(first);
    return box;
  }

  function shapeFor(type, w, h, x, y) {
    var rx = type === "person" ? h / 2 : type === "organization" ? 3 : type === "outlet" ? 1.5 : 8;
    return svg("rect", { "class": "qt-shape", x: x, y: y, width: w, height: h, rx: rx, ry: rx });
  }

  function quoteItem(q) {
    var item = html("li", "qt-quote");
    var said = html("blockquote", "");
    if (q.first) { said.appendChild(html("span", "qt-badge", "first appearance")); }
    said.appendChild(document.createTextNode("\u201c" + q.text + "\u201d"));
    item.appendChild(said);
    item.appendChild(html("p", "", (q.speaker ? q.speaker : "speaker unknown") + " \u00b7 " + q.kind + " quote"));
    var where = [q.outlet || "outlet unknown", q.published || "undated", "chars " + q.start + "\u2013" + q.end];
    var line = html("p", "", "");
    var file = html("span", "", basename(q.article));
    file.setAttribute("title", String(q.article));
    line.appendChild(file);
    line.appendChild(document.createTextNode(" \u00b7 " + where.join(" \u00b7 ")));
    item.appendChild(line);
    if (q.title) { item.appendChild(html("p", "", "\u201c" + q.title + "\u201d")); }
    var href = webUrl(q.url);
    if (href) {
      var p = html("p", "", "");
      var a = html("a", "", q.url);
      a.setAttribute("href", href);
      a.setAttribute("rel", "noopener noreferrer");
      p.appendChild(a);
      item.appendChild(p);
    } else if (q.url) {
      item.appendChild(html("p", "", "url (not a web link): " + q.url));
    }
    return item;
  }

  function showDetails(panel, heading, what, ids, quotes) {
    clear(panel);
    panel.appendChild(html("h3", "", heading));
    panel.appendChild(html("p", "qt-what", what + " \u00b7 " + ids.length + " quote" + (ids.length === 1 ? "" : "s")));
    var list = html("ol", "");
    ids.forEach(function (id) { if (quotes[id]) { list.appendChild(quoteItem(quotes[id])); } });
    panel.appendChild(list);
  }

  function bind(target, show, selectable, all) {
    function pick() {
      all.forEach(function (other) { other.classList.remove("qt-selected"); });
      selectable.classList.add("qt-selected");
      show();
    }
    target.addEventListener("click", pick);
    target.addEventListener("mouseenter", pick);
    target.addEventListener("focus", pick);
    target.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { pick(); event.preventDefault(); }
    });
    return pick;
  }

  function draw(graph, gi, canvas, panel) {
    var quotes = {};
    graph.quotes.forEach(function (q) { quotes[q.id] = q; });
    var box = svg("svg", { "class": "qt-svg", role: "img", "aria-label": "How the claim travelled" });
    var defs = svg("defs");
    Object.keys(KINDS).forEach(function (kind) {
      var marker = svg("marker", { id: "qt-arrow-" + gi + "-" + kind, viewBox: "0 0 10 10", refX: 9, refY: 5,
                                   markerUnits: "userSpaceOnUse", markerWidth: 9, markerHeight: 9,
                                   orient: "auto-start-reverse" });
      marker.appendChild(svg("path", { "class": kindClass(kind), d: "M0,0L10,5L0,10Z" }));
      defs.appendChild(marker);
    });
    box.appendChild(defs);
    var root = svg("g", { "class": "qt-graph" });
    var edgeGroup = svg("g", { "class": "qt-edges" });
    var nodeGroup = svg("g", { "class": "qt-nodes" });
    root.appendChild(edgeGroup);
    root.appendChild(nodeGroup);
    box.appendChild(root);
    canvas.appendChild(box);

    var layout = new dagre.graphlib.Graph({ multigraph: true });
    layout.setGraph({ rankdir: "LR", nodesep: 22, edgesep: 14, ranksep: 26, marginx: 14, marginy: 18 });
    layout.setDefaultEdgeLabel(function () { return {}; });
    var ids = {}, layerOf = {}, drawn = [], picks = [];

    graph.nodes.forEach(function (node, ni) {
      var id = "n" + ni;
      ids[node.name] = id;
      layerOf[id] = LAYERS[node.layer] || 0;
      var g = svg("g", { "class": "qt-node " + typeClass(node.type) + (node.first ? " qt-first" : ""),
                         tabindex: 0, role: "button", "data-node": id, "data-layer": node.layer });
      var tip = svg("title");
      tip.textContent = node.name + (node.role ? " (" + node.role + ")" : "") + " \u2014 " + (TYPES[node.type] || node.type);
      g.appendChild(tip);
      var label = svg("text", { "text-anchor": "middle" });
      var name = svg("tspan", { "class": "qt-name", x: 0 });
      name.textContent = short(node.name, NAME_CHARS);
      label.appendChild(name);
      var role = null;
      if (node.role) {
        role = svg("tspan", { "class": "qt-role", x: 0 });
        role.textContent = short(node.role, ROLE_CHARS);
        label.appendChild(role);
      }
      g.appendChild(label);
      nodeGroup.appendChild(g);
      var width = Math.max(label.getBBox().width + 26, 70), height = role ? 42 : 28;
      name.setAttribute("y", role ? -3 : 4.5);
      if (role) { role.setAttribute("y", 12); }
      g.insertBefore(shapeFor(node.type, width, height, -width / 2, -height / 2), label);
      if (node.type === "outlet") {
        g.insertBefore(svg("rect", { "class": "qt-inner", x: -width / 2 + 3, y: -height / 2 + 3, width: width - 6,
                                     height: height - 6, rx: 1 }), label);
      }
      if (node.first && node.layer === "site") {
        var star = svg("g", { transform: "translate(" + (width / 2 - 4) + "," + (-height / 2 - 1) + ")" });
        star.appendChild(svg("circle", { "class": "qt-star-bg", r: 8 }));
        var glyph = svg("text", { "class": "qt-star", "text-anchor": "middle", y: 4 });
        glyph.textContent = "\u2605";
        star.appendChild(glyph);
        g.appendChild(star);
      }
      layout.setNode(id, { width: width, height: height });
      drawn.push({ g: g, id: id });
      picks.push(g);
      g.qtShow = bind(g, function () {
        showDetails(panel, node.name, (TYPES[node.type] || node.type) + (node.role ? ", " + node.role : "") + " \u00b7 " +
                    LAYER_WORDS[node.layer], node.quotes, quotes);
      }, g, picks);
    });

    var edges = [];
    graph.edges.forEach(function (edge, ei) {
      var v = ids[edge.from], w = ids[edge.to], name = "e" + ei;
      var g = svg("g", { "class": "qt-edge " + kindClass(edge.kind) + (edge.first ? " qt-first" : ""),
                         tabindex: 0, role: "button", "data-edge": name });
      var tip = svg("title");
      tip.textContent = edge.from + " \u2192 " + edge.to + ": " + edgeWords(edge);
      g.appendChild(tip);
      var line = svg("path", { "class": "qt-line " + kindClass(edge.kind),
                               "marker-end": "url(#qt-arrow-" + gi + "-" + (KINDS[edge.kind] ? edge.kind : "said") + ")" });
      var hit = svg("path", { "class": "qt-hit" });
      var labelBg = svg("rect", { "class": "qt-edge-label-bg", rx: 2 });
      var label = svg("text", { "class": "qt-edge-label " + kindClass(edge.kind), "text-anchor": "middle" });
      label.textContent = edgeWords(edge);
      g.appendChild(hit);
      g.appendChild(line);
      g.appendChild(labelBg);
      g.appendChild(label);
      edgeGroup.appendChild(g);
      var size = label.getBBox();
      layout.setEdge(v, w, { width: size.width + 6, height: size.height + 2, labelpos: "c",
                             minlen: 1 }, name);
      edges.push({ v: v, w: w, name: name, g: g, line: line, hit: hit, label: label, labelBg: labelBg,
                   width: size.width + 6, height: size.height + 2 });
      picks.push(g);
      bind(g, function () {
        var what = edgeWords(edge) + (edge.kind === "inferred" ? " (near-verbatim reuse; confidence " +
                   Number(edge.confidence).toFixed(2) + ")" : "");
        showDetails(panel, edge.from + " \u2192 " + edge.to, what, edge.quotes, quotes);
      }, g, picks);
    });

    dagre.layout(layout);

    drawn.forEach(function (item) {
      var at = layout.node(item.id);
      item.g.setAttribute("transform", "translate(" + at.x + "," + at.y + ")");
    });
    edges.forEach(function (item) {
      var at = layout.edge({ v: item.v, w: item.w, name: item.name });
      var d = curve(at.points);
      item.line.setAttribute("d", d);
      item.hit.setAttribute("d", d);
      item.label.setAttribute("x", at.x);
      item.label.setAttribute("y", at.y + 3.5);
      item.labelBg.setAttribute("x", at.x - item.width / 2);
      item.labelBg.setAttribute("y", at.y - item.height / 2);
      item.labelBg.setAttribute("width", item.width);
      item.labelBg.setAttribute("height", item.height);
    });
    var size = layout.graph();
    box.setAttribute("width", Math.ceil(size.width));
    box.setAttribute("height", Math.ceil(size.height));
    box.setAttribute("viewBox", "0 0 " + Math.ceil(size.width) + " " + Math.ceil(size.height));

    // Open on the outlet where the claim first appeared, so the panel is never empty.
    var start = null;
    graph.nodes.forEach(function (node, ni) {
      if (start === null && node.first && node.layer === "site") { start = drawn[ni].g; }
    });
    start = start || (drawn.length ? drawn[drawn.length - 1].g : null);
    if (start) { start.qtShow(); }
  }

  function section(graph, gi) {
    var box = html("section", "qt-group");
    box.setAttribute("data-claim", String(graph.claim.id));
    box.appendChild(html("h2", "", "\u201c" + graph.claim.text + "\u201d"));
    var first = graph.claim.first_appearance || {};
    var meta = graph.quotes.length + " quote" + (graph.quotes.length === 1 ? "" : "s") + " \u00b7 " +
               graph.nodes.length + " nodes \u00b7 first appeared " + (first.published || "undated") +
               (first.outlet ? " in " + first.outlet : "");
    box.appendChild(html("p", "qt-meta", meta));
    var body = html("div", "qt-body");
    var canvas = html("div", "qt-canvas");
    var panel = html("aside", "qt-panel");
    panel.setAttribute("aria-live", "polite");
    panel.appendChild(html("p", "qt-hint", "Hover or click a node or an arrow to see the quotes behind it."));
    body.appendChild(canvas);
    body.appendChild(panel);
    box.appendChild(body);
    return { box: box, canvas: canvas, panel: panel };
  }

  var data = JSON.parse(document.getElementById("qt-data").textContent);
  var main = document.getElementById("qt-main");
  main.appendChild(legend());
  if (!data.graphs.length) {
    main.appendChild(html("p", "qt-empty", "No claim matches \u201c" + data.query + "\u201d."));
  }
  data.graphs.forEach(function (graph, gi) {
    var parts = section(graph, gi);
    main.appendChild(parts.box);
    draw(graph, gi, parts.canvas, parts.panel);
  });
  document.documentElement.setAttribute("data-qt-rendered", String(data.graphs.length));
}());
