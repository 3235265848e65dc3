// Helpers of the consumer tests: the package as a consumer gets it (the
// tarball `npm pack` makes of pkg/, installed into a fresh project under the
// OS temp dir), pages opened in any of the three browser engines
// (tests/browsers.mjs), and child processes that are always stopped. Set
// MIGO_KEEP_CONSUMERS=1 to keep the temporary projects.
import { execFile, spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { root } from "../js/gateway.mjs";
import { PROBE_SOURCE } from "../browsers.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const fixture = path.join(here, "fixture");
export const EXPECTED_ACTIVATION_URL = "https://sandbox.migopayments.com/card-activation?client=migoDeveloper&userId=1001";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command to completion; rejects with its output when it fails. */
export function run(cmd, args, { cwd, timeout = 120_000, env } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd, timeout, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const how = error.killed ? `killed (${error.signal}, timeout ${timeout} ms?)` : `exit ${error.code}`;
          reject(new Error(`${cmd} ${args.join(" ")} (in ${cwd}): ${how}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** The package folder: pkg/, or MIGO_PKG_DIR (e.g. a PKG_OUT build of build-pkg.sh). */
export const pkgDir = process.env.MIGO_PKG_DIR ? path.resolve(process.env.MIGO_PKG_DIR) : path.join(root, "pkg");

/**
 * `npm pack` of the package folder into `dest`. pkg/ is swapped atomically
 * by build-pkg.sh, which someone may run meanwhile, so a failed pack is
 * tried again a few times.
 */
export async function packPackage(dest) {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await run("npm", ["pack", pkgDir, "--pack-destination", dest, "--json", "--loglevel=error"], {
        cwd: dest,
      });
      const [info] = JSON.parse(stdout);
      return { tarball: path.join(dest, info.filename), info };
    } catch (e) {
      if (attempt >= 3) throw e;
      await sleep(1500);
    }
  }
}

/**
 * A fresh project under the OS temp dir with the packed package and `deps`
 * installed, plus the fixture files and folders named in `copy` (relative
 * to fixture/; an entry [from, to] puts `from` at `to` in the project).
 * Returns { dir, tarball, info, cleanup }.
 */
export async function createProject(name, { deps = [], copy = [], type } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `migo-consumer-${name}-`));
  const cleanup = () => (process.env.MIGO_KEEP_CONSUMERS ? undefined : rm(dir, { recursive: true, force: true, maxRetries: 3 }));
  try {
    const { tarball, info } = await packPackage(dir);
    const manifest = { name: `migo-consumer-${name}`, version: "0.0.0", private: true, ...(type ? { type } : {}) };
    await writeFile(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const entry of copy) {
      const [from, to] = Array.isArray(entry) ? entry : [entry, entry];
      await cp(path.join(fixture, from), path.join(dir, to), { recursive: true });
    }
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, ...deps], {
      cwd: dir,
      timeout: 300_000,
    });
    return { dir, tarball, info, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Installed versions, e.g. { vite: "8.3.8" }, for the test log. */
export async function installedVersions(dir, names) {
  const out = {};
  for (const n of names) out[n] = JSON.parse(await readFile(path.join(dir, "node_modules", n, "package.json"), "utf8")).version;
  return out;
}

export { CHROMIUM_ARGS, launchChromium } from "../js/helpers.mjs";

/**
 * Opens `url` on a fresh page of `engine` (from tests/browsers.mjs) and
 * waits for the app's #out to leave data-state="pending". Returns { state,
 * text, result, problems, violations }: `result` is the parsed JSON when
 * state is "done", `problems` every console error and uncaught error of the
 * page (see problems() in tests/browsers.mjs), and `violations` every
 * securitypolicyviolation event of the document, as recorded by probe.js
 * (withProbe) when the page loads it.
 */
export async function openApp(engine, url, { timeout = 30_000, click } = {}) {
  return engine.withPage({ timeout }, "consumer-app", async (page) => {
    const describeProblems = async () => (await page.problems()).map(({ text, url: at }) => (at ? `${text} (${at})` : text));
    // The same patience for the page itself: a dev server compiles a route on
    // its first request (next dev took over 30 s under load).
    await page.goto(url);
    // `click`: a selector to click first, once it is there (e.g. a button
    // that marks itself hydrated).
    if (click) await page.click(click);
    // Done, or an error (a module that failed to load never settles #out:
    // give it a moment after the first problem, then stop waiting).
    const deadline = Date.now() + timeout;
    let firstProblemAt;
    let state;
    for (;;) {
      // undefined: #out is not rendered yet (a page that hydrates first).
      state = await page.evaluate(() => document.querySelector("#out")?.dataset.state);
      if ((state !== undefined && state !== "pending") || Date.now() > deadline) break;
      if (firstProblemAt === undefined && (await page.problems()).length > 0) firstProblemAt = Date.now();
      if (firstProblemAt !== undefined && Date.now() - firstProblemAt > 1_000) break;
      await sleep(100);
    }
    const text = await page.evaluate(() => document.querySelector("#out")?.textContent);
    const problems = await describeProblems();
    if (state === "pending" || state === undefined) {
      const why = firstProblemAt === undefined ? `did not finish within ${timeout} ms` : "failed";
      throw new Error(`${url}: the app ${why}; problems: ${JSON.stringify(problems)}`);
    }
    const violations = await page.evaluate(() => window.__violations ?? null);
    return { state, text, result: state === "done" ? JSON.parse(text) : undefined, problems, violations };
  });
}

/**
 * `html` loading probe.js (written beside it by writeProbe) as the last
 * element of <head>: a classic script, so it runs before any module script
 * of the page, and from 'self', so any CSP of these pages allows it.
 */
export function withProbe(html) {
  assert.match(html, /<\/head>/);
  return html.replace("</head>", `  <script src="/probe.js"></script>\n  </head>`);
}

/** probe.js (tests/browsers.mjs's in-page recorder) at the root `dir` is served from. */
export function writeProbe(dir) {
  return writeFile(path.join(dir, "probe.js"), PROBE_SOURCE);
}

/**
 * The app issued a card for user 1001 through the gateway `gw` (and the
 * gateway has it), built the sandbox activation URL and got a MigoError for
 * a bad argument, with no console error on the way.
 */
export async function assertIssued(res, gw, { where = "page" } = {}) {
  assert.equal(res.state, "done", `the app failed: ${res.text}\nproblems: ${res.problems.join("\n")}`);
  const { result } = res;
  assert.equal(result.where, where);
  assert.equal(result.activationUrl, EXPECTED_ACTIVATION_URL);
  assert.equal(result.card.status, "INACTIVE");
  assert.equal(result.card.userId, "1001");
  assert.equal(typeof result.card.cardId, "number");
  assert.deepEqual(result.validation, { migoError: true, error: true, kind: "validation", field: "userId" });
  assert.deepEqual(res.problems, []);
  const { cards, requests } = await gw.state();
  assert.ok(
    cards.some((c) => c.cardId === result.card.cardId && c.userId === "1001"),
    `the gateway holds card ${result.card.cardId}: ${JSON.stringify(cards)}`,
  );
  assert.ok(
    requests.some((r) => r.method === "POST" && r.path === "/rest/users/1001/cards/virtuals" && r.headers.authorization === "Bearer ***"),
    "the gateway saw the authorised POST",
  );
}

/** `html` with a CSP <meta> tag as the first element of <head>. */
export function withCsp(html, policy = "script-src 'self' 'wasm-unsafe-eval'") {
  assert.match(html, /<head>/);
  return html.replace("<head>", `<head>\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
}

/**
 * Starts a Node server script (e.g. the Vite dev server) that prints its
 * URL; resolves to { url, output(), stop() } once `pattern` (whose group 1
 * is the URL) shows up on stdout or stderr. lifeline.mjs is preloaded, so
 * the server exits when this process closes its stdin or dies. stop() ends
 * it (stdin closed and SIGTERM, then SIGKILL).
 */
export function startNodeServer(script, args, { cwd, pattern, timeout = 60_000, env } = {}) {
  const child = spawn(process.execPath, ["--import", pathToFileURL(path.join(here, "lifeline.mjs")).href, script, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const cmd = `node ${script} ${args.join(" ")}`;
  let output = "";
  const exited = new Promise((r) => child.once("exit", r));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(async () => {
      await stop();
      reject(new Error(`${cmd}: no URL within ${timeout} ms:\n${output}`));
    }, timeout);
    const onData = (d) => {
      output += d;
      const m = pattern.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], output: () => output, stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} exited early (${code ?? signal}):\n${output}`));
    });
  });
}
