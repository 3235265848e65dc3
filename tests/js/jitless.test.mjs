// The package's JS suites again under `node --jitless`, where Node 20 has no
// WebAssembly, so that they run against the JavaScript build of the core and
// of the test gateway (binaryen's wasm2js). The child preloads
// jitless-setup.mjs (a fetch that needs no WebAssembly). Left out: the suites
// about loading the wasm itself (loading, init-input, which pass WebAssembly
// modules) and fuzz, which the interpreter makes two minutes long (it passes:
// MIGO_JITLESS_SUITES, names comma-separated, picks the suites).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { root } from "./gateway.mjs";

const SUITES = (process.env.MIGO_JITLESS_SUITES ?? "api,boundary,driver,echo,faults,field-cases,own-effect,plain-client,secrets,testing-gateway,web-entry").split(",");

test(`the suites pass under node --jitless: ${SUITES.join(", ")}`, { timeout: 600_000 }, async () => {
  const files = SUITES.map((s) => path.join(root, "tests", "js", `${s.trim()}.test.mjs`));
  const args = ["--jitless", "--no-warnings", "--import", path.join(root, "tests", "js", "jitless-setup.mjs"), "--test", "--test-concurrency=2", "--test-reporter=spec", ...files];
  const { code, out } = await new Promise((resolve) =>
    // Without NODE_TEST_CONTEXT, which would make the child report to this runner instead of running.
    execFile(process.execPath, args, { cwd: root, env: { ...process.env, NODE_TEST_CONTEXT: undefined }, maxBuffer: 64 << 20, timeout: 590_000 }, (e, stdout, stderr) =>
      resolve({ code: e ? e.code ?? e.signal : 0, out: `${stdout}\n${stderr}` }),
    ),
  );
  assert.equal(code, 0, `node --jitless --test failed:\n${out.split("\n").slice(-120).join("\n")}`);
  const passed = Number(/^ℹ pass (\d+)$/m.exec(out)?.[1]);
  assert.ok(passed > 100, `the suites ran (${passed} tests passed):\n${out.slice(-2000)}`);
});
