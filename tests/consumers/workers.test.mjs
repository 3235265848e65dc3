// The package in a Cloudflare Worker: the tarball of pkg/ installed into a
// fresh project beside wrangler (whose workerd binary is an npm package too),
// and one worker (fixture/workers/) that imports migo-cards and
// migo-cards/testing at global scope with no configuration, run by
// `wrangler dev` on 127.0.0.1, then bundled as for a deployment
// (`wrangler deploy --dry-run`, which uploads nothing). workerd compiles no
// WebAssembly from bytes and allows nothing asynchronous at global scope:
// the "workerd" condition's entries import their .wasm compiled and
// instantiate it on import.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { startGateway } from "../js/gateway.mjs";
import { EXPECTED_ACTIVATION_URL, createProject, installedVersions, run, startNodeServer } from "./lib.mjs";

// Nothing phones home: no metrics, no login; the `Request.cf` lookup fails
// at once offline and wrangler falls back to a placeholder.
const ENV = { WRANGLER_SEND_METRICS: "false", CI: "1", CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined };

describe("a Cloudflare Worker using migo-cards under wrangler dev (no configuration)", { timeout: 600_000 }, () => {
  let project;
  let gw;
  let server;
  let wrangler;

  before(async () => {
    const t0 = performance.now();
    const started = await Promise.allSettled([createProject("workers", { deps: ["wrangler@^4"], copy: ["workers", ["src/operation.js", "workers/src/operation.js"]] }), startGateway()]);
    [project, gw] = started.map((s) => s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    const installed = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(`consumer project ${project.dir}: ${project.info.filename}, ${JSON.stringify(await installedVersions(project.dir, ["wrangler"]))}, installed in ${installed} s`);
    wrangler = path.join(project.dir, "node_modules/wrangler/bin/wrangler.js");
    // Port 0 for the worker and its inspector: runs never collide.
    server = await startNodeServer(
      wrangler,
      ["dev", "--ip", "127.0.0.1", "--port", "0", "--inspector-port", "0", "--show-interactive-dev-session=false"],
      { cwd: path.join(project.dir, "workers"), env: ENV, pattern: /Ready on (http:\/\/127\.0\.0\.1:\d+)/, timeout: 120_000 },
    );
  });

  after(async () => {
    await server?.stop();
    await gw?.stop();
    await project?.cleanup();
  });

  /** GET `route` of the worker: its JSON, which must not be an error. */
  async function get(route) {
    const res = await fetch(`${server.url}${route}`);
    const body = await res.text();
    assert.equal(res.status, 200, `${route}: ${body}\n--- wrangler\n${server.output()}`);
    return JSON.parse(body);
  }

  function assertFlow(out) {
    assert.deepEqual([out.card.userId, out.card.status, typeof out.card.cardId], ["1001", "INACTIVE", "number"]);
    assert.deepEqual([out.activated.cardId, out.activated.status], [out.card.cardId, "ACTIVE"]);
    assert.deepEqual(out.refused, { migoError: true, kind: "api", code: "7213" });
  }

  test("the worker issues and activates a card through the local gateway", async () => {
    const out = await get(`/issue?api=${encodeURIComponent(gw.api)}`);
    assertFlow(out);
    // The shared operation's own checks: the activation URL and a MigoError for a bad user id.
    assert.equal(out.where, "worker");
    assert.equal(out.activationUrl, EXPECTED_ACTIVATION_URL);
    assert.deepEqual(out.validation, { migoError: true, error: true, kind: "validation", field: "userId" });
    assert.deepEqual(out.luhn, [true, false]);
    assert.equal(out.initResolves, true);
    const { cards } = await gw.state();
    assert.ok(cards.some((c) => c.cardId === out.card.cardId && c.status === "ACTIVE"), "the gateway holds the activated card");
  });

  test("the worker runs the same flow against migo-cards/testing's createTestGateway()", async () => {
    const out = await get("/testing");
    assertFlow(out);
    assert.equal(out.held, "ACTIVE");
    assert.deepEqual(out.statuses, [201, 200, 409]);
  });

  test("wrangler deploy --dry-run bundles the worker with both modules as .wasm files, nothing inlined", async () => {
    const outdir = path.join(project.dir, "dist");
    await run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outdir], { cwd: path.join(project.dir, "workers"), env: ENV });
    const files = await readdir(outdir);
    assert.ok(files.some((f) => f.endsWith("-migo_cards.wasm")), files.join(" "));
    assert.ok(files.some((f) => f.endsWith("-gateway.wasm")), files.join(" "));
    assert.doesNotMatch(await readFile(path.join(outdir, "worker.js"), "utf8"), /AGFzbQ/, "no module inlined as base64");
  });
});
