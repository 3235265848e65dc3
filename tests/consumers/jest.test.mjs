// The package under Jest 30: the tarball of pkg/ installed into a fresh
// CommonJS project next to jest, jest-environment-jsdom and Babel as Jest's
// docs set them up (fixture/jest/). Test files in ES-module syntax compiled
// by babel-jest and in plain CommonJS run in the jsdom environment (which
// has no TextDecoder, TextEncoder, fetch or DecompressionStream): the SDK
// loads with no setup, validates, calls through a `fetch` passed as an
// option, and without one says so and sends nothing; one file runs in the
// node environment and issues a card through the gateway. Jest's native
// ES-module mode runs with the README's one line and, as the control, fails
// without it.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { startGateway } from "../js/gateway.mjs";
import { createProject, installedVersions, run } from "./lib.mjs";

const DEPS = ["jest@^30", "jest-environment-jsdom@^30", "babel-jest@^30", "@babel/core@^7", "@babel/preset-env@^7"];

describe("Jest 30 tests using migo-cards", { timeout: 600_000 }, () => {
  let project;
  let gw;

  before(async () => {
    const started = await Promise.allSettled([createProject("jest", { deps: DEPS, copy: [["jest", "."]] }), startGateway()]);
    [project, gw] = started.map((s) => s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    console.log(`consumer project ${project.dir}: ${project.info.filename}, ${JSON.stringify(await installedVersions(project.dir, ["jest", "jest-environment-jsdom"]))}`);
  });

  after(async () => {
    await gw?.stop();
    await project?.cleanup();
  });

  /** Runs Jest with `args`; resolves to its JSON report, whatever the exit code. */
  async function jest(args, { nodeOptions = [] } = {}) {
    const report = path.join(project.dir, `report-${Math.random().toString(36).slice(2)}.json`);
    const argv = [...nodeOptions, path.join(project.dir, "node_modules/jest/bin/jest.js"), "--ci", "--json", `--outputFile=${report}`, ...args];
    const outcome = await run(process.execPath, argv, { cwd: project.dir, env: { MIGO_API: gw.api }, timeout: 180_000 }).catch((e) => e);
    const json = JSON.parse(await readFile(report, "utf8"));
    return { json, output: outcome instanceof Error ? outcome.message : `${outcome.stdout}${outcome.stderr}` };
  }

  /** { "file › test name": status } of a Jest report. */
  const statuses = (json) =>
    Object.fromEntries(json.testResults.flatMap((f) => f.assertionResults.map((a) => [`${path.basename(f.name)} › ${a.title}`, a.status])));

  test("babel-jest (ES-module syntax) and CommonJS test files, jsdom and node environments, with no Jest config for the SDK", async () => {
    const { json, output } = await jest([]);
    assert.equal(json.success, true, output);
    const got = statuses(json);
    const jsdom = [
      "a bad argument rejects with a MigoError before anything is sent (jsdom)",
      "issueCard through the fetch passed as an option (jsdom)",
      "the SDK loads in the jsdom environment and validates locally",
      "with no fetch at all (jsdom has none), a call says so and sends nothing",
    ];
    const node = [
      "a bad argument rejects with a MigoError before anything is sent (node)",
      "issueCard reaches the local gateway with the environment's own fetch (node)",
      "issueCard through the fetch passed as an option (node)",
      "the SDK loads in the node environment and validates locally",
    ];
    assert.deepEqual(
      Object.keys(got).sort(),
      [...jsdom.map((t) => `jsdom.test.js › ${t}`), ...node.map((t) => `node-env.test.js › ${t}`), ...jsdom.map((t) => `require.test.js › ${t}`)].sort(),
    );
    const { cards } = await gw.state();
    assert.equal(cards.length, 1, "the node environment's test issued one card through the gateway; the jsdom ones sent nothing");
    assert.ok(Object.values(got).every((s) => s === "passed"), JSON.stringify(got, null, 2));
  });

  test("Jest's native ES-module mode with jsdom works with the README's one line (customExportConditions)", async () => {
    const { json, output } = await jest(["-c", "jest.esm.config.mjs"], { nodeOptions: ["--experimental-vm-modules"] });
    assert.equal(json.success, true, output);
    assert.equal(json.numPassedTests, 4, output);
  });

  test("the control: without that line the browser build is chosen, and jsdom lacks what it needs", async () => {
    const { json, output } = await jest(["-c", "jest.esm-control.config.mjs"], { nodeOptions: ["--experimental-vm-modules"] });
    assert.equal(json.success, false, output);
    assert.match(output, /TextDecoder|DecompressionStream/);
  });
});
