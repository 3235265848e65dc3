// The package as a server-side consumer gets it: the tarball of pkg/
// installed into a fresh project next to the `bun` and `deno` npm packages
// (each carries its runtime's binary), and one ES-module script and one
// CommonJS script (no init call in either) run by Node, Bun and Deno against
// a local gateway.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { startGateway } from "../js/gateway.mjs";
import { EXPECTED_ACTIVATION_URL, createProject, run } from "./lib.mjs";

let project;
let gw;

before(async () => {
  const [p, g] = await Promise.allSettled([createProject("node", { deps: ["bun@^1", "deno@^2"], copy: ["node"] }), startGateway()]);
  project = p.value;
  gw = g.value;
  if (p.status === "rejected") throw p.reason;
  if (g.status === "rejected") throw g.reason;
}, { timeout: 300_000 });

after(async () => {
  await gw?.stop();
  await project?.cleanup();
});

const RUNTIMES = {
  Node: () => [process.execPath],
  Bun: () => [path.join(project.dir, "node_modules/.bin/bun")],
  // -A: the script reads the package and calls the gateway. No update check
  // (that would reach beyond the registry); its cache stays in the project.
  Deno: () => [path.join(project.dir, "node_modules/.bin/deno"), "run", "-A"],
};
// TZ west of UTC: an HTTP date read as local time would be off by hours.
const RUNTIME_ENV = { DENO_NO_UPDATE_CHECK: "1", DENO_DIR: "deno-cache", TZ: "America/New_York" };

/** Runs a fixture script of the project with a runtime; it must exit by itself. */
async function script(name, runtime = "Node") {
  const [cmd, ...args] = RUNTIMES[runtime]();
  const { stdout } = await run(cmd, [...args, path.join("node", name), gw.api], { cwd: project.dir, timeout: 60_000, env: RUNTIME_ENV });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

async function assertWorked(out) {
  assert.equal(out.card.status, "INACTIVE");
  assert.equal(out.card.userId, "1001");
  assert.equal(typeof out.card.cardId, "number");
  assert.equal(out.activated.cardId, out.card.cardId);
  assert.equal(out.activated.status, "ACTIVE");
  assert.deepEqual(out.validation, { migoError: true, error: true, kind: "validation", field: "userId" });
  assert.deepEqual(out.config, { migoError: true, kind: "config", field: "environment" });
  assert.equal(out.activationUrl, EXPECTED_ACTIVATION_URL);
  assert.deepEqual(out.luhn, [true, false]);
  assert.equal(out.init, "function");
  const { cards } = await gw.state();
  assert.ok(cards.some((c) => c.cardId === out.card.cardId && c.status === "ACTIVE"), "the gateway holds the activated card");
}

test("the tarball holds every file its package.json points to, and nothing else", async () => {
  const packed = project.info.files.map((f) => f.path).sort();
  const manifest = JSON.parse(await readFile(path.join(project.dir, "node_modules/migo-cards/package.json"), "utf8"));
  const targets = [manifest.main, manifest.module, manifest.browser, manifest.types];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
  walk(manifest.exports);
  for (const t of targets) assert.ok(packed.includes(path.posix.normalize(t)), `${t} is in the tarball (${packed.join(", ")})`);
  const expected = [...manifest.files, "LICENSE", "README.md", "package.json"].sort();
  assert.deepEqual(packed, expected);
});

for (const runtime of Object.keys(RUNTIMES)) {
  test(`${runtime}: an ES-module script imports the package and calls the gateway without init()`, async () => {
    const out = await script("esm.mjs", runtime);
    assert.equal(out.resolved, `file://${path.join(project.dir, "node_modules/migo-cards/node/index.mjs")}`);
    await assertWorked(out);
    assert.deepEqual(out.retryAfter, {
      imf: "retried (2 attempts)",
      rfc850: "retried (2 attempts)",
      asctime: "retried (2 attempts)",
      wrongWeekday: "api 503 after 1, retryable true",
    });
    assert.equal(out.initResolves, true);
    assert.equal(out.sameMigoError, true, "import and require share one MigoError");
    assert.equal(out.sameMigoClient, true, "import and require share one MigoClient");
  });

  test(`${runtime}: a CommonJS script requires the package and calls the gateway without init()`, async () => {
    const out = await script("cjs.cjs", runtime);
    assert.equal(out.resolved, path.join(project.dir, "node_modules/migo-cards/node/index.cjs"));
    await assertWorked(out);
  });
}
