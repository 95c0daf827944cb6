// Folded lists on paper: a copy of the multilateral fixture (193 parties) gets twelve more
// reports of Germany's signature, two sources each, so that its entry on the year's page has
// over 20 references and folds them; that year (over 100 events) also folds its list of events,
// and an article of many events folds its list of them. Headless Chromium (Debian's, driven by
// playwright-core) opens each page as a screen shows it, then as it prints: on screen a fold
// shows its summary and hides its content; in print every folded event, report and source
// shows, no summary shows, and the first reports of the busy event are not printed twice.
//
//   cargo build --release && (cd tests/browser && npm ci && node print.mjs)
//
// TREATYLINE_BIN and CHROMIUM override the binary and the browser.

import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { check, finish } from "./checks.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.TREATYLINE_BIN ?? join(repo, "target", "release", "treatyline");
const fixture = join(repo, "tests", "fixtures", "multilateral");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
// The pages are answered from the output folder by the browser itself (page.route), at this
// origin: nothing on them needs a server.
const ORIGIN = "http://print.test";

// How many of the elements matching `selector` are drawn (a box on the page, not hidden).
function drawn(page, selector) {
  return page.$$eval(
    selector,
    (elements) =>
      elements.filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true });
      }).length,
  );
}

const work = mkdtempSync(join(tmpdir(), "treatyline-print-"));
let browser;
try {
  const site = join(work, "site");
  const out = join(work, "public");
  cpSync(fixture, site, { recursive: true });
  for (let n = 1; n <= 12; n++) {
    const day = String(n).padStart(2, "0");
    writeFileSync(
      join(site, "content", "articles", `2018-05-${day}-germany-report-${n}.md`),
      `---\ntitle: Germany report ${n}\ndate: 2018-05-${day}\ntreaty: meridian-agreement\nevents:\n` +
        `  - country: DE\n    stage: signed\n    date: 2018-04-23\nsources:\n` +
        `  - https://example.org/de/${n}/1\n  - https://example.org/de/${n}/2\n---\nGermany signed.\n`,
    );
  }
  const built = spawnSync(binary, ["build", "--no-search", "--root", site, "--output", out, "--base-url", `${ORIGIN}/`], {
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);

  browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    return route.fulfill({ path: join(out, path.endsWith("/") ? `${path}index.html` : path) });
  });

  // The year: its events folded, and within, Germany's references folded below 3 reports.
  const germany = "li.event[id$='-de-signed-2018-04-23']";
  const reports = `${germany} .refs-list:not(.refs-sources) a`;
  await page.goto(`${ORIGIN}/years/2018/`);
  check((await page.locator(`${germany} details.event-refs-all`).count()) === 1, "Germany's signature folds its references");
  await page.emulateMedia({ media: "screen" });
  check((await drawn(page, ".events-all > summary")) === 1, "screen: the year's fold shows its summary");
  check((await drawn(page, "li.event")) === 0, "screen: the year's events are folded");
  await page.locator(".events-all > summary").click();
  const shown = await drawn(page, reports);
  check(shown === 3, `screen, opened: Germany's first 3 reports (${shown})`);
  check((await drawn(page, ".event-refs-all > summary")) > 0, "screen, opened: the summary of Germany's references");
  await page.locator(".events-all > summary").click();

  await page.emulateMedia({ media: "print" });
  const events = await page.locator("li.event").count();
  check(events > 100 && (await drawn(page, "li.event")) === events, `print: all ${events} events of the year`);
  check((await drawn(page, "details > summary")) === 0, "print: no summary");
  // The whole lists are the ones in the fold; the first reports above it must give way to them.
  const allReports = await page.locator(`${germany} .event-refs-all .refs-list:not(.refs-sources) a`).count();
  const allSources = await page.locator(`${germany} .event-refs-all .refs-sources a`).count();
  check(allReports > 12 && allReports + allSources > 36, `Germany's entry holds ${allReports} reports and ${allSources} sources`);
  const printed = await drawn(page, reports);
  check(printed === allReports, `print: every report, each once (${printed})`);
  check((await drawn(page, `${germany} .refs-sources a`)) === allSources, "print: every source");

  // An article of many events: its counts, and its whole list folded.
  await page.goto(`${ORIGIN}/articles/signature-closes/`);
  const lines = await page.locator(".reported-lines > li").count();
  await page.emulateMedia({ media: "screen" });
  check(lines > 12 && (await drawn(page, ".reported-lines > li")) === 0, `screen: the article's ${lines} events are folded`);
  await page.emulateMedia({ media: "print" });
  check((await drawn(page, ".reported-lines > li")) === lines, "print: every event the article reports");
  check((await drawn(page, ".reported-all > summary")) === 0, "print: no summary");
} finally {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
}

finish("print");
