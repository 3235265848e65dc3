// The example page (www/) in a real browser: Debian's chromium driven by
// playwright-core, against a local gateway that serves www/ and pkg/ on the
// same origin as the API, exactly as `make demo` does.
// Assumes pkg/ is built and target/debug/migo-mock exists (scripts/test.sh
// does both before the JS tests).
//
// A screenshot of the page at desktop size is written to
// $MIGO_DEMO_SCREENSHOT (default: the OS temp dir); docs/demo.png is made with
//   MIGO_DEMO_SCREENSHOT=docs/demo.png node --test tests/e2e/demo.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { activationUrl } from "migo-cards";
import { startGateway, root } from "../js/gateway.mjs";
import { launchChromium } from "../js/helpers.mjs";

const SCREENSHOT = path.resolve(process.env.MIGO_DEMO_SCREENSHOT ?? path.join(os.tmpdir(), "migo-cards-demo.png"));
// Generous: a 2-core machine running other test files beside this one.
const STEP_TIMEOUT = 30_000;

let gw;
let browser;

before(async () => {
  gw = await startGateway(["--static", `/=${path.join(root, "www")}`, "--static", `/pkg=${path.join(root, "pkg")}`]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await gw?.stop();
});

/**
 * A page on the example, with every page error and console error recorded.
 * Chromium reports an HTTP error answer to fetch as a console error
 * ("Failed to load resource: … 409"); `expectedHttpErrors` lists the ones a
 * test provokes on purpose, as [status, url suffix].
 */
async function openPage(viewport) {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: gw.url });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const problems = { pageErrors: [], consoleErrors: [] };
  page.on("pageerror", (err) => problems.pageErrors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push({ text: msg.text(), url: msg.location().url ?? "" });
  });
  await page.goto(`${gw.url}/`);
  await page.waitForSelector("html[data-ready=true]", { state: "attached" });
  await page.getByTestId("client-status").filter({ hasText: "Ready" }).waitFor();
  return { context, page, problems };
}

function assertNoProblems(problems, expectedHttpErrors = []) {
  assert.deepEqual(problems.pageErrors, [], "no uncaught error on the page");
  const unexpected = problems.consoleErrors.filter(
    ({ text, url }) =>
      !expectedHttpErrors.some(
        ([status, suffix]) =>
          text.startsWith(`Failed to load resource: the server responded with a status of ${status}`) && url.endsWith(suffix),
      ),
  );
  assert.deepEqual(unexpected, [], "no console error");
}

/** Keyboard activation: focus the control and press Enter (also proves it is keyboard-usable). */
async function press(page, testId) {
  const control = page.getByTestId(testId);
  await control.focus();
  await control.press("Enter");
}

/** Waits until the card visual shows `state`, then checks what a person sees. */
async function expectCardState(page, state) {
  await page.waitForSelector(`[data-testid=card][data-state=${state}]`);
  assert.equal((await page.getByTestId("card-state").innerText()).trim(), state);
  assert.ok(await page.getByTestId("card").isVisible());
  await page.waitForSelector(`[data-testid=card-item][aria-pressed=true][data-state=${state}]`, { state: "attached" });
}

/** The newest log entry once it is finished, as { op, outcome, request, status }. */
async function lastLogEntry(page, op) {
  const entry = page.getByTestId("log-entry").first();
  await page.waitForSelector(`[data-testid=log-entry]:first-child[data-op="${op}"]:not([data-outcome=pending])`, {
    state: "attached",
  });
  return {
    outcome: await entry.getAttribute("data-outcome"),
    request: (await entry.getByTestId("log-request").innerText()).trim(),
    status: (await entry.getByTestId("log-status").innerText()).trim(),
    duration: (await entry.getByTestId("log-duration").innerText()).trim(),
    entry,
  };
}

async function currentCardId(page) {
  return page.locator("[data-testid=card-item][aria-pressed=true]").getAttribute("data-card-id");
}

async function dismissToasts(page) {
  const close = page.locator(".toast .toast-close");
  while ((await close.count()) > 0) {
    await close.first().click();
  }
}

