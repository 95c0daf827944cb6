// Accessibility of a built site in a real browser: axe-core, evaluated in headless Chromium
// (Debian's, driven by playwright-core), on the home page and the first treaty, country and
// article page, each in the light and the dark colour scheme, with the site's scripts and
// without them.
//
//   node axe.mjs OUTPUT_DIR [PAGE...]
//
// A PAGE is a path under the site (`countries/us/`); the search page with a query
// (`search/?q=signed`) is checked once its results are shown.
//
// Fails on any violation of a WCAG 2.0, 2.1 or 2.2 level A or AA rule, listing rule, impact,
// selectors and help page. axe's best-practice rules run too, but only as notes: they are
// advice beyond WCAG and some of them (one <main>, headings in order) are matters of taste.
//
// The pages link to each other, their stylesheet and their icon by absolute URL under the
// site's base_url, so a server on localhost would not be asked for them. The browser is
// instead given the output folder at the base_url itself: every request under it is answered
// from disk, as a static host would, and every other request is refused and noted, which
// keeps the check offline and shows a page that depends on another site.
//
// CHROMIUM overrides the browser.

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// axe's tags for the WCAG success criteria at levels A and AA (2.2 added no level A rule).
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const SCHEMES = ["light", "dark"];

function usage(message) {
  console.error(`${message}\nusage: node axe.mjs OUTPUT_DIR [PAGE...]`);
  process.exit(2);
}

// The site's base_url, as the home page declares it: its canonical link, as the browser
// parses it (offline: the page may ask for nothing).
async function baseUrlOf(browser, outDir) {
  const home = join(outDir, "index.html");
  const page = await browser.newPage();
  try {
    await page.route("**/*", (route) => route.abort("blockedbyclient"));
    await page.setContent(readFileSync(home, "utf8"), { waitUntil: "domcontentloaded" });
    const href = await page.evaluate(() => document.querySelector("link[rel=canonical]")?.getAttribute("href"));
    if (!href) throw new Error(`${home} has no <link rel="canonical">`);
    return new URL(href).href;
  } finally {
    await page.close();
  }
}

// The first page, in name order, of a section such as treaties/.
function firstPageIn(outDir, section) {
  const folder = join(outDir, section);
  const names = existsSync(folder) ? readdirSync(folder).sort() : [];
  const name = names.find((n) => existsSync(join(folder, n, "index.html")));
  if (!name) throw new Error(`${folder} has no page (no */index.html)`);
  return `${section}/${name}/`;
}

// What a static host would answer for `path` (relative to the base_url): a file, a redirect
// from a folder to its slash form, or the site's 404 page.
function answer(outDir, path) {
  let file = resolve(outDir, decodeURIComponent(path));
  if (file !== outDir && !file.startsWith(outDir + sep)) return { status: 403, body: "" };
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (path !== "" && !path.endsWith("/")) return { status: 301, headers: { location: `${path.split("/").pop()}/` } };
    file = join(file, "index.html");
  }
  if (existsSync(file)) return { status: 200, path: file };
  const notFound = join(outDir, "404.html");
  return existsSync(notFound)
    ? { status: 404, contentType: "text/html; charset=utf-8", body: readFileSync(notFound) }
    : { status: 404, body: "" };
}

function describe(violation) {
  const lines = [`${violation.id} [${violation.impact}] ${violation.help}`, `    ${violation.helpUrl}`];
  for (const node of violation.nodes) {
    const why = [...new Set([...node.any, ...node.all, ...node.none].map((check) => check.message).filter(Boolean))];
    lines.push(`    ${node.target.join(" >>> ")}${why.length ? `: ${why.join("; ")}` : ""}`);
  }
  return lines.join("\n");
}

async function main() {
  if (process.argv.length < 3) usage("the built site's folder expected");
  const outDir = resolve(process.argv[2]);
  if (!existsSync(join(outDir, "index.html"))) usage(`${outDir} has no index.html: build the site first`);
  // Further arguments name more pages to check, as paths under the site (`countries/us/`).
  const extra = process.argv.slice(3).map((p) => p.replace(/^\/+/, ""));
  for (const page of extra) {
    if (!existsSync(join(outDir, page.split("?")[0], "index.html"))) usage(`${outDir} has no page ${page}`);
  }
  const pages = ["", ...["treaties", "countries", "articles"].map((s) => firstPageIn(outDir, s)), ...extra];

  const browser = await chromium.launch({
    executablePath: browserPath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  let baseUrl;
  try {
    baseUrl = await baseUrlOf(browser, outDir);
  } catch (err) {
    await browser.close();
    throw err;
  }
  const outside = new Set();
  let failures = 0;
  let notes = 0;
  try {
    for (const scripts of [true, false]) {
      // Once as most readers see the pages, once without the site's scripts (refused, as a
      // reader's blocker or a failed download would): the pages must pass both ways.
      const context = await browser.newContext();
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (!url.startsWith(baseUrl)) {
          outside.add(url);
          return route.abort("blockedbyclient");
        }
        if (!scripts && new URL(url).pathname.endsWith(".js")) return route.abort("blockedbyclient");
        return route.fulfill(answer(outDir, new URL(url).pathname.slice(new URL(baseUrl).pathname.length)));
      });
      for (const path of pages) {
        for (const colorScheme of SCHEMES) {
          const url = baseUrl + path;
          const where = `/${path} (${colorScheme}${scripts ? "" : ", no scripts"})`;
          const page = await context.newPage();
          // No transitions: axe must see the scheme's final colours.
          await page.emulateMedia({ colorScheme, reducedMotion: "reduce" });
          const response = await page.goto(url, { waitUntil: "load" });
          if (!response.ok()) {
            console.log(`FAIL ${where}: HTTP ${response.status()} for ${url}`);
            failures += 1;
            await page.close();
            continue;
          }
          await page.evaluate(() => document.fonts.ready);
          if (scripts && path.includes("?q=")) {
            // The search page fills in its results after loading; check them, not an empty page.
            const shown = await page
              .waitForFunction(() => document.getElementById("search-status")?.textContent, null, { timeout: 15_000 })
              .then(() => true, () => false);
            if (!shown) {
              console.log(`FAIL ${where}: the search page showed no result status`);
              failures += 1;
              await page.close();
              continue;
            }
          }
          await page.addScriptTag({ content: axeSource });
          const results = await page.evaluate(
            (values) => window.axe.run(document, { runOnly: { type: "tag", values }, resultTypes: ["violations"] }),
            [...WCAG_TAGS, "best-practice"],
          );
          await page.close();
          const isWcag = (v) => v.tags.some((tag) => WCAG_TAGS.includes(tag));
          const wcag = results.violations.filter(isWcag);
          const advice = results.violations.filter((v) => !isWcag(v));
          for (const v of wcag) console.log(`FAIL ${where}: ${describe(v)}`);
          for (const v of advice) console.log(`note ${where}: best practice: ${describe(v)}`);
          failures += wcag.length;
          notes += advice.length;
          if (wcag.length === 0) console.log(`ok: ${where}: no WCAG A/AA violation (${results.passes.length} rules passed)`);
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  for (const url of outside) console.log(`note: a page asked for ${url}, outside the site; refused`);
  if (failures > 0) {
    console.error(`FAIL: ${failures} WCAG violation(s) on ${pages.length} pages; ${notes} best-practice note(s)`);
    process.exitCode = 1;
  } else {
    console.log(`ok: ${pages.length} pages in ${SCHEMES.length} colour schemes, with and without scripts, ${notes} best-practice note(s), in ${process.argv[2]}`);
  }
}

await main();
