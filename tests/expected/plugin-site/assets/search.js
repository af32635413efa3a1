/* Search for the static site: fetches only the index files a query needs (see site_builder/search/index.py). */

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
  var MAX_CHUNKS = 24;  // chunks of posting lists fetched at most for one page of results
  var COMPLETIONS = 4;  // stems a word being typed stands for at most
  var VERIFY = 20;  // article pages read at most for one page of phrase results
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
  var split = new Set();
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

  /* The shard holding a word or stem: its shortest prefix that is not split (site_builder/search/shards.py). */
  function shardKey(term) {
    var chars = Array.from(term);
    for (var n = 1; n <= Math.min(chars.length, meta.depth); n++) {
      var prefix = chars.slice(0, n).join("");
      if (!split.has(prefix)) return prefix;
    }
    return chars.slice(0, meta.depth).join("");
  }

  function shardOf(term) {
    return get("s/" + hex(shardKey(term)) + ".json").then(function (shard) {
      return { w: (shard && shard.w) || {}, p: (shard && shard.p) || {} };
    });
  }

  /* One posting list, read newest first (site_builder/search/lists.py): inline, or leaves of the id
     space fetched one at a time from the newest. Every id from `low` up is known. */
  function List(value, base) {
    this.all = new Set();
    this.strong = new Set();
    this.leaves = [];
    this.base = base;
    this.low = 0;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      this.leaves = value.c.slice();
      this.count = value.n;
      this.low = Infinity;
    } else {
      if (value) this.add(value);
      this.count = this.all.size;
    }
  }
  List.prototype.add = function (value) {
    var parts = typeof value === "string" ? [value] : value, self = this;
    decode(parts[0]).forEach(function (id) { self.all.add(id); });
    if (parts[1]) decode(parts[1]).forEach(function (id) { self.strong.add(id); });
  };
  List.prototype.has = function (id) { return this.all.has(id); };
  List.prototype.isStrong = function (id) { return this.strong.has(id); };
  List.prototype.lowest = function () { return this.low; };
  /* Read the next older leaf; leaves where `needed` (if given) says no match can be are passed over
     unread, as if read. */
  List.prototype.more = function (needed) {
    var leaf, start, self = this;
    while ((leaf = this.leaves.pop())) {
      start = leaf[1] * Math.pow(2, leaf[0]);
      this.low = this.leaves.length ? start : 0;
      if (!needed || needed(start, start + Math.pow(2, leaf[0]))) break;
    }
    if (!leaf) return Promise.resolve();
    return get(this.base + "/" + leaf[0] + "-" + leaf[1] + ".json").then(function (value) {
      if (value) self.add(value);
    });
  };

  /* Several lists read as one (the stems a word being typed may complete to). */
  function Union(lists) {
    this.lists = lists;
    this.count = lists.reduce(function (n, l) { return n + l.count; }, 0);
  }
  Union.prototype.has = function (id) { return this.lists.some(function (l) { return l.has(id); }); };
  Union.prototype.isStrong = function (id) { return this.lists.some(function (l) { return l.isStrong(id); }); };
  Union.prototype.lowest = function () {
    return this.lists.reduce(function (low, l) { return Math.max(low, l.lowest()); }, 0);
  };
  Union.prototype.more = function (needed) {
    var low = this.lowest();
    return Promise.all(this.lists.filter(function (l) { return l.lowest() === low; }).map(function (l) {
      return l.more(needed);
    }));
  };

  function stemList(stem) {
    return shardOf(stem).then(function (shard) {
      return new List(shard.p[stem], "c/" + hex(stem));
    });
  }

  function countOf(value) {
    if (!value) return 0;
    if (!Array.isArray(value) && typeof value === "object") return value.n;
    return decode(typeof value === "string" ? value : value[0]).length;
  }

  /* The stems a query word stands for: its own (the index maps every word of the archive to its stem);
     for the word being typed, the most frequent stems of the words it begins; else the longest stem
     that begins it (a form the archive does not have: "debating" finds "debat"). */
  function stemsOf(term, typing) {
    return shardOf(term).then(function (shard) {
      if (shard.w[term]) return [shard.w[term]];
      if (shard.p[term]) return [term];
      var found = new Map();
      if (typing) {
        Object.keys(shard.w).forEach(function (word) {
          if (word.startsWith(term)) found.set(shard.w[word], 0);
        });
        Object.keys(shard.p).forEach(function (stem) {
          if (stem.startsWith(term)) found.set(stem, countOf(shard.p[stem]));
        });
      }
      if (found.size) {
        return Array.from(found.keys()).sort(function (a, b) {
          return found.get(b) - found.get(a) || (a < b ? -1 : 1);
        }).slice(0, COMPLETIONS);
      }
      var best = "";
      Object.keys(shard.p).forEach(function (stem) {
        if (stem.length > best.length && stem.length >= 3 && term.length - stem.length <= 4 && term.startsWith(stem)) {
          best = stem;
        }
      });
      return best ? [best] : [term];
    });
  }

  function lookup(term, typing) {
    return stemsOf(term, typing).then(function (stems) {
      return Promise.all(stems.map(stemList)).then(function (lists) {
        return { list: lists.length === 1 ? lists[0] : new Union(lists), stems: stems };
      });
    });
  }

  function filterList(kind, value) {
    var base = "f/" + kind + "/" + encodeURIComponent(value);
    return get(base + ".json").then(function (found) { return new List(found, base); });
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

  /* The quoted parts of a query, and all its words (those of the phrases too). */
  function parse(text) {
    var phrases = [];
    var rest = text.replace(/["“”«»„]([^"“”«»„]*)["“”«»„]?/g, function (all, inner) {
      if (inner.trim()) phrases.push(inner.trim());
      return " " + inner + " ";
    });
    return { terms: unique(words(rest)), phrases: phrases };
  }

  function unique(list) {
    return list.filter(function (item, i) { return list.indexOf(item) === i; });
  }

  /* The matches of all the lists, best first, as far as they are known: a document's score is its id
     (newer is higher) plus `boost` for each query word in its title, people or tags. Older chunks are
     fetched while the `wanted` best are not certain, MAX_CHUNKS at most each time. */
  function Results(terms, filters) {
    this.terms = terms;
    this.lists = terms.concat(filters);
    this.ranked = [];
    this.complete = false;
  }
  Results.prototype.low = function () {
    return this.lists.reduce(function (low, l) { return Math.max(low, l.lowest()); }, 0);
  };
  Results.prototype.score = function (id) {
    return id + meta.boost * this.terms.reduce(function (n, l) { return n + (l.isStrong(id) ? 1 : 0); }, 0);
  };
  Results.prototype.rank = function () {
    var low = this.low(), lists = this.lists, self = this;
    var smallest = lists.reduce(function (a, b) { return known(a) <= known(b) ? a : b; });
    var ids = [];
    allIds(smallest).forEach(function (id) {
      if (id >= low && lists.every(function (l) { return l.has(id); })) ids.push(id);
    });
    var scores = new Map(ids.map(function (id) { return [id, self.score(id)]; }));
    ids.sort(function (a, b) { return scores.get(b) - scores.get(a) || b - a; });
    this.ranked = ids;
    this.scores = scores;
    this.complete = low === 0;
    return low;
  };
  Results.prototype.fetch = function (wanted) {
    var self = this, fetched = 0;
    if (this.lists.some(function (l) { return l.count === 0; })) {  // a word no article has
      this.ranked = [];
      this.complete = true;
      return Promise.resolve(this);
    }
    function step() {
      var low = self.rank();
      var unseen = low - 1 + meta.boost * self.terms.length;  // the best score a document not read yet can have
      var sure = self.ranked.length >= wanted && self.scores.get(self.ranked[wanted - 1]) >= unseen;
      if (self.complete || sure || fetched >= MAX_CHUNKS) return Promise.resolve(self);
      var next = self.lists.filter(function (l) { return l.lowest() === low; });
      var needed = self.needed();
      fetched += next.length;
      return Promise.all(next.map(function (l) { return l.more(needed); })).then(step);
    }
    return step();
  };
  /* With a list read whole (a rare word's), an interval of ids it has none of holds no match: the
     other lists' leaves there need not be read. */
  Results.prototype.needed = function () {
    var whole = this.lists.filter(function (l) { return l.lowest() === 0; });
    if (!whole.length) return null;
    var fewest = whole.reduce(function (a, b) { return known(a) <= known(b) ? a : b; });
    var ids = Array.from(allIds(fewest)).sort(function (a, b) { return a - b; });
    return function (start, end) {
      var lo = 0, hi = ids.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (ids[mid] < start) lo = mid + 1; else hi = mid;
      }
      return lo < ids.length && ids[lo] < end;
    };
  };
  /* How many matches there are, when known: all read, or a single word's list. */
  Results.prototype.total = function () {
    if (this.complete) return this.ranked.length;
    return this.lists.length === 1 && this.lists[0] instanceof List ? this.lists[0].count : null;
  };

  function known(list) {
    return list instanceof Union ? list.lists.reduce(function (n, l) { return n + l.all.size; }, 0) : list.all.size;
  }

  function allIds(list) {
    if (!(list instanceof Union)) return list.all;
    var ids = new Set();
    list.lists.forEach(function (l) { l.all.forEach(function (id) { ids.add(id); }); });
    return ids;
  }

  function record(id) {
    var group = Math.floor(id / meta.group);
    return get("r/" + group + ".json").then(function (records) { return records && records[id - group * meta.group]; });
  }

  function search() {
    var query = parse(q.value);
    var terms = query.terms;
    var filters = currentFilters();
    var mine = ++generation;
    updateAddress();
    if (!terms.length && !filters.length) {
      status.textContent = q.value.trim() ? WORDS.more_specific : "";
      results.textContent = "";
      return Promise.resolve();
    }
    status.textContent = WORDS.searching;
    var typing = !/["“”«»„\s]$/.test(q.value) && !query.phrases.length;
    var lookups = terms.map(function (term, i) { return lookup(term, typing && i === terms.length - 1); });
    var filtered = filters.map(function (f) { return filterList(f[0], f[1]); });
    return Promise.all([Promise.all(lookups), Promise.all(filtered)]).then(function (found) {
      if (mine !== generation) return;
      var marks = terms.concat.apply(terms, found[0].map(function (f) { return f.stems; }));
      var state = new Results(found[0].map(function (f) { return f.list; }), found[1]);
      state.phrases = query.phrases;
      state.shown = 0;
      state.checked = new Map();
      results.textContent = "";
      return show(state, unique(marks));
    }).catch(function (error) {
      status.textContent = WORDS.unavailable;
      if (window.console) console.warn(error);
    });
  }

  /* The next page of results: ranked matches (with a phrase, those whose article holds it). */
  function show(state, terms) {
    var mine = generation;
    return nextPage(state, state.shown + PAGE).then(function (page) {
      if (mine !== generation) return;
      var list = results.querySelector("ol") || results.appendChild(document.createElement("ol"));
      list.className = "teasers";
      page.items.forEach(function (found) { list.appendChild(item(found.record, terms, found.snippet)); });
      state.shown += page.items.length;
      var total = state.phrases.length ? (page.more ? null : state.shown) : state.total();
      status.textContent = !state.shown ? WORDS.none : total !== null ? count(total) : count(state.shown, true);
      var old = results.querySelector("button.more");
      if (old) old.remove();
      if (page.more) {
        var more = document.createElement("button");
        more.type = "button";
        more.className = "more";
        more.textContent = WORDS.more;
        more.addEventListener("click", function () {
          var next = list.children.length;
          show(state, terms).then(function () {
            var link = list.children[next] && list.children[next].querySelector("a");
            if (link) link.focus();
          });
        });
        results.appendChild(more);
      }
    });
  }

  /* Up to PAGE results after the `state.shown` shown: {items: [{record, snippet}], more}. */
  function nextPage(state, wanted) {
    return state.fetch(wanted).then(function () {
      if (!state.phrases.length) {
        var ids = state.ranked.slice(state.shown, wanted);
        return Promise.all(ids.map(record)).then(function (records) {
          var items = records.filter(Boolean).map(function (r) { return { record: r, snippet: null }; });
          return { items: items, more: state.ranked.length > wanted || !state.complete };
        });
      }
      return phrasePage(state);
    });
  }

  /* Matches whose article page holds every phrase, checked in rank order, at most VERIFY pages a time. */
  function phrasePage(state) {
    var items = [], checked = 0, at = state.position || 0;
    function step() {
      if (items.length >= PAGE || checked >= VERIFY) return finish();
      if (at >= state.ranked.length) {
        if (state.complete) return finish();
        return state.fetch(state.ranked.length + PAGE).then(function () {
          return at >= state.ranked.length && state.complete ? finish() : step();
        });
      }
      var batch = state.ranked.slice(at, at + PAGE - items.length);
      at += batch.length;
      checked += batch.length;
      return Promise.all(batch.map(function (id) {
        return record(id).then(function (r) { return r ? phraseIn(r, state.phrases) : null; });
      })).then(function (found) {
        found.forEach(function (f) { if (f) items.push(f); });
        return step();
      });
    }
    function finish() {
      state.position = at;
      return { items: items, more: at < state.ranked.length || !state.complete };
    }
    return step();
  }

  /* The record with a snippet around the phrase if it holds every phrase: in its title and excerpt
     (nothing to fetch), else in its article page. Null when it does not. */
  function phraseIn(found, phrases) {
    if (phraseAt(found.t + " · " + (found.x || ""), phrases) >= 0) {
      return Promise.resolve({ record: found, snippet: null });
    }
    return fetch(root + found.u).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var body = page.querySelector("article .body") || page.querySelector("article") || page.body;
      var text = found.t + " · " + (body ? body.textContent : "").replace(/\s+/g, " ").trim();
      var at = phraseAt(text, phrases);
      return at >= 0 ? { record: found, snippet: around(text, at) } : null;
    }).catch(function () { return null; });
  }

  /* Where the first phrase starts in text, if text holds every phrase (words in order, whatever is
     between them but letters and digits); else -1. */
  function phraseAt(text, phrases) {
    var folded = foldWithMap(text), at = -1;
    var all = phrases.every(function (phrase) {
      var parts = fold(phrase).match(/[\p{L}\p{N}\p{M}]+/gu) || [];
      if (!parts.length) return true;
      var pattern = "(?<![\\p{L}\\p{N}\\p{M}])" + parts.map(escape).join("[^\\p{L}\\p{N}\\p{M}]+") +
        "(?![\\p{L}\\p{N}\\p{M}])";
      var m = new RegExp(pattern, "u").exec(folded.text);
      if (m && at < 0) at = folded.map[m.index];
      return Boolean(m);
    });
    return all ? at : -1;
  }

  function around(text, at) {
    var from = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 80)));
    var to = text.indexOf(" ", Math.min(text.length, at + 160));
    return (from > 0 ? "… " : "") + text.slice(from, to < 0 ? text.length : to).trim() + (to < 0 ? "" : " …");
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

  function digits(text) {
    var own = WORDS.dates.digits;
    return own ? text.replace(/[0-9]/g, function (d) { return own[Number(d)]; }) : text;
  }

  /* "12 articles" in the page's language: the plural form of the count's CLDR category; "10+ articles"
     when there are more than n (a count not known yet). */
  function count(n, more) {
    var forms = WORDS.articles;
    var form = more ? forms.other : forms[new Intl.PluralRules(WORDS.lang).select(n)] || forms.other;
    var number = WORDS.dates.grouping ? new Intl.NumberFormat(WORDS.lang, { numberingSystem: "latn" }).format(n) : String(n);
    return form.replace("{n}", digits(number) + (more ? "+" : ""));
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

  function item(doc, terms, snippet) {
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
    highlight(text, snippet || doc.x || "", terms);
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
    meta = m || { split: [], depth: 6, group: 1, boost: 0 };
    split = new Set(meta.split);
    start();
  }).catch(function () {
    status.textContent = WORDS.missing;
  });
})();