test("the example page walks a card through its whole lifecycle", { timeout: 240_000 }, async () => {
  const { context, page, problems } = await openPage({ width: 1280, height: 1000 });
  try {
    // The connection is prefilled for the local gateway, which the page found (not the in-page one).
    assert.equal(await page.locator("html").getAttribute("data-gateway"), "local");
    assert.equal(await page.getByTestId("in-page-note").isVisible(), false);
    assert.equal(await page.locator("#base-url").inputValue(), `${gw.url}/rest`);
    assert.equal(await page.locator("#access-token").inputValue(), "migo-test-token");
    assert.equal(await page.locator("#access-token").getAttribute("type"), "password");
    assert.equal(await page.getByTestId("user-id").inputValue(), "1001");
    assert.equal(await page.getByTestId("card").getAttribute("data-state"), "NONE");

    // Every input has a label.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select")]
        .filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label"))
        .map((el) => el.id || el.name),
    );
    assert.deepEqual(unlabelled, []);

    // The skip link is the first stop of the keyboard.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");

    // ---- link, with live verification ------------------------------------------
    const number = page.getByTestId("link-number");
    const verdict = page.getByTestId("link-verdict");
    await number.pressSequentially("4111 1111");
    await page.waitForSelector("[data-testid=link-verdict][data-state=typing]");
    await number.pressSequentially(" 1111 1112");
    await page.waitForSelector("[data-testid=link-verdict][data-state=invalid]");
    assert.equal(await number.getAttribute("aria-invalid"), "true");
    await number.press("Backspace");
    await number.pressSequentially("1");
    await page.waitForSelector("[data-testid=link-verdict][data-state=valid]");
    assert.match(await verdict.innerText(), /Visa ending 1111/);
    await page.locator("#link-alias").fill("Travel");
    await page.locator("#link-alias").press("Enter");
    await expectCardState(page, "ACTIVE");
    assert.equal(await page.getByTestId("card-alias").innerText(), "Travel");
    assert.match(await page.getByTestId("card-pan").innerText(), /•••• •••• •••• 1111/);
    const linked = await lastLogEntry(page, "linkCard");
    assert.equal(linked.outcome, "ok");
    assert.equal(linked.request, "POST /users/1001/cards?clientId=migoDeveloper");
    assert.equal(linked.status, "201");
    assert.doesNotMatch(await linked.entry.innerText(), /4111 ?1111 ?1111 ?1111/, "the log never shows the number");

    // ---- issue → activate → block ------------------------------------------------
    await press(page, "btn-issue");
    await expectCardState(page, "INACTIVE");
    assert.equal(await page.getByTestId("card-item").count(), 2);
    const cardId = await currentCardId(page);
    assert.match(cardId, /^\d+$/);
    const issued = await lastLogEntry(page, "issueCard");
    assert.equal(issued.request, "POST /users/1001/cards/virtuals");
    assert.equal(issued.status, "201");
    assert.match(issued.duration, /^\d+ ms$/);

    await press(page, "btn-activate");
    await expectCardState(page, "ACTIVE");
    await press(page, "btn-block");
    await expectCardState(page, "BLOCKED");

    // ---- a visible error: activating a blocked card ---------------------------------
    await press(page, "btn-activate");
    const toastError = page.getByTestId("toast-error").filter({ hasText: "7213" });
    await toastError.waitFor();
    assert.match(await toastError.innerText(), /activate/i);
    const failed = await lastLogEntry(page, "activateCard");
    assert.equal(failed.outcome, "error");
    assert.equal(failed.status, "409");
    assert.equal(await failed.entry.getByTestId("log-error-kind").innerText(), "api");
    assert.equal(await failed.entry.getByTestId("log-error-code").innerText(), "7213");
    await expectCardState(page, "BLOCKED");
    await toastError.getByRole("button", { name: "Dismiss" }).click();
    await toastError.waitFor({ state: "detached" });

    // The page stays usable after the error.
    await press(page, "btn-unblock");
    await expectCardState(page, "ACTIVE");

    // ---- rename (typing, then Enter) ----------------------------------------------------
    await page.getByTestId("alias-input").fill("Groceries");
    await page.getByTestId("alias-input").press("Enter");
    await page.waitForFunction(() => document.querySelector("[data-testid=card-alias]").textContent === "Groceries");
    const renamed = await lastLogEntry(page, "updateCardAlias");
    assert.equal(renamed.request, `PATCH /cards/${cardId}`);

    // Selecting the other card from the list, then coming back, by keyboard.
    const linkedItem = page.locator("[data-testid=card-item]:not([aria-pressed=true])");
    await linkedItem.focus();
    await linkedItem.press("Enter");
    await page.waitForFunction(() => document.querySelector("[data-testid=card-alias]").textContent === "Travel");
    const issuedItem = page.locator(`[data-testid=card-item][data-card-id="${cardId}"]`);
    await issuedItem.focus();
    await issuedItem.press("Enter");
    await page.waitForFunction(() => document.querySelector("[data-testid=card-alias]").textContent === "Groceries");
    await expectCardState(page, "ACTIVE");

    // ---- details: a view token, then PAN and CVV only on click, masked again ---------------
    const maskedPan = await page.getByTestId("card-pan").innerText();
    const last4 = maskedPan.match(/(\d{4})\s*$/)[1];
    await press(page, "btn-details");
    await page.getByTestId("btn-reveal").waitFor();
    assert.equal((await lastLogEntry(page, "getCardDetails")).request, `GET /users/1001/cards/${cardId}?token=•••`);
    assert.match(await page.getByTestId("details-pan").innerText(), /^•••• •••• •••• \d{4}$/);
    assert.equal(await page.getByTestId("details-cvv").innerText(), "•••");
    assert.match(await page.getByTestId("details-expiry").innerText(), /^\d{2}\/\d{2}$/);

    await page.getByTestId("btn-reveal").click();
    await page.waitForSelector("[data-testid=card-pan][data-revealed=true]");
    const pan = (await page.getByTestId("card-pan").innerText()).trim();
    const cvv = (await page.getByTestId("card-cvv").innerText()).trim();
    assert.match(pan, /^\d{4} \d{4} \d{4} \d{4}$/);
    assert.ok(pan.endsWith(last4), "the revealed number is the card's");
    assert.match(cvv, /^\d{3}$/);
    assert.equal(await page.getByTestId("details-pan").innerText(), pan);
    // Masked again on its own after a few seconds.
    await page.waitForSelector("[data-testid=card-pan]:not([data-revealed])", { timeout: 25_000 });
    assert.match(await page.getByTestId("card-pan").innerText(), /•••• •••• •••• \d{4}/);
    assert.equal(await page.getByTestId("details-cvv").innerText(), "•••");
    const panDigits = pan.replace(/\s/g, "");
    const bodyText = await page.evaluate(() => document.body.textContent);
    assert.ok(!bodyText.replace(/\s/g, "").includes(panDigits), "the PAN is gone from the page once masked");

    // ---- statement for a chosen month and year ---------------------------------------------
    await page.getByTestId("statement-month").selectOption("3");
    await page.getByTestId("statement-year").fill("2026");
    await page.getByTestId("statement-year").press("Enter");
    const statement = page.getByTestId("statement-result");
    await statement.waitFor();
    assert.match(await statement.innerText(), /March 2026/);
    const stmt = await lastLogEntry(page, "createStatement");
    assert.equal(stmt.request, `POST /cards/${cardId}/statements`);
    assert.equal(stmt.status, "201");

    // ---- activation link builder ---------------------------------------------------------------
    await page.getByTestId("act-client").fill("migoDeveloper");
    const link = page.getByTestId("activation-url");
    const sandboxUrl = activationUrl({ userId: "1001", client: "migoDeveloper", environment: "sandbox" });
    await page.waitForFunction((u) => document.querySelector("[data-testid=activation-url]").href === u, sandboxUrl);
    assert.equal(await link.innerText(), sandboxUrl);
    await page.locator("label[for=act-env-production]").click();
    const productionUrl = activationUrl({ userId: "1001", client: "migoDeveloper", environment: "production" });
    await page.waitForFunction((u) => document.querySelector("[data-testid=activation-url]").href === u, productionUrl);
    await page.locator("label[for=act-env-sandbox]").click();
    await page.waitForFunction((u) => document.querySelector("[data-testid=activation-url]").href === u, sandboxUrl);
    await press(page, "btn-copy-url");
    await page.getByTestId("toast-ok").filter({ hasText: "Activation link copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), sandboxUrl);

    // ---- the screenshot: desktop size, card active, no notices ------------------------------
    await dismissToasts(page);
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // ---- operator scope ---------------------------------------------------------------------------
    await page.getByTestId("auth-user-id").fill("alice");
    await press(page, "btn-op-block");
    await expectCardState(page, "BLOCKED");
    const opBlock = await lastLogEntry(page, "blockCardForUser");
    assert.equal(opBlock.request, `POST /cards/${cardId}/users/alice/block`);
    assert.equal(opBlock.status, "200");

    // ---- the gateway agrees with what the page shows --------------------------------------------
    const state = await gw.state();
    const card = state.cards.find((c) => String(c.cardId) === cardId);
    assert.equal(card.status, "BLOCKED");
    assert.equal(card.alias, "Groceries");
    assert.ok(state.statements.some((s) => String(s.cardId) === cardId && s.month === 3 && s.year === 2026));
    for (const req of state.requests) {
      assert.equal(req.headers.authorization, "Bearer ***");
      assert.equal(req.headers["x-application-id"], "migo-demo-app");
    }

    // ---- the log: every call, and no secret anywhere on the page ---------------------------------
    const ops = await page.locator("[data-testid=log-entry]").evaluateAll((els) => els.map((el) => el.dataset.op).reverse());
    assert.deepEqual(ops, [
      "linkCard",
      "issueCard",
      "activateCard",
      "blockCard",
      "activateCard",
      "unblockCard",
      "updateCardAlias",
      "viewToken",
      "getCardDetails",
      "createStatement",
      "blockCardForUser",
    ]);
    const details = page.locator("[data-testid=log-entry][data-op=getCardDetails]");
    const detailsJson = await details.locator("pre").textContent();
    assert.match(detailsJson, /"cvv": "•••"/);
    assert.match(detailsJson, /"pan": "•••• \d{4}"/);
    const pageText = await page.evaluate(() => document.body.textContent);
    assert.ok(!pageText.includes("migo-test-token"), "no access token");
    assert.ok(!pageText.replace(/\s/g, "").includes(panDigits), "no full PAN");
    assert.ok(!pageText.includes("4111111111111111"), "no linked card number");
    assert.doesNotMatch(pageText, /vt_[0-9a-f]{4,}/, "no view token");
    assert.ok(!pageText.includes(`"cvv": "${cvv}"`), "no CVV");

    assertNoProblems(problems, [[409, `/cards/${cardId}/activate`]]);
  } finally {
    await context.close();
  }
});

test("the example page works at phone width", { timeout: 120_000 }, async () => {
  const { context, page, problems } = await openPage({ width: 390, height: 844 });
  try {
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, "no horizontal scrolling");
    await page.getByTestId("btn-issue").click();
    await expectCardState(page, "INACTIVE");
    const box = await page.getByTestId("card").boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, "the card fits the screen");
    await page.getByTestId("btn-activate").click();
    await expectCardState(page, "ACTIVE");
    // A validation error (empty alias): shown, nothing sent, and the field is marked.
    await page.getByTestId("alias-input").fill("");
    await page.getByTestId("btn-rename").click();
    await page.getByTestId("toast-error").filter({ hasText: "alias" }).waitFor();
    const rejected = await lastLogEntry(page, "updateCardAlias");
    assert.equal(rejected.status, "not sent");
    assert.equal(await page.getByTestId("alias-input").getAttribute("aria-invalid"), "true");
    // Long log lines wrap instead of widening the page.
    assert.ok((await overflow()) <= 0, "still no horizontal scrolling with a full log");
    assertNoProblems(problems);
  } finally {
    await context.close();
  }
});
