/* Search for the static site: fetches only the index shards a query needs (see site_builder/search/). */

/* A query's words, folded and split as the index's are (site_builder/search/words.py has the same rules):
   lower case, NFKD without non-spacing marks, a few letters spelled out, words of letters, digits and
   marks, Chinese and Japanese as overlapping pairs of characters. */
var siteSearchWords = (function () {
  "use strict";
  var STOP = new Set(("a an and are as at be but by for from has have he her his i in is it its of on or our she " +
    "that the their them they this to was we were which who will with you").split(" "));
  var SPELLED = { "ß": "ss", "ς": "σ", "ı": "i", "ł": "l", "đ": "d", "ð": "d", "ø": "o", "æ": "ae", "œ": "oe",
    "þ": "th", "\u0640": "", "ى": "ي", "ة": "ه", "ٱ": "ا" };
  var SPELLED_LETTER = new RegExp("[" + Object.keys(SPELLED).join("") + "]", "g");
  var CJK = "\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}";
  var CJK_RUN = new RegExp("[" + CJK + "]+", "gu");
  var CJK_START = new RegExp("^[" + CJK + "]", "u");

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").toLowerCase().replace(/\p{Mn}/gu, "")
      .replace(SPELLED_LETTER, function (c) { return SPELLED[c]; });
  }

  function splitCJK(word) {
    var parts = [], at = 0, run;
    CJK_RUN.lastIndex = 0;
    while ((run = CJK_RUN.exec(word))) {
      if (run.index > at) parts.push(word.slice(at, run.index));
      var chars = Array.from(run[0]);
      if (chars.length === 1) parts.push(chars[0]);
      for (var i = 0; i + 1 < chars.length; i++) parts.push(chars[i] + chars[i + 1]);
      at = run.index + run[0].length;
    }
    if (at < word.length) parts.push(word.slice(at));
    return parts;
  }

  function isCJK(term) {
    return CJK_START.test(term);
  }

  function words(text) {
    var found = [];
    (fold(text).match(/[\p{L}\p{N}\p{M}]+/gu) || []).forEach(function (word) {
      splitCJK(word).forEach(function (part) { found.push(part); });
    });
    return found.filter(function (w) {
      return !STOP.has(w) && (Array.from(w).length > 1 || /^\p{Nd}+$/u.test(w) || isCJK(w));
    });
  }

  return { fold: fold, words: words, isCJK: isCJK };
})();

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
  var PAGE = 10;
  /* The page's words and date format (search.html writes them for any page not in the theme's English). */
  var WORDS = {
    lang: "en",
    dates: { pattern: "d MMMM y", digits: "", grouping: false, months: ["January", "February", "March",
      "April", "May", "June", "July", "August", "September", "October", "November", "December"] },
    articles: { one: "{n} article", other: "{n} articles" },
    more_specific: "Type a more specific word.",
    searching: "Searching…",
    unavailable: "Search is not available right now.",
    none: "No articles found.",
    more: "More results",
    missing: "The search index is missing: rebuild the site."
  };
  var given = document.getElementById("search-words");
  if (given) WORDS = Object.assign(WORDS, JSON.parse(given.textContent));
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

  var fold = siteSearchWords.fold;
  var words = siteSearchWords.words;

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
      status.textContent = q.value.trim() ? WORDS.more_specific : "";
      results.textContent = "";
      return Promise.resolve();
    }
    status.textContent = WORDS.searching;
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
      status.textContent = WORDS.unavailable;
      if (window.console) console.warn(error);
    });
  }

  function show(ids, terms, start) {
    var mine = generation;
    if (start === 0) {
      results.textContent = "";
      status.textContent = ids.length ? count(ids.length) : WORDS.none;
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
        more.textContent = WORDS.more;
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
      var re = new RegExp(wordStart(term) + "[\\p{L}\\p{N}\\p{M}]*", "gu");
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

  /* A query word where it starts a word of the text (Chinese and Japanese pairs anywhere in a run). */
  function wordStart(term) {
    return (siteSearchWords.isCJK(term) ? "" : "(?<![\\p{L}\\p{N}\\p{M}])") + escape(term);
  }

  function escape(term) {
    return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /* About 240 characters of the text around the first query word, cut at spaces. */
  function snippet(text, terms) {
    var folded = foldWithMap(text);
    var at = -1;
    terms.some(function (t) {
      var m = new RegExp(wordStart(t), "u").exec(folded.text);
      if (m) at = folded.map[m.index];
      return at >= 0;
    });
    if (at < 0) return text.slice(0, 200) + (text.length > 200 ? " …" : "");
    var from = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)));
    var to = text.indexOf(" ", Math.min(text.length, at + 160));
    return (from > 0 ? "… " : "") + text.slice(from, to < 0 ? text.length : to).trim() + (to < 0 ? "" : " …");
  }

  function digits(text) {
    var own = WORDS.dates.digits;
    return own ? text.replace(/[0-9]/g, function (d) { return own[Number(d)]; }) : text;
  }

  /* "12 articles" in the page's language: the plural form of the count's CLDR category. */
  function count(n) {
    var forms = WORDS.articles;
    var form = forms[new Intl.PluralRules(WORDS.lang).select(n)] || forms.other;
    var number = WORDS.dates.grouping ? new Intl.NumberFormat(WORDS.lang, { numberingSystem: "latn" }).format(n) : String(n);
    return form.replace("{n}", digits(number));
  }

  /* "2 April 2021", like the pages (the date as written, in the article's own time zone): the page's
     long date pattern (CLDR syntax: d, M, y and quoted text) with its month names and digits. */
  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return "";
    var fields = { d: Number(m[3]), M: Number(m[2]), y: Number(m[1]) };
    var text = WORDS.dates.pattern.replace(/'([^']*)'|d+|M+|L+|y+/g, function (all, quoted) {
      if (quoted !== undefined) return quoted || "'";
      var letter = all.charAt(0) === "L" ? "M" : all.charAt(0);
      if (letter === "M" && all.length >= 3) return WORDS.dates.months[fields.M - 1];
      var value = String(letter === "y" && all.length === 2 ? fields.y % 100 : fields[letter]);
      return value.length < all.length ? "0".repeat(all.length - value.length) + value : value;
    });
    return digits(text);
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
    status.textContent = WORDS.missing;
  });
})();
