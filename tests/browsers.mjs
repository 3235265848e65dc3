// One interface over the three browser engines the tests run in, so each
// browser test is written once and runs per engine:
//   chromium: Debian's chromium, driven by playwright-core;
//   firefox:  Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi;
//   webkit:   WebKitGTK's MiniBrowser behind Debian's WebKitWebDriver, driven by
//             selenium-webdriver (classic WebDriver), on a private Xvfb display.
// Nothing here downloads a browser or a driver: every binary is given by path.
// MIGO_ENGINES=chromium,firefox picks a subset (default: all three).
import { spawn } from "node:child_process";
import { describe, before, after } from "node:test";
import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { CHROMIUM, CHROMIUM_ARGS } from "./js/helpers.mjs";

export const FIREFOX = process.env.FIREFOX_BIN ?? "/usr/bin/firefox-esr";
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_BIN ?? "/usr/bin/WebKitWebDriver";
const MULTIARCH = { x64: "x86_64-linux-gnu", arm64: "aarch64-linux-gnu" }[process.arch] ?? `${process.arch}-linux-gnu`;
export const MINIBROWSER = process.env.MINIBROWSER_BIN ?? `/usr/lib/${MULTIARCH}/webkit2gtk-4.1/MiniBrowser`;

export const ENGINES = (process.env.MIGO_ENGINES ?? "chromium,firefox,webkit").split(",").map((s) => s.trim()).filter(Boolean);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * In-page recorder of uncaught errors, unhandled rejections, console.error
 * calls and CSP violations, as window.__migoProblems and window.__violations.
 * Loaded as a classic script (probe.js) in <head>, it records from before the
 * page's module scripts run, in every engine; WebKit also gets it injected
 * once a page has loaded, as classic WebDriver has no script that runs before
 * the page's own.
 */
