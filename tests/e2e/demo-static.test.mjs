// The example page as a static copy (www/ with the package in its pkg/
// folder, under a sub-path), with no server at all: headless Chromium gets
// every file from the browser's own request routing, nothing answers
// /__mock, so the page runs on migo-cards/testing, the gateway in the page.
// Assumes pkg/ is built (scripts/test.sh does it before the JS tests).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { root } from "../js/gateway.mjs";
import { launchChromium } from "../js/helpers.mjs";

const ORIGIN = "https://static.test";
const BASE = `${ORIGIN}/some/site/`;
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".wasm": "application/wasm" };

let copy;
let browser;

before(async () => {
  copy = await mkdtemp(path.join(os.tmpdir(), "migo-static-demo-"));
  await cp(path.join(root, "www"), copy, { recursive: true });
  await cp(path.join(root, "pkg"), path.join(copy, "pkg"), { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (copy) await rm(copy, { recursive: true, force: true });
});

async function waitForCardState(page, state) {
  await page.waitForSelector(`[data-testid=card][data-state=${state}]`, { timeout: 30_000 });
}

async function lastLogEntry(page, op) {
  await page.waitForSelector(`[data-testid=log-entry]:first-child[data-op="${op}"]:not([data-outcome=pending])`, { state: "attached" });
  const entry = page.getByTestId("log-entry").first();
  return { outcome: await entry.getAttribute("data-outcome"), status: (await entry.getByTestId("log-status").innerText()).trim(), entry };
}

test("a static copy of the example page works with no server, on the in-page test gateway", { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  try {
    const served = [];
    const refused = [];
    // Everything under the copy's path comes from disk; anything else (the
    // /__mock probe, a gateway) has no server behind it.
    await context.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (!url.pathname.startsWith("/some/site/")) {
        refused.push(url.pathname);
        return route.fulfill({ status: 404, body: "no server here" });
      }
      let file = path.join(copy, decodeURIComponent(url.pathname.slice("/some/site/".length)));
      if (file.endsWith(path.sep) || file === copy) file = path.join(file, "index.html");
      try {
        const body = await readFile(file);
        served.push(url.pathname);
        await route.fulfill({ status: 200, body, contentType: TYPES[path.extname(file)] ?? "application/octet-stream" });
      } catch {
        await route.fulfill({ status: 404, body: "not found" });
      }
    });
    await context.route((u) => !u.href.startsWith(ORIGIN), (route) => {
      refused.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => m.type() === "error" && problems.push(`${m.text()} ${m.location().url ?? ""}`));
    await page.goto(BASE);
    await page.waitForSelector("html[data-ready=true]", { state: "attached" });
    await page.getByTestId("client-status").filter({ hasText: "Ready" }).waitFor();

    assert.equal(await page.locator("html").getAttribute("data-gateway"), "in-page");
    assert.ok(await page.getByTestId("in-page-note").isVisible());
    assert.match(await page.getByTestId("client-status").innerText(), /in-page test gateway/);
    assert.equal(await page.locator("#base-url").inputValue(), "", "the environment's own URL");
    assert.match(await page.getByTestId("conn-summary").innerText(), /sandbox · ali-qa\.ali\.app\/rest/);

    // Issue, activate, the 7213 refusal.
    await page.getByTestId("btn-issue").click();
    await waitForCardState(page, "INACTIVE");
    assert.equal((await lastLogEntry(page, "issueCard")).status, "201");
    await page.getByTestId("btn-activate").click();
    await waitForCardState(page, "ACTIVE");
    await page.getByTestId("btn-activate").click();
    const toast = page.getByTestId("toast-error").filter({ hasText: "7213" });
    await toast.waitFor();
    const refusedCall = await lastLogEntry(page, "activateCard");
    assert.deepEqual([refusedCall.outcome, refusedCall.status], ["error", "409"]);
    await toast.getByRole("button", { name: "Dismiss" }).click();

    // Details behind a view token from the in-page gateway.
    await page.getByTestId("btn-details").click();
    await page.getByTestId("btn-reveal").waitFor();
    assert.equal((await lastLogEntry(page, "getCardDetails")).status, "200");
    await page.getByTestId("btn-reveal").click();
    await page.waitForSelector("[data-testid=card-pan][data-revealed=true]");
    assert.match((await page.getByTestId("card-pan").innerText()).trim(), /^\d{4} \d{4} \d{4} \d{4}$/);

    // Link a card and block it.
    await page.getByTestId("link-number").pressSequentially("4111 1111 1111 1111");
    await page.locator("#link-alias").fill("Travel");
    await page.locator("#link-alias").press("Enter");
    await waitForCardState(page, "ACTIVE");
    await page.getByTestId("btn-block").click();
    await waitForCardState(page, "BLOCKED");

    const ops = await page.locator("[data-testid=log-entry]").evaluateAll((els) => els.map((el) => el.dataset.op).reverse());
    assert.deepEqual(ops, ["issueCard", "activateCard", "activateCard", "viewToken", "getCardDetails", "linkCard", "blockCard"]);
    const text = await page.evaluate(() => document.body.textContent);
    assert.ok(!text.includes("migo-test-token"));
    assert.ok(!text.includes("4111111111111111"));
    assert.doesNotMatch(text, /vt_[0-9a-f]{4,}/);

    // Nothing but the copy's own files was fetched; the one miss is the probe for a local gateway.
    assert.deepEqual(refused, ["/__mock/health"]);
    // (The SDK's wasm travels inside pkg/web/wasm.js: no .wasm file is fetched.)
    assert.ok(served.includes("/some/site/pkg/testing/index.js") && served.includes("/some/site/pkg/web/wasm.js"), served.join("\n"));
    assert.ok(!served.some((p) => p.endsWith(".wasm")), served.join("\n"));
    assert.deepEqual(
      problems.filter((p) => !(p.startsWith("Failed to load resource: the server responded with a status of 404") && p.endsWith("/__mock/health"))),
      [],
    );
  } finally {
    await context.close();
  }
});
