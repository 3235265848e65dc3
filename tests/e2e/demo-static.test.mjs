// The example page as a static copy (www/ with the package in its pkg/
// folder, under a sub-path) on a plain static file server and no gateway:
// nothing answers /__mock, so the page runs on migo-cards/testing, the
// gateway in the page. In Chromium, Firefox and WebKit (tests/browsers.mjs),
// one after the other.
// Assumes pkg/ is built (scripts/test.sh does it before the JS tests).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { root } from "../js/gateway.mjs";
import { describeEngines } from "../browsers.mjs";

const SITE = "/some/site/";
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".wasm": "application/wasm" };

let copy;
let server;
let base;
// Every path the server was asked for, served from the copy or not.
const served = [];
const refused = [];

before(async () => {
  copy = await mkdtemp(path.join(os.tmpdir(), "migo-static-demo-"));
  await cp(path.join(root, "www"), copy, { recursive: true });
  await cp(path.join(root, "pkg"), path.join(copy, "pkg"), { recursive: true });
  // Files under SITE come from the copy; anything else (the /__mock probe, a gateway) has nothing behind it.
  server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://x");
    if (!pathname.startsWith(SITE)) {
      refused.push(pathname);
      res.writeHead(404).end("no server here");
      return;
    }
    let file = path.join(copy, decodeURIComponent(pathname.slice(SITE.length)));
    if (!file.startsWith(copy)) return res.writeHead(403).end();
    if (file.endsWith(path.sep) || file === copy) file = path.join(file, "index.html");
    try {
      const body = await readFile(file);
      served.push(pathname);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}${SITE}`;
});

after(async () => {
  if (server) await new Promise((r) => server.close(r));
  if (copy) await rm(copy, { recursive: true, force: true });
});

const byTestId = (id) => `[data-testid=${id}]`;
const text = (page, sel) => page.evaluate((s) => document.querySelector(s).innerText.trim(), sel);

async function waitForCardState(page, state) {
  await page.waitForSelector(`[data-testid=card][data-state=${state}]`);
}

async function lastLogEntry(page, op) {
  await page.waitForSelector(`[data-testid=log-entry]:first-child[data-op="${op}"]:not([data-outcome=pending])`);
  return page.evaluate(() => {
    const entry = document.querySelector("[data-testid=log-entry]");
    return { outcome: entry.getAttribute("data-outcome"), status: entry.querySelector("[data-testid=log-status]").innerText.trim() };
  });
}

describeEngines((_engine, browser) => {

  test("a static copy of the example page works with no gateway, on the in-page test gateway", { timeout: 180_000 }, async () => {
    served.length = 0;
    refused.length = 0;
    await browser.engine.withPage({ viewport: { width: 1280, height: 1000 } }, "demo-static", async (page) => {
      await page.goto(base);
      await page.waitForSelector("html[data-ready=true]");
      await page.waitFor(() => /Ready/.test(document.querySelector("[data-testid=client-status]")?.textContent));

      assert.equal(await page.evaluate(() => document.documentElement.dataset.gateway), "in-page");
      assert.ok(await page.evaluate(() => document.querySelector("[data-testid=in-page-note]").checkVisibility()));
      assert.match(await text(page, byTestId("client-status")), /in-page test gateway/);
      assert.equal(await page.evaluate(() => document.querySelector("#base-url").value), "", "the environment's own URL");
      assert.match(await text(page, byTestId("conn-summary")), /sandbox · ali-qa\.ali\.app\/rest/);

      // Issue, activate, the 7213 refusal.
      await page.click(byTestId("btn-issue"));
      await waitForCardState(page, "INACTIVE");
      assert.equal((await lastLogEntry(page, "issueCard")).status, "201");
      await page.click(byTestId("btn-activate"));
      await waitForCardState(page, "ACTIVE");
      await page.click(byTestId("btn-activate"));
      await page.waitFor(() => [...document.querySelectorAll("[data-testid=toast-error]")].some((t) => t.textContent.includes("7213")));
      const refusedCall = await lastLogEntry(page, "activateCard");
      assert.deepEqual([refusedCall.outcome, refusedCall.status], ["error", "409"]);
      await page.click("[data-testid=toast-error] button[aria-label=Dismiss]");

      // Details behind a view token from the in-page gateway.
      await page.click(byTestId("btn-details"));
      await page.waitForSelector(byTestId("btn-reveal"));
      assert.equal((await lastLogEntry(page, "getCardDetails")).status, "200");
      await page.click(byTestId("btn-reveal"));
      await page.waitForSelector("[data-testid=card-pan][data-revealed=true]");
      assert.match(await text(page, byTestId("card-pan")), /^\d{4} \d{4} \d{4} \d{4}$/);

      // Link a card and block it.
      await page.type(byTestId("link-number"), "4111 1111 1111 1111");
      await page.fill("#link-alias", "Travel");
      await page.press("#link-alias", "Enter");
      await waitForCardState(page, "ACTIVE");
      await page.click(byTestId("btn-block"));
      await waitForCardState(page, "BLOCKED");

      const ops = await page.evaluate(() => [...document.querySelectorAll("[data-testid=log-entry]")].map((el) => el.dataset.op).reverse());
      assert.deepEqual(ops, ["issueCard", "activateCard", "activateCard", "viewToken", "getCardDetails", "linkCard", "blockCard"]);
      const pageText = await page.evaluate(() => document.body.textContent);
      assert.ok(!pageText.includes("migo-test-token"));
      assert.ok(!pageText.includes("4111111111111111"));
      assert.doesNotMatch(pageText, /vt_[0-9a-f]{4,}/);

      // Nothing but the copy's own files was fetched; the one miss is the probe for a local gateway.
      const origin = new URL(base).origin;
      const elsewhere = await page.evaluate(
        (o) => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => !n.startsWith(`${o}/`)),
        origin,
      );
      assert.deepEqual(elsewhere, [], "no request to another origin");
      assert.deepEqual(refused, ["/__mock/health"]);
      // (The SDK's wasm travels inside pkg/web/wasm.js: no .wasm file is fetched.)
      assert.ok(served.includes(`${SITE}pkg/testing/index.js`) && served.includes(`${SITE}pkg/web/wasm.js`), served.join("\n"));
      assert.ok(!served.some((p) => p.endsWith(".wasm")), served.join("\n"));
      const problems = await page.problems();
      assert.deepEqual(
        problems.filter(({ text: t, url }) => !(t.startsWith("Failed to load resource: the server responded with a status of 404") && url.endsWith("/__mock/health"))),
        [],
      );
    });
  });
});