export function installProbe() {
  if (window.__migoProblems) return;
  const problems = (window.__migoProblems = []);
  window.__violations = [];
  const show = (v) => (v instanceof Error ? `${v.name}: ${v.message}` : typeof v === "string" ? v : JSON.stringify(v) ?? String(v));
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    problems.push(`console.error: ${args.map(show).join(" ")}`);
    consoleError(...args);
  };
  window.addEventListener("error", (e) => {
    // A failed <script> or other element load reaches window only when captured.
    if (e.target !== window && e.target?.tagName) problems.push(`failed to load ${e.target.src || e.target.href || e.target.tagName}`);
    else problems.push(`page error: ${e.message} (${e.filename}:${e.lineno})`);
  }, true);
  window.addEventListener("unhandledrejection", (e) => problems.push(`unhandled rejection: ${show(e.reason)}`));
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} in ${e.sourceFile}:${e.lineNumber}`);
  });
}
/** probe.js: installProbe as a file a page can load with <script src>. */
export const PROBE_SOURCE = `(${installProbe})();\n`;

/**
 * A node:test `describe` per engine of ENGINES: `fn(engine, browser)` adds
 * its tests, `browser.engine` being that engine launched before them and
 * closed after.
 */
export function describeEngines(fn) {
  for (const engine of ENGINES) {
    describe(engine, () => {
      const browser = {};
      before(async () => {
        browser.engine = await launch(engine);
      });
      after(() => browser.engine?.close());
      fn(engine, browser);
    });
  }
}

/**
 * Launches `name` ("chromium", "firefox" or "webkit"). Returns an engine
 * { name, version, newPage(opts), withPage(opts, label, fn), close() }.
 */
export async function launch(name) {
  const t0 = Date.now();
  const impl = { chromium: launchChromiumEngine, firefox: launchFirefoxEngine, webkit: launchWebkitEngine }[name];
  if (!impl) throw new Error(`unknown engine ${name}; expected chromium, firefox or webkit`);
  const engine = await impl();
  console.log(`${name}: ${engine.version}, launched in ${Date.now() - t0} ms`);
  /**
   * Runs fn(page) on a fresh page; on failure saves a screenshot to the OS
   * temp dir and names it in the error. The page is closed in every case.
   */
  engine.withPage = async (opts, label, fn) => {
    const page = await engine.newPage(opts);
    try {
      return await fn(page);
    } catch (e) {
      const file = path.join(os.tmpdir(), `migo-${label.replace(/[^\w-]+/g, "-")}-${name}.png`);
      const shot = await page.screenshot(file).then(() => `screenshot: ${file}`, (err) => `no screenshot: ${err.message}`);
      e.message = `[${name}] ${e.message}\n${shot}`;
      throw e;
    } finally {
      await page.close().catch(() => {});
    }
  };
  return engine;
}

/** Waits for `check()` to return a truthy value (polled), which it returns. */
async function poll(check, { timeout, what }) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    await sleep(50);
  }
}

// ---- Chromium (playwright-core) ----------------------------------------------------

async function launchChromiumEngine() {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  return {
    name: "chromium",
    version: `Chromium ${browser.version()}`,
    async newPage({ viewport = { width: 1280, height: 800 }, timeout = 30_000 } = {}) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage().catch(async (e) => {
        await context.close();
        throw e;
      });
      page.setDefaultTimeout(timeout);
      const problems = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push({ text: m.text(), url: m.location().url ?? "" });
      });
      page.on("pageerror", (e) => problems.push({ text: `page error: ${e.message}`, url: "" }));
      return wrapPage({
        engine: "chromium",
        timeout,
        protocolProblems: problems,
        goto: (url) => page.goto(url, { timeout }),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        click: (sel) => page.click(sel),
        fill: (sel, text) => page.fill(sel, text),
        type: (sel, text) => page.locator(sel).pressSequentially(text),
        focus: (sel) => page.focus(sel),
        key: (key) => page.keyboard.press(key),
        select: (sel, value) => page.selectOption(sel, value).then(() => {}),
        screenshot: (file) => page.screenshot({ path: file, fullPage: true }),
        close: () => context.close(),
      });
    },
    close: () => browser.close(),
  };
}

// ---- Firefox (puppeteer-core, WebDriver BiDi) ----------------------------------------

async function launchFirefoxEngine() {
  const { default: puppeteer } = await import("puppeteer-core");
  // puppeteer starts Firefox detached; through setpriv it still dies with this process.
  const wrapperDir = await mkdtemp(path.join(os.tmpdir(), "migo-firefox-"));
  const wrapper = path.join(wrapperDir, "firefox");
  await writeFile(wrapper, `#!/bin/sh\nexec setpriv --pdeathsig KILL -- '${FIREFOX}' "$@"\n`, { mode: 0o755 });
  let browser;
  try {
    browser = await puppeteer.launch({ browser: "firefox", executablePath: wrapper, headless: true, timeout: 60_000 });
  } catch (e) {
    await rm(wrapperDir, { recursive: true, force: true });
    throw e;
  }
  return {
    name: "firefox",
    version: `Firefox ${(await browser.version()).replace(/^firefox\//, "")}`,
    async newPage({ viewport = { width: 1280, height: 800 }, timeout = 30_000 } = {}) {
      const context = await browser.createBrowserContext();
      let page;
      try {
        page = await context.newPage();
        page.setDefaultTimeout(timeout);
        await page.setViewport(viewport);
      } catch (e) {
        await context.close();
        throw e;
      }
      const problems = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push({ text: m.text(), url: m.location()?.url ?? "" });
      });
      page.on("pageerror", (e) => problems.push({ text: `page error: ${e.message}`, url: "" }));
      return wrapPage({
        engine: "firefox",
        timeout,
        protocolProblems: problems,
        goto: (url) => page.goto(url, { timeout }),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        click: (sel) => page.locator(sel).click(),
        fill: (sel, text) => page.locator(sel).fill(text),
        type: async (sel, text) => {
          await focusElement(page, sel);
          await page.keyboard.type(text);
        },
        focus: (sel) => focusElement(page, sel),
        key: async (combo) => {
          const [key, ...mods] = combo.split("+").reverse();
          for (const m of mods) await page.keyboard.down(m);
          await page.keyboard.press(key);
          for (const m of mods) await page.keyboard.up(m);
        },
        select: (sel, value) => page.select(sel, value).then(() => {}),
        screenshot: (file) => page.screenshot({ path: file, fullPage: true }),
        close: () => context.close(),
      });
    },
    close: async () => {
      await browser.close();
      await rm(wrapperDir, { recursive: true, force: true });
    },
  };
}

