// The members table's script in a real browser: the multilateral fixture (193 parties) is
// built for a subpath (http://127.0.0.1:<port>/sub/path/) and served from that subpath;
// headless Chromium (Debian's, driven by playwright-core) opens the home page. Clicking a
// column's sort button must order the rows by that column, set aria-sort on its header and
// say so in the status line; typing a name and choosing a status must show only the
// matching rows and say how many. At 375 px the page must not scroll sideways.
//
//   cargo build --release && (cd tests/browser && npm ci && node members_table.mjs)
//
// TREATYLINE_BIN and CHROMIUM override the binary and the browser.

import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { check, finish } from "./checks.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.TREATYLINE_BIN ?? join(repo, "target", "release", "treatyline");
const fixture = join(repo, "tests", "fixtures", "multilateral");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SUBPATH = "/sub/path/";
const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };

// A static server for `root`, mounted at SUBPATH as a project site is on GitHub Pages.
function serve(root) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (!path.startsWith(SUBPATH)) {
      response.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(SUBPATH.length)));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

// The visible rows: each row's name, status id and the datetime of every date cell.
function visibleRows(page) {
  return page.$$eval("table.members tbody tr", (rows) =>
    rows
      .filter((row) => !row.hidden)
      .map((row) => ({
        name: row.cells[0].textContent.trim(),
        status: row.getAttribute("data-status"),
        order: Number(row.cells[1].getAttribute("data-sort")),
        dates: Array.from(row.cells)
          .slice(2)
          .map((cell) => cell.querySelector("time")?.getAttribute("datetime") ?? null),
      })),
  );
}

const sortState = (page) =>
  page.$$eval("table.members thead th", (ths) => ths.map((th) => th.getAttribute("aria-sort")));

const work = mkdtempSync(join(tmpdir(), "treatyline-members-"));
let browser;
let server;
try {
  const out = join(work, "public");
  server = await serve(out);
  const base = `http://127.0.0.1:${server.address().port}${SUBPATH}`;
  const built = spawnSync(binary, ["build", "--root", fixture, "--output", out, "--base-url", base], { encoding: "utf8" });
  if (built.status !== 0) throw new Error(`build failed:\n${built.stderr}`);

  browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(base);
  await page.waitForSelector("table.members.is-sortable");

  const status = page.locator(".members-filter [role=status]");
  const all = await visibleRows(page);
  check(all.length === 193, `193 rows (${all.length})`);
  check((await status.textContent()) === "193 of 193 countries shown.", `status line: ${await status.textContent()}`);
  const buttons = await page.$$eval("table.members thead th > button", (b) => b.map((x) => x.textContent.trim()));
  check(buttons.length >= 4 && buttons[0] === "Country", `a sort button in each header: ${buttons.join(", ")}`);
  check((await sortState(page)).every((s) => s === null), "no aria-sort before a sort");

  // Sort by the signature date: earliest first, unsigned parties last, ties in table order.
  const headers = await page.$$eval("table.members thead th", (ths) => ths.map((th) => th.textContent.trim()));
  const signed = headers.indexOf("Signed");
  await page.getByRole("button", { name: "Signed", exact: true }).click();
  let rows = await visibleRows(page);
  const dates = rows.map((r) => r.dates[signed - 2]);
  const firstEmpty = dates.indexOf(null);
  const filled = dates.slice(0, firstEmpty);
  check(firstEmpty > 100 && dates.slice(firstEmpty).every((d) => d === null), "unsigned parties last");
  check(filled.every((d, i) => i === 0 || filled[i - 1] <= d), "signature dates ascending");
  const ties = rows.filter((r) => r.dates[signed - 2] === "2018-04-23").map((r) => r.name);
  const inTableOrder = all.filter((r) => r.dates[signed - 2] === "2018-04-23").map((r) => r.name);
  check(JSON.stringify(ties) === JSON.stringify(inTableOrder), "equal dates keep the table's order");
  let state = await sortState(page);
  check(state[signed] === "ascending" && state.filter((s) => s).length === 1, `aria-sort ascending on Signed: ${state}`);
  check((await status.textContent()).startsWith("Sorted by Signed, ascending."), await status.textContent());

  // Again: latest first, and still the unsigned last.
  await page.getByRole("button", { name: "Signed", exact: true }).click();
  rows = await visibleRows(page);
  const down = rows.map((r) => r.dates[signed - 2]);
  const downFilled = down.slice(0, down.indexOf(null));
  check(downFilled.every((d, i) => i === 0 || downFilled[i - 1] >= d), "signature dates descending");
  check(down.slice(down.indexOf(null)).every((d) => d === null), "unsigned parties still last");
  state = await sortState(page);
  check(state[signed] === "descending", `aria-sort descending on Signed: ${state}`);

  // By status: stage order.
  await page.getByRole("button", { name: "Current status", exact: true }).click();
  rows = await visibleRows(page);
  check(rows.every((r, i) => i === 0 || rows[i - 1].order <= r.order), "statuses in stage order");
  state = await sortState(page);
  check(state[1] === "ascending" && state[signed] === null, `aria-sort moves to Current status: ${state}`);

  // By name, back to the table's own order.
  await page.getByRole("button", { name: "Country", exact: true }).click();
  rows = await visibleRows(page);
  check(JSON.stringify(rows.map((r) => r.name)) === JSON.stringify(all.map((r) => r.name)), "by name: the table's order");

  // Filter by name (accents and case ignored), then by status.
  await page.getByLabel("Name").fill("united");
  rows = await visibleRows(page);
  const names = rows.map((r) => r.name);
  check(names.length >= 3 && names.every((n) => n.toLowerCase().includes("united")), `name filter: ${names.join(", ")}`);
  check((await status.textContent()) === `${names.length} of 193 countries shown.`, await status.textContent());
  await page.getByLabel("Name").fill("cote");
  rows = await visibleRows(page);
  check(rows.length === 1 && rows[0].name.includes("Côte d'Ivoire"), `accents ignored: ${rows.map((r) => r.name)}`);
  await page.getByLabel("Name").fill("");
  await page.getByLabel("Status").selectOption("withdrawn");
  rows = await visibleRows(page);
  check(rows.length === 2 && rows.every((r) => r.status === "withdrawn"), `status filter: ${rows.map((r) => r.name)}`);
  check((await status.textContent()) === "2 of 193 countries shown.", await status.textContent());
  check(errors.length === 0, `no script errors ${errors.join("; ")}`);

  // On a phone, every member's status without scrolling sideways.
  const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
  await phone.goto(base);
  await phone.waitForSelector("table.members.is-sortable");
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 375, `no sideways scrolling at 375 px (${width})`);
  const clipped = await phone.$$eval("table.members td.status", (cells) =>
    cells.filter((cell) => cell.getBoundingClientRect().right > window.innerWidth).length,
  );
  check(clipped === 0, `every status inside the screen (${clipped} outside)`);
} finally {
  await browser?.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
}

finish("members table");
