// The browser build in Chromium with WebAssembly off (`--js-flags=--jitless`,
// a stand-in for iOS Lockdown Mode): init() loads the JavaScript build
// (web/core.js) and a page issues and activates a card through the local
// gateway with a client constructed before init(); with WebAssembly on, the
// same page never fetches that file.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startGateway, root, TOKEN } from "./gateway.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./helpers.mjs";

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>migo-cards without WebAssembly</title>
<script type="module">
  const result = (window.__result = { wasm: typeof WebAssembly });
  try {
    const { default: init, MigoClient, MigoError, isValidCardNumber } = await import("/pkg/web/index.js");
    // Constructed before init(), as a test's beforeEach may: its first call waits for the module.
    const client = new MigoClient({ accessToken: ${JSON.stringify(TOKEN)}, baseUrl: location.origin + "/rest" });
    const card = await client.issueCard("1001");
    await init();
    result.valid = isValidCardNumber("4111 1111 1111 1111");
    result.issued = card.cardId;
    await client.activateCard("1001", card.cardId);
    try {
      new MigoClient({ accessToken: "t", environment: "staging" });
    } catch (e) {
      result.configError = e instanceof MigoError && e.kind === "config" && e.field === "environment";
    }
  } catch (e) {
    result.error = \`\${e.name}: \${e.message}\`;
  }
  result.files = performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname);
  result.done = true;
</script>
`;

let gw;
let dir;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "migo-no-wasm-"));
  await writeFile(path.join(dir, "index.html"), PAGE);
  gw = await startGateway(["--static", `/pkg=${path.join(root, "pkg")}`, "--static", `/page=${dir}`]);
});
after(async () => {
  await gw?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The page's result in a Chromium started with `extra` flags. */
async function runPage(extra) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extra], timeout: 60_000 });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${gw.url}/page/index.html`);
    await page.waitForFunction(() => window.__result?.done, null, { timeout: 120_000 });
    return { ...(await page.evaluate(() => window.__result)), problems };
  } finally {
    await browser.close();
  }
}

test("Chromium with WebAssembly off: init() loads the JavaScript build, and the page issues and activates a card", { timeout: 240_000 }, async () => {
  await gw.reset();
  const r = await runPage(["--js-flags=--jitless"]);
  assert.equal(r.wasm, "undefined", "WebAssembly is off");
  assert.equal(r.error, undefined);
  assert.deepEqual(r.problems, []);
  assert.equal(r.valid, true);
  assert.equal(r.configError, true);
  const card = (await gw.state()).cards.find((c) => String(c.cardId) === String(r.issued));
  assert.equal(card?.status, "ACTIVE", "the card the page issued is active");
  assert.ok(r.files.includes("/pkg/web/core.js"), "the JavaScript build was fetched");
});

test("Chromium with WebAssembly: the same page never fetches the JavaScript build", { timeout: 240_000 }, async () => {
  await gw.reset();
  const r = await runPage([]);
  assert.equal(r.wasm, "object");
  assert.equal(r.error, undefined);
  assert.ok(r.issued !== undefined);
  assert.ok(!r.files.includes("/pkg/web/core.js"), `fetched: ${r.files.join(", ")}`);
});