/** element.focus() only when it is not already focused, so the caret stays where typing left it. */
async function focusElement(page, sel) {
  await page.waitForSelector(sel);
  await page.$eval(sel, (el) => document.activeElement === el || el.focus());
}

// ---- WebKit (selenium-webdriver, WebKitWebDriver on Xvfb) -----------------------------

/**
 * Spawns a helper process that is killed with this one (PR_SET_PDEATHSIG
 * through util-linux's setpriv), so none outlives a killed test run.
 */
function spawnTied(cmd, args, env) {
  return spawn("setpriv", ["--pdeathsig", "KILL", "--", cmd, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
}

function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  return exited.then(() => clearTimeout(timer));
}

/** The TCP port process `pid` listens on (it was started with --port=0 and does not print it). */
async function listeningPort(pid) {
  const inodes = new Set();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ""));
    if (m) inodes.add(m[1]);
  }
  for (const line of (await readFile("/proc/net/tcp", "utf8")).split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // Field 3 is the state (0A: LISTEN), field 9 the socket's inode.
    if (f[3] === "0A" && inodes.has(f[9])) return parseInt(f[1].split(":")[1], 16);
  }
  return undefined;
}

/** Xvfb on a display number it picks itself (-displayfd), so parallel runs never collide. */
async function startXvfb() {
  const xvfb = spawnTied("Xvfb", ["-displayfd", "1", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"]);
  let out = "";
  let err = "";
  xvfb.stderr.on("data", (d) => (err += d));
  const display = await new Promise((resolve, reject) => {
    xvfb.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    xvfb.once("error", reject);
    xvfb.once("exit", (code) => reject(new Error(`Xvfb exited early (${code}):\n${err}`)));
  });
  xvfb.removeAllListeners("exit");
  return { display, stop: () => stopProcess(xvfb) };
}

async function launchWebkitEngine() {
  const { WebDriver, Capabilities, By, Key } = await import("selenium-webdriver");
  const { HttpClient, Executor } = await import("selenium-webdriver/http/index.js");
  const xvfb = await startXvfb();
  let driverProcess;
  try {
    driverProcess = spawnTied(WEBKIT_DRIVER, ["--host=127.0.0.1", "--port=0"], { DISPLAY: xvfb.display });
    let log = "";
    driverProcess.stdout.on("data", (d) => (log += d));
    driverProcess.stderr.on("data", (d) => (log += d));
    const port = await poll(
      async () => {
        if (driverProcess.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driverProcess.exitCode}):\n${log}`);
        return listeningPort(driverProcess.pid);
      },
      { timeout: 30_000, what: "WebKitWebDriver to listen" },
    );
    const server = `http://127.0.0.1:${port}`;
    const KEYS = { Enter: Key.ENTER, Tab: Key.TAB, Backspace: Key.BACK_SPACE, Control: Key.CONTROL };
    const capabilities = () =>
      new Capabilities({ "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } });
    // One session per page, each a fresh MiniBrowser: the isolation a browser context gives elsewhere.
    const first = await WebDriver.createSession(new Executor(new HttpClient(server)), capabilities());
    const version = `WebKitGTK ${(await first.getCapabilities()).get("browserVersion")}`;
    await first.quit();
    return {
      name: "webkit",
      version,
      async newPage({ viewport = { width: 1280, height: 800 }, timeout = 30_000 } = {}) {
        const driver = await WebDriver.createSession(new Executor(new HttpClient(server)), capabilities());
        try {
          await driver.manage().setTimeouts({ script: timeout, pageLoad: timeout });
          await setViewport(driver, viewport);
        } catch (e) {
          await driver.quit();
          throw e;
        }
        const find = async (sel) => {
          await poll(() => driver.executeScript("return !!document.querySelector(arguments[0])", sel), { timeout, what: sel });
          return driver.findElement(By.css(sel));
        };
        const keys = (text) => [...text].map((c) => KEYS[c] ?? c).join("");
        return wrapPage({
          engine: "webkit",
          timeout,
          protocolProblems: [],
          goto: async (url) => {
            await driver.get(url);
            await driver.executeScript(`(${installProbe})()`);
          },
          evaluate: (fn, arg) => driver.executeScript(`return (${fn}).apply(null, arguments)`, arg),
          click: async (sel) => (await find(sel)).click(),
          fill: async (sel, text) => {
            const el = await find(sel);
            await el.clear();
            if (text) await el.sendKeys(text);
          },
          type: async (sel, text) => (await find(sel)).sendKeys(keys(text)),
          focus: async (sel) => {
            await find(sel);
            await driver.executeScript("const el = document.querySelector(arguments[0]); document.activeElement === el || el.focus()", sel);
          },
          key: async (combo) => {
            const [key, ...mods] = combo.split("+").reverse();
            let actions = driver.actions();
            for (const m of mods) actions = actions.keyDown(KEYS[m]);
            actions = actions.sendKeys(KEYS[key] ?? key.toLowerCase());
            for (const m of mods) actions = actions.keyUp(KEYS[m]);
            await actions.perform();
          },
          select: async (sel, value) => (await find(`${sel} option[value="${value}"]`)).click(),
            screenshot: async (file) => writeFile(file, Buffer.from(await driver.takeScreenshot(), "base64")),
          close: () => driver.quit(),
        });
      },
      close: async () => {
        await stopProcess(driverProcess);
        await xvfb.stop();
      },
    };
  } catch (e) {
    if (driverProcess) await stopProcess(driverProcess);
    await xvfb.stop();
    throw e;
  }
}

/** Sizes the window so that the page's viewport is `width` × `height` CSS pixels. */
async function setViewport(driver, { width, height }) {
  await driver.manage().window().setRect({ width, height });
  for (let i = 0; i < 3; i++) {
    const [w, h] = await driver.executeScript("return [window.innerWidth, window.innerHeight]");
    if (w === width && h === height) return;
    const rect = await driver.manage().window().getRect();
    await driver.manage().window().setRect({ width: rect.width + width - w, height: rect.height + height - h });
  }
  const [w, h] = await driver.executeScript("return [window.innerWidth, window.innerHeight]");
  if (w !== width || h !== height) throw new Error(`webkit: the viewport is ${w}×${h}, not ${width}×${height}`);
}

// ---- the page interface, the same for every engine ----------------------------------

/**
 * A page: goto(url), evaluate(fn, arg), waitFor(fn, arg, {timeout}) (fn is
 * polled in the page until truthy), waitForSelector(sel, {timeout}), click,
 * fill (replace the value), type (key by key, appending), press(sel, key)
 * (focus, then a key: "Enter", "Tab", "Backspace"), key(key) (to whatever has
 * focus), select(sel, value), problems() (console errors and uncaught errors
 * so far, as { text, url }), screenshot(file), close().
 */
function wrapPage(p) {
  const page = {
    engine: p.engine,
    goto: p.goto,
    evaluate: p.evaluate,
    click: p.click,
    fill: p.fill,
    type: p.type,
    focus: p.focus,
    key: p.key,
    select: p.select,
    screenshot: p.screenshot,
    close: p.close,
    async press(sel, key) {
      await p.focus(sel);
      await p.key(key);
    },
    waitFor(fn, arg, { timeout = p.timeout } = {}) {
      return poll(() => p.evaluate(fn, arg), { timeout, what: `${fn}${arg === undefined ? "" : ` (${JSON.stringify(arg)})`}` });
    },
    waitForSelector(sel, { timeout = p.timeout } = {}) {
      return page.waitFor((s) => !!document.querySelector(s), sel, { timeout });
    },
    /** Console errors and uncaught errors: the protocol's where it has them, and the in-page probe's. */
    async problems() {
      const inPage = (await p.evaluate(() => window.__migoProblems ?? []).catch(() => [])).map((text) => ({ text, url: "" }));
      return [...p.protocolProblems, ...inPage];
    },
  };
  return page;
}
