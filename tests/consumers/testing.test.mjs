// migo-cards/testing as consumers use it: the tarball of pkg/ installed into
// one fresh project beside Vitest, Jest and jest-environment-jsdom, and the
// same card flow (issue, activate, a 7213 refusal, details behind a view
// token, a lost answer, an expired token refreshed) run with no server in
// Vitest (its node mode and its browser mode in Chromium), Jest's node and
// jsdom environments, Node's test runner and a Chromium page (the installed
// files with an import map, and a Vite build), plus fake timers driving a
// Retry-After wait. The README's "Testing your app" example is extracted
// from the installed README and run by Vitest in both modes, so the two
// cannot drift.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createProject, installedVersions, launchChromium, run } from "./lib.mjs";

// Vitest 5 needs Node 22; 4 runs on the Node 20 of this machine. Its
// browser mode drives Debian's Chromium through Playwright (whose npm
// package downloads no browser).
const DEPS = ["vitest@^4", "@vitest/browser-playwright@^4", "playwright@^1", "jest@^30", "jest-environment-jsdom@^30"];
const CONTENT_TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".cjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css" };

/**
 * The code blocks of the README's "Testing your app" section that start
 * with a `// FILE.js` line, as { file: source }.
 */
export function readmeExample(readme) {
  const start = readme.indexOf("\n## Testing your app");
  assert.ok(start >= 0, "the README has a Testing your app section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const files = {};
  for (const m of section.matchAll(/```js\n\/\/ ([\w.-]+\.js)\n([\s\S]*?)```/g)) files[m[1]] = `// ${m[1]}\n${m[2]}`;
  return files;
}

/** Seconds since `t0`, for the log. */
const since = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

describe("migo-cards/testing in a consumer's test runners and page", { timeout: 900_000 }, () => {
  let project;
  let dir;
  let readmeFiles;

  before(async () => {
    const t0 = performance.now();
    project = await createProject("testing", { deps: DEPS, copy: ["testing"], type: "module" });
    dir = path.join(project.dir, "testing");
    const versions = await installedVersions(project.dir, ["vitest", "vite", "jest", "jest-environment-jsdom"]);
    console.log(`consumer project ${project.dir}: ${project.info.filename}, ${JSON.stringify(versions)}, installed in ${since(t0)}`);
    const readme = await readFile(path.join(project.dir, "node_modules", "migo-cards", "README.md"), "utf8");
    readmeFiles = readmeExample(readme);
    await mkdir(path.join(dir, "vitest", "readme"), { recursive: true });
    for (const [file, source] of Object.entries(readmeFiles)) await writeFile(path.join(dir, "vitest", "readme", file), source);
  });

  after(() => project?.cleanup());

  /**
   * `vitest run` in the project with `args`, which must pass and include the
   * README's example; resolves to the "file: title" of each test that passed.
   */
  async function vitest(label, args = []) {
    assert.ok(Object.keys(readmeFiles).some((f) => f.endsWith(".test.js")), `the README example has a test file: ${Object.keys(readmeFiles)}`);
    const t0 = performance.now();
    const report = path.join(dir, `${label}-report.json`);
    // A failing run still writes its report, whose messages say more than the exit code.
    const failed = await run(process.execPath, [path.join(project.dir, "node_modules/vitest/vitest.mjs"), "run", ...args, "--reporter=json", `--outputFile=${report}`], { cwd: dir }).then(
      () => undefined,
      (e) => e,
    );
    console.log(`${label}: ${since(t0)}`);
    const result = JSON.parse(await readFile(report, "utf8").catch(() => Promise.reject(failed)));
    const passed = result.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "passed").map((a) => `${path.relative(dir, f.name)}: ${a.title}`));
    const why = result.testResults.flatMap((f) => [f.message, ...f.assertionResults.flatMap((a) => a.failureMessages ?? [])]).filter(Boolean);
    assert.equal(result.numFailedTests, 0, why.join("\n"));
    const fromReadme = passed.filter((t) => t.startsWith("vitest/readme/"));
    assert.ok(fromReadme.length >= 3, `the README's tests ran: ${passed.join("\n")}`);
    assert.equal(result.numTotalTests, passed.length);
    return passed;
  }

  for (const [mode, args] of [["node", []], ["browser", ["--config", "vitest.browser.config.mjs"]]]) {
    test(`Vitest's ${mode} mode: the card flow, fake timers, and the README's example, unchanged`, async () => {
      const passed = await vitest(`vitest-${mode}`, args);
      assert.ok(passed.some((t) => t.startsWith("vitest/flow.test.js: issue, activate")), passed.join("\n"));
      assert.ok(passed.some((t) => t.startsWith("vitest/flow.test.js: fake timers")), passed.join("\n"));
    });
  }

  test("Jest: the card flow and fake timers in the node and the jsdom environment", async () => {
    const t0 = performance.now();
    const report = path.join(dir, "jest-report.json");
    await run(process.execPath, [path.join(project.dir, "node_modules/jest/bin/jest.js"), "--ci", "--json", `--outputFile=${report}`], { cwd: dir });
    console.log(`jest: ${since(t0)}`);
    const result = JSON.parse(await readFile(report, "utf8"));
    assert.equal(result.numFailedTests, 0, JSON.stringify(result.testResults.map((f) => f.message), null, 2));
    assert.equal(result.numPassedTests, 6, "three tests in each of the two environments");
    const node = JSON.parse(await readFile(path.join(dir, "env-node.json"), "utf8"));
    const jsdom = JSON.parse(await readFile(path.join(dir, "env-jsdom.json"), "utf8"));
    assert.deepEqual(node, { Response: "function", Request: "function", fetch: "function", TextDecoder: "function", answer: "Response" });
    // jsdom: no fetch, Request, Response or TextDecoder (and no setup file adds one); the
    // gateway answered with its own Response-compatible object.
    assert.deepEqual(jsdom, { Response: "undefined", Request: "undefined", fetch: "undefined", TextDecoder: "undefined", answer: "TestResponse" });
  });

  test("Node's test runner: the card flow and mock timers", async () => {
    const t0 = performance.now();
    // NODE_TEST_CONTEXT from this runner would make the inner one report to it instead of printing.
    const { stdout } = await run(process.execPath, ["--test", "--test-reporter=tap", "node/card-flow.mjs"], {
      cwd: dir,
      env: { NODE_TEST_CONTEXT: undefined },
    });
    console.log(`node --test: ${since(t0)}`);
    assert.match(stdout, /^# pass 2$/m, stdout);
    assert.match(stdout, /^# fail 0$/m, stdout);
  });

  describe("a page in Chromium, no server: files served from disk by the browser's request routing", () => {
    let browser;
    before(async () => {
      browser = await launchChromium();
      await run(process.execPath, [path.join(project.dir, "node_modules/vite/bin/vite.js"), "build", "page", "--outDir", "../dist-page", "--emptyOutDir", "--logLevel", "warn"], { cwd: dir });
    });
    after(() => browser?.close());

    /** Opens `url` with https://app.test/ answered from `root`; resolves to the page's result. */
    async function open(root, url) {
      const context = await browser.newContext();
      try {
        await context.route("https://app.test/**", async (route) => {
          const file = path.join(root, decodeURIComponent(new URL(route.request().url()).pathname));
          try {
            const body = await readFile(file);
            await route.fulfill({ status: 200, body, contentType: CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" });
          } catch {
            await route.fulfill({ status: 404, body: "not found" });
          }
        });
        // Anything else would be a server: refuse it.
        const elsewhere = [];
        await context.route((u) => !u.href.startsWith("https://app.test/"), (route) => {
          elsewhere.push(route.request().url());
          return route.abort();
        });
        const page = await context.newPage();
        const problems = [];
        page.on("pageerror", (e) => problems.push(String(e)));
        page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
        await page.goto(url);
        await page.waitForSelector("#out:not([data-state=pending])", { timeout: 30_000, state: "attached" });
        const state = await page.getAttribute("#out", "data-state");
        const text = await page.textContent("#out");
        assert.equal(state, "done", `${text}\n${problems.join("\n")}`);
        assert.deepEqual(problems, []);
        assert.deepEqual(elsewhere, [], "no request left the page");
        return JSON.parse(text);
      } finally {
        await context.close();
      }
    }

    const EXPECTED = {
      card: { status: "INACTIVE", userId: "1001" },
      activated: "ACTIVE",
      refused: { migoError: true, kind: "api", code: "7213", outcome: "rejected" },
      panDigits: 16,
      lost: { migoError: true, kind: "network", code: undefined, outcome: "unknown" },
      cardsOf1002: 1,
      tokenCalls: 2,
      statuses: [401, 201, 200, 409, 200, null],
    };
    // JSON has no undefined.
    const expected = JSON.parse(JSON.stringify(EXPECTED));

    test("the installed files with an import map (no bundler)", async () => {
      assert.deepEqual(await open(project.dir, "https://app.test/testing/page/index.html"), expected);
    });

    test("the page built by Vite", async () => {
      assert.deepEqual(await open(path.join(dir, "dist-page"), "https://app.test/index.html"), expected);
    });
  });
});
