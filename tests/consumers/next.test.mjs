// The package in a Next.js 16 app (App Router, no next.config, no
// serverExternalPackages): the tarball of pkg/ installed next to next, react
// and react-dom in a fresh project, and one small app (fixture/next/) built
// with Turbopack (`next build`) and with webpack (`next build --webpack`),
// each served by `next start`, and run by `next dev`. In each: a server
// component that uses the SDK while Next prerenders it, a client component
// that Next prerenders on the server and that issues a card from a click in
// Chromium, a server component that issues a card per request, and a route
// handler in the Node.js runtime and one in the Edge runtime, which also
// runs migo-cards/testing. In `next dev` (React StrictMode), the README's
// point about effects: one card from a click or from the deduplicated
// effect, two from the naive effect.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { startGateway } from "../js/gateway.mjs";
import { launch } from "../browsers.mjs";
import { EXPECTED_ACTIVATION_URL, assertIssued, createProject, installedVersions, openApp, run, startNodeServer } from "./lib.mjs";

const DEPS = ["next@^16", "react@^19", "react-dom@^19"];
// No telemetry call home; nothing else Next does reaches beyond the registry
// (its SWC binary is the @next/swc-* npm package).
const ENV = { NEXT_TELEMETRY_DISABLED: "1" };
// One copy of the app per mode, so that the two builds and the dev server
// never share a .next folder and can run at the same time.
const MODES = ["turbopack", "webpack", "dev"];

