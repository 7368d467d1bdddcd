// Graph explorer controls over pyvis's globals `network`, `nodes` and `edges` (vis DataSets):
// filter by node type, search a name (server search, so aliases such as 县工信局 work),
// focus on a node's neighbourhood, and freeze the layout once it has stabilised.
(function () {
  "use strict";
  var hiddenKinds = new Set();
  var focusSet = null;  // ids kept by the neighbourhood focus, or null for all
  var selected = null;
  var $ = function (id) { return document.getElementById(id); };
  // The overview draws documents, groups, units and chains only: focusing asks the server.
  var overview = $("explorer-bar").dataset.overview === "1";
  // Legend colours from data attributes: the page's CSP allows no inline style attribute.
  document.querySelectorAll(".swatch[data-colour]").forEach(function (s) {
    s.style.background = s.dataset.colour;
  });
  function unfold(id) {
    window.location.href = "/pages/explorer?depth=1&focus=" + encodeURIComponent(id);
  }

  // Labels only once nodes are drawn big enough to read them.
  network.setOptions({ nodes: { scaling: { label: { enabled: true, min: 12, max: 22, drawThreshold: 9 } } } });

  // Physics only until the layout settles: a frozen network stays responsive at 1-2k nodes.
  var frozen = false;
  function freeze() {
    if (frozen) return;
    frozen = true;
    network.setOptions({ physics: { enabled: false } });
  }
  network.once("stabilizationIterationsDone", freeze);
  network.once("stabilized", freeze);
  if (network.physics.stabilized || nodes.length <= 1) freeze();  // settled before this ran
  setTimeout(freeze, 30000);

  function apply() {
    var updates = [];
    var shown = 0;
    nodes.forEach(function (n) {
      var hide = hiddenKinds.has(n.kind) || (focusSet !== null && !focusSet.has(n.id));
      if (!hide) shown += 1;
      if (Boolean(n.hidden) !== hide) updates.push({ id: n.id, hidden: hide });
    });
    if (updates.length) nodes.update(updates);
    $("explorer-count").textContent = shown + " / " + nodes.length + " 个节点";
  }

  // Chinese names of the node types, from the legend (单位, 任务 …).
  var gloss = {};
  document.querySelectorAll("input[data-kind]").forEach(function (box) {
    gloss[box.dataset.kind] = box.dataset.gloss || box.dataset.kind;
  });
  function kindName(kind) { return gloss[kind] || "节点"; }

  function describe(id) {
    var n = nodes.get(id);
    return n ? n.name + "（" + kindName(n.kind) + "）" : id;
  }

  // Tooltips in Chinese: type and full name (the id stays in the data, not in the text).
  var titled = [];
  nodes.forEach(function (n) { titled.push({ id: n.id, title: kindName(n.kind) + " · " + n.name }); });
  if (titled.length) nodes.update(titled);

  function fitShown() {
    var ids = [];
    nodes.forEach(function (n) { if (!n.hidden) ids.push(n.id); });
    if (ids.length) network.fit({ nodes: ids, animation: { duration: 400 } });
  }

  function pageOf(id) {
    var prefix = id.split(":")[0];
    var pages = { unit: "units", task: "tasks", person: "people", chain: "chains" };
    return pages[prefix] ? "/pages/" + pages[prefix] + "/" + encodeURIComponent(id) : null;
  }

  function select(id) {
    selected = id;
    var n = nodes.get(id);
    if (n && n.hidden) {
      hiddenKinds.delete(n.kind);
      var box = document.querySelector('input[data-kind="' + n.kind + '"]');
      if (box) box.checked = true;
      if (focusSet && !focusSet.has(id)) focusSet = null;
      apply();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    var status = $("explorer-selected");
    status.textContent = "选中：" + describe(id) + " ";
    var href = pageOf(id);
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = "详情";
      status.appendChild(a);
    }
    $("explorer-focus").disabled = false;
  }

  function neighbourhood(id, depth) {
    var keep = new Set([id]);
    var frontier = [id];
    for (var i = 0; i < depth; i += 1) {
      var next = [];
      frontier.forEach(function (n) {
        network.getConnectedNodes(n).forEach(function (m) {
          if (!keep.has(m)) { keep.add(m); next.push(m); }
        });
      });
      frontier = next;
    }
    return keep;
  }

  function focus(id, depth) {
    focusSet = neighbourhood(id, depth);
    apply();
    network.fit({ nodes: Array.from(focusSet), animation: { duration: 400 } });
    network.selectNodes([id]);
  }

  function reset() {
    focusSet = null;
    hiddenKinds.clear();
    document.querySelectorAll("input[data-kind]").forEach(function (b) { b.checked = true; });
    apply();
    network.fit({ animation: { duration: 400 } });
  }

  function localMatches(q) {
    var out = [];
    nodes.forEach(function (n) { if (n.name && n.name.indexOf(q) >= 0) out.push(n.id); });
    out.sort(function (a, b) { return nodes.get(a).name.length - nodes.get(b).name.length; });
    return out;
  }

  function showResults(ids) {
    var list = $("explorer-results");
    list.innerHTML = "";
    if (!ids.length) {
      var li = document.createElement("li");
      li.className = "none";
      li.textContent = "图中没有匹配的节点";
      list.appendChild(li);
      return;
    }
    ids.slice(0, 30).forEach(function (id) {
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.dataset.id = id;
      b.textContent = describe(id);
      b.addEventListener("click", function () { select(id); list.innerHTML = ""; });
      li.appendChild(b);
      list.appendChild(li);
    });
    select(ids[0]);
  }

  function search(q) {
    q = q.trim();
    if (!q) { $("explorer-results").innerHTML = ""; return Promise.resolve([]); }
    return fetch("/search?limit=100&q=" + encodeURIComponent(q))
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) { return hits.map(function (h) { return h.id; }); })
      .catch(function () { return []; })
      .then(function (ids) {
        var drawn = ids.filter(function (id) { return nodes.get(id) !== null; });
        localMatches(q).forEach(function (id) { if (drawn.indexOf(id) < 0) drawn.push(id); });
        if (!drawn.length && ids.length && overview) { unfold(ids[0]); return [ids[0]]; }
        showResults(drawn);
        return drawn;
      });
  }

  document.querySelectorAll("input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) hiddenKinds.delete(box.dataset.kind); else hiddenKinds.add(box.dataset.kind);
      apply();
      fitShown();
    });
  });
  $("explorer-search-form").addEventListener("submit", function (e) {
    e.preventDefault();
    search($("explorer-search").value);
  });
  $("explorer-focus").addEventListener("click", function () {
    if (!selected) return;
    if (overview) unfold(selected);
    else focus(selected, parseInt($("explorer-depth").value, 10) || 1);
  });
  $("explorer-reset").addEventListener("click", reset);
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0]);
  });
  network.on("doubleClick", function (p) {
    if (!p.nodes.length) return;
    if (overview) unfold(p.nodes[0]);
    else focus(p.nodes[0], parseInt($("explorer-depth").value, 10) || 1);
  });
  apply();
  window.zhenkgExplorer = { search: search, select: select, focus: focus, reset: reset,
    selected: function () { return selected; } };
})();
