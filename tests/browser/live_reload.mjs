// Live reload in a real browser: `treatyline serve` on a temporary copy of the default site
// (its frozen fixture, tests/fixtures/abraham-accords), headless Chromium (Debian's, driven
// over the DevTools protocol by playwright-core) on the home page; an article's title is
// edited on disk and the open page must show it without being reloaded by hand. Then a
// broken file must show the error overlay, and fixing it must hide it.
//
//   cargo build --release && (cd tests/browser && npm ci && node live_reload.mjs)
//
// TREATYLINE_BIN and CHROMIUM override the binary and the browser.

import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.TREATYLINE_BIN ?? join(repo, "target", "release", "treatyline");
const fixture = join(repo, "tests", "fixtures", "abraham-accords");
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PATIENCE = 60_000;

const ARTICLE = "content/articles/2025-11-07-kazakhstan-joins-abraham-accords.md";
const OLD_TITLE = "Kazakhstan to Join the Abraham Accords, the First New Member of Trump's Second Term";
const NEW_TITLE = "Kazakhstan Joins: Title Edited While the Page Is Open";

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
}

function edit(site, relative, from, to) {
  const path = join(site, relative);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${relative} has no ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

function startServer(site) {
  const server = spawn(binary, ["serve", "--port", "0", "--root", site], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let log = "";
  const address = new Promise((resolveAddress, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log}`)), PATIENCE);
    server.stderr.setEncoding("utf8");
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/serving at (http:\/\/\S+\/)/);
      if (m) {
        clearTimeout(timer);
        resolveAddress(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}:\n${log}`)));
  });
  return { server, address, log: () => log };
}

async function main() {
  if (!existsSync(binary)) throw new Error(`no ${binary}: run \`cargo build --release\` first`);
  const site = mkdtempSync(join(tmpdir(), "treatyline-browser-"));
  cpSync(fixture, site, { recursive: true });
  const { server, address, log } = startServer(site);
  let browser;
  try {
    const url = await address;
    browser = await chromium.launch({
      executablePath: browserPath,
      headless: true,
      args: [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ],
    });
    const page = await browser.newPage();
    let loads = 0;
    page.on("load", () => { loads += 1; });
    await page.goto(url);
    const hasText = (text) => page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout: PATIENCE });
    await hasText(OLD_TITLE);
    // The page must be subscribed before the edit, or it would (rightly) reload on connect.
    await page.waitForFunction(() => window.__treatyline !== undefined, null, { timeout: PATIENCE });
    await new Promise((r) => setTimeout(r, 500));

    const edited = Date.now();
    edit(site, ARTICLE, OLD_TITLE, NEW_TITLE);
    await hasText(NEW_TITLE);
    console.log(`ok: the open page shows the new title ${Date.now() - edited} ms after the edit (page loads: ${loads})`);

    edit(site, ARTICLE, "    stage: announced", "    stage: bogus");
    const overlay = page.locator("#treatyline-error");
    await overlay.waitFor({ state: "visible", timeout: PATIENCE });
    const shown = await overlay.innerText();
    if (!shown.includes("unknown stage") || !shown.includes(`${ARTICLE}:9:`)) {
      fail(`the overlay does not name the error and its place:\n${shown}`);
    } else {
      console.log("ok: a broken file shows the error overlay with file and line");
    }
    if (!(await page.evaluate(() => document.body.innerText)).includes(NEW_TITLE)) {
      fail("the last good page is no longer shown under the overlay");
    }
    edit(site, ARTICLE, "    stage: bogus", "    stage: announced");
    await overlay.waitFor({ state: "detached", timeout: PATIENCE });
    console.log("ok: fixing the file hides the overlay");
  } catch (err) {
    fail(`${err.message}\n--- serve said ---\n${log()}`);
  } finally {
    if (browser) await browser.close();
    server.kill("SIGINT");
    rmSync(site, { recursive: true, force: true });
  }
}

await main();
