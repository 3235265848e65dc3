// Small helpers shared by the JS test files.
import assert from "node:assert/strict";

/** Debian's chromium; playwright-core drives it (no browser download here). */
export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
/** Headless, and without the background networking this closed network refuses. */
export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}
