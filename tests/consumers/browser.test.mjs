// The package as a browser app gets it: the tarball of pkg/ installed into
// one fresh project next to Vite, webpack and webpack-cli, and the same
// small app (fixture/) built with Vite, built with webpack, served by the
// Vite dev server, and loaded with no bundler at all, each in headless
// Chromium against a local gateway: in the page, in a module worker, and
// under a Content-Security-Policy without 'unsafe-eval'.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { startGateway } from "../js/gateway.mjs";
import { assertIssued, createProject, installedVersions, launchChromium, openApp, run, startNodeServer, withCsp } from "./lib.mjs";

// webpack-cli 7 needs Node >= 22.15 (its rechoir dependency), so 6 on Node 20.
const DEPS = ["vite@^8", "webpack@^5", "webpack-cli@^6"];

describe("a browser app using migo-cards", { timeout: 600_000 }, () => {
  let project;
  let browser;

  before(async () => {
    const [p, b] = await Promise.allSettled([
      createProject("browser", { deps: DEPS, copy: ["index.html", "webpack.html", "webpack.config.mjs", "src", "raw"], type: "module" }),
      launchChromium(),
    ]);
    project = p.value;
    browser = b.value;
    if (p.status === "rejected") throw p.reason;
    if (b.status === "rejected") throw b.reason;
    const versions = await installedVersions(project.dir, ["vite", "webpack", "webpack-cli"]);
    console.log(`consumer project ${project.dir}: ${project.info.filename}, ${JSON.stringify(versions)}`);
  });

  after(async () => {
    await browser?.close();
    await project?.cleanup();
  });

  /** Serves `dir` at / of a fresh gateway for the tests of a describe. */
  function gatewayServing(getDir) {
    const holder = {};
    before(async () => {
      holder.gw = await startGateway(["--static", `/=${getDir()}`]);
    });
    after(() => holder.gw?.stop());
    return holder;
  }

  describe("built with Vite (`vite build`, no config)", () => {
    const dist = () => path.join(project.dir, "dist");
    before(async () => {
      const { stdout, stderr } = await run(process.execPath, [path.join(project.dir, "node_modules/vite/bin/vite.js"), "build"], {
        cwd: project.dir,
      });
      assert.doesNotMatch(`${stdout}\n${stderr}`, /warn|error/i, `vite build printed a warning:\n${stdout}\n${stderr}`);
      const assets = await readdir(path.join(dist(), "assets"));
      assert.equal(assets.filter((f) => f.endsWith(".wasm")).length, 1, `one .wasm asset: ${assets}`);
      await writeFile(path.join(dist(), "csp.html"), withCsp(await readFile(path.join(dist(), "index.html"), "utf8")));
    });
    const served = gatewayServing(dist);

    test("the page calls activationUrl and issueCard", async () => {
      await assertIssued(await openApp(browser, `${served.gw.url}/`), served.gw);
    });

    test("a module worker bundled by Vite does the same", async () => {
      await assertIssued(await openApp(browser, `${served.gw.url}/?in=worker`), served.gw, { where: "worker" });
    });

    test("the built page works under script-src 'self' 'wasm-unsafe-eval'", async () => {
      const res = await openApp(browser, `${served.gw.url}/csp.html`);
      assert.deepEqual(res.violations, []);
      await assertIssued(res, served.gw);
    });
  });

  describe("served by the Vite dev server (cross-origin API)", () => {
    let gw;
    let dev;
    before(async () => {
      gw = await startGateway();
      dev = await startNodeServer(
        path.join(project.dir, "node_modules/vite/bin/vite.js"),
        ["--host", "127.0.0.1", "--port", "0", "--strictPort"],
        { cwd: project.dir, pattern: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/ },
      );
    });
    after(async () => {
      await dev?.stop();
      await gw?.stop();
    });

    test("the page calls activationUrl and issueCard", async () => {
      await assertIssued(await openApp(browser, `${dev.url}/?api=${encodeURIComponent(gw.api)}`), gw);
    });

    test("a module worker served by Vite does the same", async () => {
      await assertIssued(await openApp(browser, `${dev.url}/?in=worker&api=${encodeURIComponent(gw.api)}`), gw, { where: "worker" });
    });
  });

  describe("built with webpack 5 (no experiments, no loaders)", () => {
    const dist = () => path.join(project.dir, "dist-webpack");
    before(async () => {
      const { stdout, stderr } = await run(
        process.execPath,
        [path.join(project.dir, "node_modules/webpack/bin/webpack.js"), "--config", "webpack.config.mjs"],
        { cwd: project.dir },
      );
      assert.match(stdout, /compiled successfully/, stdout);
      assert.doesNotMatch(`${stdout}\n${stderr}`, /WARNING|ERROR/, `webpack printed a warning:\n${stdout}\n${stderr}`);
      const files = await readdir(dist());
      assert.equal(files.filter((f) => f.endsWith(".wasm")).length, 1, `one .wasm asset: ${files}`);
      await copyFile(path.join(project.dir, "webpack.html"), path.join(dist(), "index.html"));
      await writeFile(path.join(dist(), "csp.html"), withCsp(await readFile(path.join(dist(), "index.html"), "utf8")));
    });
    const served = gatewayServing(dist);

    test("the page calls activationUrl and issueCard", async () => {
      await assertIssued(await openApp(browser, `${served.gw.url}/`), served.gw);
    });

    test("a worker bundled by webpack does the same", async () => {
      await assertIssued(await openApp(browser, `${served.gw.url}/?in=worker`), served.gw, { where: "worker" });
    });

    test("the built page works under script-src 'self' 'wasm-unsafe-eval'", async () => {
      const res = await openApp(browser, `${served.gw.url}/csp.html`);
      assert.deepEqual(res.violations, []);
      await assertIssued(res, served.gw);
    });
  });

  describe("no bundler: the package's files served as they are installed", () => {
    const served = gatewayServing(() => project.dir);

    test("a page with script-src 'self' 'wasm-unsafe-eval' calls init() and issueCard, with no CSP violation", async () => {
      const res = await openApp(browser, `${served.gw.url}/raw/`);
      assert.deepEqual(res.violations, []);
      await assertIssued(res, served.gw);
    });

    test("the control: without 'wasm-unsafe-eval' the same page sees the violation", async () => {
      const res = await openApp(browser, `${served.gw.url}/raw/no-wasm-eval.html`);
      assert.equal(res.state, "error");
      assert.match(res.text, /Content Security Policy/);
      assert.equal(res.violations.length, 1, res.violations.join("\n"));
      assert.match(res.violations[0], /^script-src blocked wasm-eval/);
    });

    test("a module worker importing /node_modules/migo-cards/web/index.js does the same", async () => {
      await assertIssued(await openApp(browser, `${served.gw.url}/raw/?in=worker`), served.gw, { where: "worker" });
    });
  });
});