describe("a Next.js 16 app using migo-cards (App Router, no config)", { timeout: 900_000 }, () => {
  let project;
  let browser;
  let gw;
  const next = (...args) => [path.join(project.dir, "node_modules/next/dist/bin/next"), ...args];

  before(async () => {
    const copy = MODES.flatMap((m) => [
      ["next/app", `${m}/app`],
      ["src/operation.js", `${m}/src/operation.js`],
    ]);
    const started = await Promise.allSettled([createProject("next", { deps: DEPS, copy }), launch("chromium"), startGateway()]);
    [project, browser, gw] = started.map((s) => s.value);
    for (const s of started) if (s.status === "rejected") throw s.reason;
    console.log(`consumer project ${project.dir}: ${project.info.filename}, ${JSON.stringify(await installedVersions(project.dir, ["next", "react"]))}`);
  });

  after(async () => {
    await browser?.close();
    await gw?.stop();
    await project?.cleanup();
  });

  /** `next build` of one copy; returns its output. */
  async function build(mode) {
    const dir = path.join(project.dir, mode);
    const flags = mode === "webpack" ? ["--webpack"] : [];
    const { stdout, stderr } = await run(process.execPath, next("build", dir, ...flags), { cwd: project.dir, env: ENV, timeout: 600_000 });
    return `${stdout}\n${stderr}`;
  }

  // Both production builds at once, started as soon as the project is there.
  let builds;
  before(() => {
    builds = Object.fromEntries(["turbopack", "webpack"].map((m) => [m, build(m)]));
    for (const b of Object.values(builds)) b.catch(() => {});
  });

  async function assertServerPage(url) {
    const res = await openApp(browser, url);
    assert.equal(res.state, "done", res.text);
    const { where, card, validation } = res.result;
    assert.equal(where, "server component, per request");
    assert.deepEqual([card.userId, card.status, typeof card.cardId], ["1001", "INACTIVE", "number"]);
    assert.deepEqual(validation, { migoError: true, kind: "validation", field: "userId" });
    const { cards } = await gw.state();
    assert.ok(cards.some((c) => c.cardId === card.cardId), "the gateway holds the card the server issued");
  }

  /** `route` (a route handler) issues a card for 1002, and answers a bad user id with the MigoError's kind. */
  async function assertRouteHandler(base, route = "/api/cards") {
    const post = (userId) => fetch(`${base}${route}`, { method: "POST", body: JSON.stringify({ userId }) });
    const ok = await post("1002");
    assert.equal(ok.status, 200, await ok.clone().text());
    const { card } = await ok.json();
    assert.deepEqual([card.userId, card.status], ["1002", "INACTIVE"]);
    const { cards } = await gw.state();
    assert.ok(cards.some((c) => c.cardId === card.cardId && c.userId === "1002"));
    const bad = await post("");
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { kind: "validation", field: "userId" });
  }

  // The Edge runtime's route handler, given the gateway by `?api=`.
  const edgeRoute = () => `/api/edge?api=${encodeURIComponent(gw.api)}`;

  /** The prerendered server component's output, as Next wrote it at build time. */
  function prerenderedResult(html) {
    const m = /<pre id="out" data-state="done">([^<]*)<\/pre>/.exec(html);
    assert.ok(m, "the prerendered page holds #out");
    const text = m[1].replaceAll("&quot;", '"').replaceAll("&amp;", "&");
    return JSON.parse(text);
  }

  for (const mode of ["turbopack", "webpack"]) {
    describe(`next build${mode === "webpack" ? " --webpack" : ""} (${mode}), then next start`, () => {
      let server;
      let output;
      before(async () => {
        output = await builds[mode];
        // Next's notices about any use of the Edge runtime (deprecated, not prerendered) are not about the package.
        const notices = /^.*(The Edge Runtime is deprecated|Using edge runtime on a page).*$/gm;
        assert.doesNotMatch(output.replace(notices, ""), /download|warn|error/i, `next build printed a warning:\n${output}`);
        const argv = next("start", path.join(project.dir, mode), "-H", "127.0.0.1", "-p", "0");
        server = await startNodeServer(argv[0], argv.slice(1), {
          cwd: project.dir,
          env: { ...ENV, MIGO_API: gw.api },
          pattern: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/,
        });
      });
      after(() => server?.stop());

      test("the pages using the SDK were prerendered at build time", async () => {
        for (const route of ["/", "/client", "/mount", "/naive"]) {
          assert.match(output, new RegExp(`○ ${route}\\s*$`, "m"), `${route} is static, prerendered:\n${output}`);
        }
        const home = prerenderedResult(await readFile(path.join(project.dir, mode, ".next/server/app/index.html"), "utf8"));
        assert.deepEqual(home, {
          where: "server component, prerendered",
          activationUrl: EXPECTED_ACTIVATION_URL,
          luhn: [true, false],
          config: { migoError: true, kind: "config", field: "environment" },
        });
      });

      test("a client component issues a card from a click in Chromium", async () => {
        const res = await openApp(browser, `${server.url}/client?api=${encodeURIComponent(gw.api)}`, { click: "#issue[data-hydrated]" });
        await assertIssued(res, gw);
      });

      test("a server component issues a card per request", () => assertServerPage(`${server.url}/server`));

      test("a route handler issues a card, and answers a bad user id with the MigoError's kind", () => assertRouteHandler(server.url));

      test("an Edge runtime route handler does the same (the edge-light entry)", () => assertRouteHandler(server.url, edgeRoute()));

      test("an Edge runtime route handler runs migo-cards/testing's createTestGateway()", async () => {
        const res = await fetch(`${server.url}/api/edge-testing`);
        assert.equal(res.status, 200, await res.clone().text());
        assert.deepEqual(await res.json(), { status: "ACTIVE", statuses: [201, 200] });
      });
    });
  }

  describe("next dev (Turbopack, React StrictMode)", () => {
    let server;
    before(async () => {
      // After the builds: the dev server compiles each page on first request.
      await Promise.allSettled(Object.values(builds));
      const argv = next("dev", path.join(project.dir, "dev"), "-H", "127.0.0.1", "-p", "0");
      server = await startNodeServer(argv[0], argv.slice(1), {
        cwd: project.dir,
        env: { ...ENV, MIGO_API: gw.api },
        pattern: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/,
        timeout: 120_000,
      });
    });
    after(() => server?.stop());

    const page = (route) => `${server.url}${route}?api=${encodeURIComponent(gw.api)}`;
    const issued = async () => (await gw.requests()).filter((r) => r.method === "POST" && r.path === "/rest/users/1001/cards/virtuals").length;

    test("a client component issues one card per click", async () => {
      await gw.reset();
      await assertIssued(await openApp(browser, page("/client"), { click: "#issue[data-hydrated]", timeout: 120_000 }), gw);
      assert.equal(await issued(), 1);
    });

    test("the README's effect pattern issues one card although StrictMode runs the effect twice", async () => {
      await gw.reset();
      await assertIssued(await openApp(browser, page("/mount"), { timeout: 120_000 }), gw);
      assert.equal(await issued(), 1);
    });

    test("the control: issueCard called straight from an effect issues two cards in development", async () => {
      await gw.reset();
      await assertIssued(await openApp(browser, page("/naive"), { timeout: 120_000 }), gw);
      // The second effect run finishes a moment after the first has filled #out.
      for (let i = 0; i < 50 && (await issued()) < 2; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await issued(), 2);
    });

    test("a server component and both route handlers (Node.js and Edge runtimes) work in development too", async () => {
      await assertServerPage(`${server.url}/server`);
      await assertRouteHandler(server.url);
      await assertRouteHandler(server.url, edgeRoute());
    });
  });
});
