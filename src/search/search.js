// treatyline's search page: runs the reader's query against the site's index (made by the
// Pagefind library when the site is built, under pagefind/ beside this folder) and lists the
// results as links, with a live status that says how many there are. Every URL is taken from
// this script's own address, so the site works under any path and asks no other host.
// A large site's index is in shards (pagefind/ and pagefind/shard-1/ on): the build writes
// their number below, and the later ones are merged into the first, so that a query searches
// them all and gets one list of results, best first.
const base = new URL("../", import.meta.url);
const form = document.querySelector("[data-search-form]");
const field = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE = 20;
const SHARDS = 1;
const OPTIONS = { excerptLength: 30, excerptEllipsis: "…" };

let pagefind = null;
let results = [];
let shown = 0;
let query = "";
// Each search has a number; a slower, older search never overwrites a newer one's results.
let latest = 0;

function load() {
  pagefind ??= import(new URL("pagefind/pagefind.js", base).href).then(async (module) => {
    await module.options(OPTIONS);
    await module.init();
    const shards = Array.from({ length: SHARDS - 1 }, (_, i) => `pagefind/shard-${i + 1}/`);
    await Promise.all(shards.map((path) => module.mergeIndex(new URL(path, base).href, OPTIONS)));
    return module;
  });
  return pagefind;
}

// Pagefind marks the matched words with <mark> in text whose < and > it has escaped; the
// excerpt is rebuilt as text and <mark> elements, never parsed as HTML.
function excerpt(text) {
  const p = document.createElement("p");
  p.className = "search-excerpt";
  text.split(/(<\/?mark>)/).reduce((marked, part) => {
    if (part === "<mark>") return true;
    if (part === "</mark>") return false;
    const words = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    if (marked) {
      const mark = document.createElement("mark");
      mark.append(words);
      p.append(mark);
    } else {
      p.append(words);
    }
    return marked;
  }, false);
  return p;
}

function item(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const title = document.createElement("h2");
  const link = document.createElement("a");
  link.href = new URL(data.raw_url ?? data.url, base).href;
  link.textContent = data.meta?.title || data.raw_url;
  title.append(link);
  const about = [data.filters?.kind?.[0], data.meta?.date].filter(Boolean).join(" · ");
  const meta = document.createElement("p");
  meta.textContent = about;
  li.append(title, meta, excerpt(data.excerpt ?? ""));
  return li;
}

function say(text) {
  status.textContent = text;
}

function counted(n) {
  return n === 1 ? "1 result" : `${n.toLocaleString()} results`;
}

// Shows the next page of results; with `focus`, moves the focus to the first of them.
async function showMore(number, focus) {
  const next = await Promise.all(results.slice(shown, shown + PAGE).map((r) => r.data()));
  if (number !== latest) return;
  const items = next.map(item);
  list.append(...items);
  shown += items.length;
  list.hidden = shown === 0;
  more.hidden = shown >= results.length;
  more.textContent = `Show more results (${shown.toLocaleString()} of ${results.length.toLocaleString()} shown)`;
  if (focus && items.length) items[0].querySelector("a").focus();
}

async function run(text) {
  const number = ++latest;
  query = text.trim();
  const address = new URL(location.href);
  if (query) address.searchParams.set("q", query);
  else address.searchParams.delete("q");
  history.replaceState(null, "", address);
  if (!query) {
    results = [];
    shown = 0;
    list.replaceChildren();
    list.hidden = more.hidden = true;
    say("");
    return;
  }
  let found;
  try {
    found = await (await load()).search(query);
  } catch {
    pagefind = null;
    if (number === latest) say("Search is not available: the site's search index could not be loaded.");
    return;
  }
  if (number !== latest || !found) return;
  results = found.results;
  shown = 0;
  list.replaceChildren();
  await showMore(number, false);
  if (number !== latest) return;
  say(results.length ? `${counted(results.length)} for “${query}”.` : `No results for “${query}”.`);
}

let typing;
field.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => run(field.value), 300);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  run(field.value);
});
more.addEventListener("click", () => showMore(latest, true));

form.hidden = false;
const asked = new URL(location.href).searchParams.get("q");
if (asked) {
  field.value = asked;
  run(asked);
}
