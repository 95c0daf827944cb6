// Site search in a real browser: the default site's fixture (tests/fixtures/abraham-accords)
// is built for a base URL with a path (http://127.0.0.1:PORT/repo/, as on GitHub Pages) and
// served from 127.0.0.1 by a small static server; headless Chromium (Debian's, driven by
// playwright-core) opens the search page, types a query with the keyboard, and must see the
// status announce the results and a result link that leads to the page it names. The page may
// ask nothing of any other host. A query in the address (`?q=`) is run when the page opens.
// The same site is built a second time with its index in shards of four records (a large
// site's are of thousands): the page must merge them, find what only the last shard holds,
// and list the same results, every one, as the site with one index.
//
//   cargo build --release && (cd tests/browser && npm ci && node search.mjs)
//
// TREATYLINE_BIN and CHROMIUM override the binary and the browser. SCREENSHOTS=DIR also saves
// the page with its results at 1280 and 375 px, light and dark.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.TREATYLINE_BIN ?? join(repo, "target", "release", "treatyline");
const fixture = join(repo, "tests", "fixtures", "abraham-accords");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PATIENCE = 30_000;
const SUBPATH = "/repo/";
const SHARD_SIZE = "4";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
}

// Answers GET requests under SUBPATH from `root`, as a static host does; anything else is a 404.
function serve(root) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = path.startsWith(SUBPATH) ? resolve(root, path.slice(SUBPATH.length)) : null;
    if (file && file !== root && !file.startsWith(root + sep)) file = null;
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolveServer) => server.listen(0, "127.0.0.1", () => resolveServer(server)));
}

// Builds the fixture into `out` for `base`, with `env` beside the process's own.
function build(out, base, env = {}) {
  const built = spawnSync(binary, ["build", "--root", fixture, "--output", out, "--base-url", base], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  if (built.status !== 0) throw new Error(`the build failed:\n${built.stderr}`);
}

// Runs `query` from the address of `base`'s search page, shows every result ("Show more"
// until there is no more) and returns the status and the results' links, after the base URL.
async function everyResult(page, base, query) {
  await page.goto(`${base}search/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => /result/.test(document.getElementById("search-status").textContent));
  const more = page.locator("#search-more");
  while (await more.isVisible()) {
    const shown = await page.locator(".search-result").count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll(".search-result").length > n, shown);
  }
  const status = await page.getByRole("status").textContent();
  const hrefs = await page.locator(".search-result h2 a").evaluateAll((links) => links.map((a) => a.href));
  return { status, links: hrefs.map((href) => href.slice(base.length)) };
}

async function main() {
  if (!existsSync(binary)) throw new Error(`no ${binary}: run \`cargo build --release\` first`);
  const scratch = mkdtempSync(join(tmpdir(), "treatyline-search-"));
  const server = await serve(join(scratch, "site"));
  const base = `http://127.0.0.1:${server.address().port}${SUBPATH}`;
  const shardedServer = await serve(join(scratch, "sharded"));
  const shardedBase = `http://127.0.0.1:${shardedServer.address().port}${SUBPATH}`;
  let browser;
  try {
    build(join(scratch, "site"), base);
    build(join(scratch, "sharded"), shardedBase, { TREATYLINE_SEARCH_SHARD_SIZE: SHARD_SIZE });
    if (!existsSync(join(scratch, "sharded", "pagefind", "shard-2", "pagefind-entry.json"))) {
      fail("the site built with small shards has fewer than three");
    }
    browser = await chromium.launch({
      executablePath: browserPath,
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    });
    const context = await browser.newContext();
    const outside = new Set();
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith(shardedBase)) return route.continue();
      outside.add(url);
      return route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.setDefaultTimeout(PATIENCE);

    // From the home page's header link, as a reader finds it.
    await page.goto(base);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click();
    await page.waitForURL(`${base}search/`);
    const field = page.getByRole("searchbox", { name: /^Search / });
    await field.waitFor();
    await field.focus();
    await page.keyboard.type("kazakhstan");
    await page.keyboard.press("Enter");
    const status = page.getByRole("status");
    await page.waitForFunction(() => /result/.test(document.getElementById("search-status").textContent));
    const said = await status.textContent();
    if (!/^\d+ results? for “kazakhstan”\.$/.test(said)) fail(`the status says ${JSON.stringify(said)}`);
    const results = page.getByRole("list").filter({ has: page.locator(".search-result") });
    const links = results.getByRole("heading", { level: 2 }).getByRole("link");
    const count = await links.count();
    if (count === 0) fail("no result link");
    const titles = await links.allTextContents();
    if (!titles.some((t) => t.includes("Kazakhstan"))) fail(`no result names Kazakhstan: ${JSON.stringify(titles)}`);
    const marked = await results.locator("mark").first().textContent();
    if (!/kazakhstan/i.test(marked)) fail(`the excerpt marks ${JSON.stringify(marked)}, not the query`);
    if (!page.url().endsWith("/search/?q=kazakhstan")) fail(`the address does not keep the query: ${page.url()}`);

    if (process.env.SCREENSHOTS) {
      mkdirSync(process.env.SCREENSHOTS, { recursive: true });
      for (const colorScheme of ["light", "dark"]) {
        for (const width of [1280, 375]) {
          await page.emulateMedia({ colorScheme });
          await page.setViewportSize({ width, height: 1400 });
          await page.screenshot({ path: join(process.env.SCREENSHOTS, `search-${width}-${colorScheme}.png`), fullPage: false });
        }
      }
      await page.setViewportSize({ width: 1280, height: 720 });
    }

    // A result is a link to its page, under the subpath.
    const href = await links.first().getAttribute("href");
    if (!href.startsWith(base)) fail(`a result links ${href}, outside ${base}`);
    await links.first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(href);
    const heading = await page.getByRole("heading", { level: 1 }).textContent();
    if (!heading.trim()) fail(`the page of the first result (${href}) has no title`);

    // A query in the address is run when the page opens.
    await page.goto(`${base}search/?q=${encodeURIComponent("signed")}`);
    await page.waitForFunction(() => /result/.test(document.getElementById("search-status").textContent));
    if ((await field.inputValue()) !== "signed") fail("the query of the address is not in the field");
    if ((await links.count()) === 0) fail("the query of the address found nothing");

    // The sharded index: the last record (the last free page) is in the last shard, and a
    // query lists the same pages, as many, as from one index (in an order that may differ a
    // little: each shard ranks its own).
    const last = await everyResult(page, shardedBase, "methodology");
    if (!last.links.includes("methodology/")) fail(`the last shard's page is not found: ${JSON.stringify(last)}`);
    for (const query of ["israel", "signed"]) {
      const one = await everyResult(page, base, query);
      const sharded = await everyResult(page, shardedBase, query);
      if (one.status !== sharded.status) fail(`${query}: one index says ${one.status}, shards ${sharded.status}`);
      if (JSON.stringify([...one.links].sort()) !== JSON.stringify([...sharded.links].sort())) {
        fail(`${query}: shards list ${JSON.stringify(sharded.links)}, one index ${JSON.stringify(one.links)}`);
      }
      if (new Set(sharded.links).size !== sharded.links.length) fail(`${query}: a result is listed twice`);
      console.log(`ok: “${query}” from one index and from shards: ${one.status}`);
    }

    for (const url of outside) fail(`the page asked for ${url}, outside the site`);
    for (const message of errors) fail(`a script error: ${message}`);
    if (!process.exitCode) console.log(`ok: a search under ${SUBPATH} found ${count} result(s): ${titles.slice(0, 3).join("; ")}`);
  } finally {
    await browser?.close();
    server.close();
    shardedServer.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
