/* Search for the static site: fetches only the index shards a query needs (see site_builder/search.py). */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form || !window.fetch) return;
  var base = form.getAttribute("data-index");
  var root = form.getAttribute("data-root");
  var q = document.getElementById("q");
  var person = document.getElementById("person");
  var tag = document.getElementById("tag");
  var year = document.getElementById("year");
  var status = document.getElementById("search-status");
  var results = document.getElementById("results");
  var STOP = new Set(("a an and are as at be but by for from has have he her his i in is it its of on or our she " +
    "that the their them they this to was we were which who will with you").split(" "));
  var PAGE = 10;
  var cache = new Map();
  var meta = null;
  var personSlug = "";
  var generation = 0;
  var timer = 0;

  function get(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then(function (r) {
        if (r.status === 404) return null;
        if (!r.ok) throw new Error("search index: " + r.status + " for " + path);
        return r.json();
      }));
    }
    return cache.get(path);
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  }

  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(function (w) {
      return (w.length > 1 || /^\p{N}+$/u.test(w)) && !STOP.has(w);
    });
  }

  function decode(text) {
    var ids = [], last = 0;
    if (!text) return ids;
    text.split(",").forEach(function (gap) { last += parseInt(gap, 36); ids.push(last); });
    return ids;
  }

  function hex(key) {
    return Array.from(new TextEncoder().encode(key), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function shardKey(term) {
    var chars = Array.from(term);
    var key = chars.slice(0, 2).join("");
    return meta.split.indexOf(key) >= 0 && chars.length > 2 ? chars.slice(0, 3).join("") : key;
  }

  /* Ids of documents containing the term (the last one typed counts as a prefix) and those naming it
     in the title, people or tags. */
  function lookup(term, prefix) {
    return get("t/" + hex(shardKey(term)) + ".json").then(function (shard) {
      var all = new Set(), strong = new Set();
      Object.keys(shard || {}).forEach(function (word) {
        if (word === term || (prefix && word.startsWith(term))) {
          decode(shard[word][0]).forEach(function (id) { all.add(id); });
          decode(shard[word][1]).forEach(function (id) { strong.add(id); });
        }
      });
      return { all: all, strong: strong };
    });
  }

  function filterIds(kind, value) {
    return get("f/" + kind + "/" + encodeURIComponent(value) + ".json").then(function (text) {
      return new Set(decode(text || ""));
    });
  }

  function currentFilters() {
    var list = [];
    if (personSlug) list.push(["p", personSlug]);
    if (tag.value) list.push(["t", tag.value]);
    if (year.value) list.push(["y", year.value]);
    return list;
  }

  function syncPerson() {
    personSlug = "";
    var name = person.value.trim().toLowerCase();
    if (!name) return;
    Array.from(document.querySelectorAll("#people-list option")).some(function (option) {
      if (option.value.toLowerCase() === name || option.getAttribute("data-slug") === name) {
        personSlug = option.getAttribute("data-slug");
        person.value = option.value;
        return true;
      }
      return false;
    });
  }

  function search() {
    var terms = words(q.value);
    var filters = currentFilters();
    var mine = ++generation;
    updateAddress();
    if (!terms.length && !filters.length) {
      status.textContent = q.value.trim() ? "Type a more specific word." : "";
      results.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    var lookups = terms.map(function (term, i) { return lookup(term, i === terms.length - 1); });
    var filtered = filters.map(function (f) { return filterIds(f[0], f[1]); });
    return Promise.all([Promise.all(lookups), Promise.all(filtered)]).then(function (found) {
      if (mine !== generation) return;
      var sets = found[0].map(function (r) { return r.all; }).concat(found[1]);
      var ids = Array.from(sets[0]).filter(function (id) {
        return sets.every(function (s) { return s.has(id); });
      });
      var score = function (id) {
        return found[0].reduce(function (n, r) { return n + (r.strong.has(id) ? 1 : 0); }, 0);
      };
      ids.sort(function (a, b) { return score(b) - score(a) || b - a; });
      show(ids, terms, 0);
    }).catch(function (error) {
      status.textContent = "Search is not available right now.";
      if (window.console) console.warn(error);
    });
  }

  function show(ids, terms, start) {
    var mine = generation;
    if (start === 0) {
      results.textContent = "";
      status.textContent = ids.length ? ids.length + (ids.length === 1 ? " article" : " articles") : "No articles found.";
    }
    var batch = ids.slice(start, start + PAGE);
    return Promise.all(batch.map(function (id) { return get("d/" + id + ".json"); })).then(function (docs) {
      if (mine !== generation) return;
      var list = results.querySelector("ol") || results.appendChild(document.createElement("ol"));
      list.className = "teasers";
      docs.forEach(function (doc) { if (doc) list.appendChild(item(doc, terms)); });
      var old = results.querySelector("button.more");
      if (old) old.remove();
      if (start + PAGE < ids.length) {
        var more = document.createElement("button");
        more.type = "button";
        more.className = "more";
        more.textContent = "More results";
        more.addEventListener("click", function () {
          var next = list.children.length;
          show(ids, terms, start + PAGE).then(function () {
            var link = list.children[next] && list.children[next].querySelector("a");
            if (link) link.focus();
          });
        });
        results.appendChild(more);
      }
    });
  }

  /* Fold text like the index does, keeping for each folded position the offset in the original text
     (folding can change lengths: "…" becomes "...", "ﬁ" becomes "fi"). */
  function foldWithMap(text) {
    var folded = "", map = [], offset = 0;
    Array.from(text).forEach(function (c) {
      var f = fold(c);
      for (var i = 0; i < f.length; i++) map.push(offset);
      folded += f;
      offset += c.length;
    });
    map.push(text.length);
    return { text: folded, map: map };
  }

  /* Append text to parent, wrapping the words that start with a query word in <mark>. */
  function highlight(parent, text, terms) {
    var folded = foldWithMap(text);
    var ranges = [];
    terms.forEach(function (term) {
      var re = new RegExp("(?<![\\p{L}\\p{N}])" + escape(term) + "[\\p{L}\\p{N}]*", "gu");
      var m;
      while ((m = re.exec(folded.text))) {
        ranges.push([folded.map[m.index], folded.map[m.index + m[0].length]]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var cursor = 0;
    ranges.forEach(function (r) {
      if (r[0] < cursor) return;
      parent.appendChild(document.createTextNode(text.slice(cursor, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      cursor = r[1];
    });
    parent.appendChild(document.createTextNode(text.slice(cursor)));
  }

  function escape(term) {
    return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* About 240 characters of the text around the first query word, cut at spaces. */
  function snippet(text, terms) {
    var folded = foldWithMap(text);
    var at = -1;
    terms.some(function (t) {
      var m = new RegExp("(?<![\\p{L}\\p{N}])" + escape(t), "u").exec(folded.text);
      if (m) at = folded.map[m.index];
      return at >= 0;
    });
    if (at < 0) return text.slice(0, 200) + (text.length > 200 ? " …" : "");
    var from = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)));
    var to = text.indexOf(" ", Math.min(text.length, at + 160));
    return (from > 0 ? "… " : "") + text.slice(from, to < 0 ? text.length : to).trim() + (to < 0 ? "" : " …");
  }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  /* "2 April 2021", like the pages (the date as written, in the article's own time zone). */
  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : "";
  }

  function item(doc, terms) {
    var li = document.createElement("li");
    li.className = "teaser";
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = root + doc.u;
    highlight(a, doc.t, terms);
    h.appendChild(a);
    li.appendChild(h);
    var info = document.createElement("p");
    info.className = "meta";
    var bits = [];
    if (doc.d) bits.push(longDate(doc.d));
    if (doc.p.length) bits.push(doc.p.slice(0, 4).join(", "));
    if (doc.g.length) bits.push(doc.g.join(", "));
    highlight(info, bits.join(" · "), terms);
    li.appendChild(info);
    var text = document.createElement("p");
    text.className = "dek";
    highlight(text, snippet(doc.x, terms), terms);
    li.appendChild(text);
    return li;
  }

  function updateAddress() {
    var params = new URLSearchParams();
    if (q.value.trim()) params.set("q", q.value.trim());
    if (personSlug) params.set("person", personSlug);
    if (tag.value) params.set("tag", tag.value);
    if (year.value) params.set("year", year.value);
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  }

  function start() {
    var params = new URLSearchParams(location.search);
    q.value = params.get("q") || "";
    person.value = params.get("person") || "";
    tag.value = params.get("tag") || "";
    year.value = params.get("year") || "";
    syncPerson();
    if (params.get("person") || params.get("tag") || params.get("year")) {
      document.getElementById("filters").open = true;
    }
    if (!personSlug && params.get("person") && /^[a-z0-9-]+$/.test(params.get("person"))) {
      personSlug = params.get("person");
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
    q.addEventListener("input", later);
    person.addEventListener("change", function () { syncPerson(); search(); });
    person.addEventListener("input", function () { if (!person.value) { personSlug = ""; later(); } });
    tag.addEventListener("change", search);
    year.addEventListener("change", search);
    q.focus();
    search();
  }

  get("meta.json").then(function (m) {
    meta = m || { split: [] };
    start();
  }).catch(function () {
    status.textContent = "The search index is missing: rebuild the site.";
  });
})();
