// The example page (www/) in real browsers: Chromium, Firefox and WebKit
// (tests/browsers.mjs), one after the other, against a local gateway that
// serves www/ and pkg/ on the same origin as the API, exactly as `make demo`
// does.
// Assumes pkg/ is built and target/debug/migo-mock exists (scripts/test.sh
// does both before the JS tests).
//
// A screenshot of the page at desktop size is written to
// $MIGO_DEMO_SCREENSHOT (default: the OS temp dir) from Chromium, and beside
// it with the engine's name from the others; docs/demo.png is made with
//   MIGO_DEMO_SCREENSHOT=docs/demo.png MIGO_ENGINES=chromium node --test tests/e2e/demo.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { activationUrl } from "migo-cards";
import { startGateway, root } from "../js/gateway.mjs";
import { describeEngines } from "../browsers.mjs";

const SCREENSHOT = path.resolve(process.env.MIGO_DEMO_SCREENSHOT ?? path.join(os.tmpdir(), "migo-cards-demo.png"));
// Generous: a 2-core machine running other test files beside this one.
const STEP_TIMEOUT = 30_000;

let gw;

before(async () => {
  gw = await startGateway(["--static", `/=${path.join(root, "www")}`, "--static", `/pkg=${path.join(root, "pkg")}`]);
});

after(() => gw?.stop());

const byTestId = (id) => `[data-testid=${id}]`;

/** The page on the example, loaded and ready. */
async function openPage(page) {
  await page.goto(`${gw.url}/`);
  await page.waitForSelector("html[data-ready=true]");
  await page.waitFor(() => /Ready/.test(document.querySelector("[data-testid=client-status]")?.textContent));
}

/**
 * Every uncaught error and console error of the page. Chromium reports an
 * HTTP error answer to fetch as a console error ("Failed to load resource:
 * … 409"); `expectedHttpErrors` lists the ones a test provokes on purpose,
 * as [status, url suffix].
 */
async function assertNoProblems(page, expectedHttpErrors = []) {
  const unexpected = (await page.problems()).filter(
    ({ text, url }) =>
      !expectedHttpErrors.some(
        ([status, suffix]) =>
          text.startsWith(`Failed to load resource: the server responded with a status of ${status}`) && url.endsWith(suffix),
      ),
  );
  assert.deepEqual(unexpected, [], "no uncaught error and no console error");
}

const text = (page, sel) => page.evaluate((s) => document.querySelector(s).innerText.trim(), sel);
const attr = (page, sel, name) => page.evaluate(([s, n]) => document.querySelector(s).getAttribute(n), [sel, name]);
const value = (page, sel) => page.evaluate((s) => document.querySelector(s).value, sel);
/** Rendered, with a box, and not hidden by CSS. */
const visible = (page, sel) =>
  page.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true });
  }, sel);
const waitVisible = (page, sel, opts) =>
  page.waitFor(
    (s) => {
      const el = document.querySelector(s);
      const box = el?.getBoundingClientRect();
      return !!el && box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true });
    },
    sel,
    opts,
  );

/** Waits for a toast of `kind` ("error" or "ok") whose text has `needle`; returns a selector for it. */
async function waitForToast(page, kind, needle) {
  const id = await page.waitFor(
    ([k, n]) => {
      const el = [...document.querySelectorAll(`[data-testid=toast-${k}]`)].find((t) => t.textContent.includes(n));
      if (!el) return false;
      el.dataset.e2e ||= `toast-${Math.random().toString(36).slice(2)}`;
      return el.dataset.e2e;
    },
    [kind, needle],
  );
  return `[data-e2e="${id}"]`;
}

/** Waits until the card visual shows `state`, then checks what a person sees. */
async function expectCardState(page, state) {
  await page.waitForSelector(`[data-testid=card][data-state=${state}]`);
  assert.equal(await text(page, byTestId("card-state")), state);
  assert.ok(await visible(page, byTestId("card")));
  await page.waitForSelector(`[data-testid=card-item][aria-pressed=true][data-state=${state}]`);
}

/** The newest log entry once it is finished. */
async function lastLogEntry(page, op) {
  await page.waitForSelector(`[data-testid=log-entry]:first-child[data-op="${op}"]:not([data-outcome=pending])`);
  return page.evaluate(() => {
    const entry = document.querySelector("[data-testid=log-entry]");
    const part = (id) => entry.querySelector(`[data-testid=${id}]`)?.innerText.trim();
    return {
      outcome: entry.getAttribute("data-outcome"),
      request: part("log-request"),
      status: part("log-status"),
      duration: part("log-duration"),
      errorKind: part("log-error-kind"),
      errorCode: part("log-error-code"),
      text: entry.innerText,
    };
  });
}

const currentCardId = (page) => attr(page, "[data-testid=card-item][aria-pressed=true]", "data-card-id");
const activationHref = (page, url) => page.waitFor((u) => document.querySelector("[data-testid=activation-url]").href === u, url);

/** Keyboard activation: focus the control and press Enter (also proves it is keyboard-usable). */
const press = (page, testId) => page.press(byTestId(testId), "Enter");

/** What the system clipboard holds: pasted into a scratch field with the keyboard, the way a person reads it. */
async function pasted(page) {
  await page.evaluate(() => {
    const area = document.createElement("textarea");
    area.id = "e2e-paste";
    area.setAttribute("aria-label", "paste");
    document.body.append(area);
  });
  await page.focus("#e2e-paste");
  await page.key("Control+V");
  return page.evaluate(() => {
    const area = document.querySelector("#e2e-paste");
    area.remove();
    return area.value;
  });
}

describeEngines((engine, browser) => {

  test("the example page walks a card through its whole lifecycle", { timeout: 240_000 }, async () => {
    await browser.engine.withPage({ viewport: { width: 1280, height: 1000 }, timeout: STEP_TIMEOUT }, "demo-walk", async (page) => {
      await openPage(page);
      // The connection is prefilled for the local gateway, which the page found (not the in-page one).
      assert.equal(await attr(page, "html", "data-gateway"), "local");
      assert.equal(await visible(page, byTestId("in-page-note")), false);
      assert.equal(await value(page, "#base-url"), `${gw.url}/rest`);
      assert.equal(await value(page, "#access-token"), "migo-test-token");
      assert.equal(await attr(page, "#access-token", "type"), "password");
      assert.equal(await value(page, byTestId("user-id")), "1001");
      assert.equal(await attr(page, byTestId("card"), "data-state"), "NONE");

      // Every input has a label.
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll("input, select")]
          .filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label"))
          .map((el) => el.id || el.name),
      );
      assert.deepEqual(unlabelled, []);

      // The skip link is the first stop of the keyboard.
      await page.key("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");

      // ---- link, with live verification ------------------------------------------
      const number = byTestId("link-number");
      await page.type(number, "4111 1111");
      await page.waitForSelector("[data-testid=link-verdict][data-state=typing]");
      await page.type(number, " 1111 1112");
      await page.waitForSelector("[data-testid=link-verdict][data-state=invalid]");
      assert.equal(await attr(page, number, "aria-invalid"), "true");
      await page.press(number, "Backspace");
      await page.type(number, "1");
      await page.waitForSelector("[data-testid=link-verdict][data-state=valid]");
      assert.match(await text(page, byTestId("link-verdict")), /Visa ending 1111/);
      await page.fill("#link-alias", "Travel");
      await page.press("#link-alias", "Enter");
      await expectCardState(page, "ACTIVE");
      assert.equal(await text(page, byTestId("card-alias")), "Travel");
      assert.match(await text(page, byTestId("card-pan")), /•••• •••• •••• 1111/);
      const linked = await lastLogEntry(page, "linkCard");
      assert.equal(linked.outcome, "ok");
      assert.equal(linked.request, "POST /users/1001/cards?clientId=migoDeveloper");
      assert.equal(linked.status, "201");
      assert.doesNotMatch(linked.text, /4111 ?1111 ?1111 ?1111/, "the log never shows the number");

      // ---- issue → activate → block ------------------------------------------------
      await press(page, "btn-issue");
      await expectCardState(page, "INACTIVE");
      assert.equal(await page.evaluate(() => document.querySelectorAll("[data-testid=card-item]").length), 2);
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
      const toastError = await waitForToast(page, "error", "7213");
      await waitVisible(page, toastError);
      assert.match(await text(page, toastError), /activate/i);
      const failed = await lastLogEntry(page, "activateCard");
      assert.equal(failed.outcome, "error");
      assert.equal(failed.status, "409");
      assert.equal(failed.errorKind, "api");
      assert.equal(failed.errorCode, "7213");
      await expectCardState(page, "BLOCKED");
      await page.click(`${toastError} button[aria-label=Dismiss]`);
      await page.waitFor((s) => !document.querySelector(s), toastError);

      // The page stays usable after the error.
      await press(page, "btn-unblock");
      await expectCardState(page, "ACTIVE");

      // ---- rename (typing, then Enter) ----------------------------------------------------
      await page.fill(byTestId("alias-input"), "Groceries");
      await page.press(byTestId("alias-input"), "Enter");
      await page.waitFor(() => document.querySelector("[data-testid=card-alias]").textContent === "Groceries");
      const renamed = await lastLogEntry(page, "updateCardAlias");
      assert.equal(renamed.request, `PATCH /cards/${cardId}`);

      // Selecting the other card from the list, then coming back, by keyboard.
      await page.press("[data-testid=card-item]:not([aria-pressed=true])", "Enter");
      await page.waitFor(() => document.querySelector("[data-testid=card-alias]").textContent === "Travel");
      await page.press(`[data-testid=card-item][data-card-id="${cardId}"]`, "Enter");
      await page.waitFor(() => document.querySelector("[data-testid=card-alias]").textContent === "Groceries");
      await expectCardState(page, "ACTIVE");

      // ---- a PIN, in both scopes: a masked input, shown nowhere ------------------------------
      assert.equal(await page.evaluate(() => document.querySelector("[data-testid=pin-input]").type), "password");
      await page.fill(byTestId("pin-input"), "12");
      await press(page, "btn-pin");
      const refused = await lastLogEntry(page, "setCardPin");
      assert.equal(refused.outcome, "error");
      await page.fill(byTestId("pin-input"), "0420");
      await press(page, "btn-pin");
      await page.waitFor(() => document.querySelectorAll("[data-testid=log-entry][data-op=setCardPin]").length === 2);
      const pinSet = await lastLogEntry(page, "setCardPin");
      assert.deepEqual([pinSet.outcome, pinSet.request], ["ok", `POST /cards/${cardId}/pin`]);
      await page.fill(byTestId("pin-input"), "8642");
      await page.evaluate(() => {
        for (const close of document.querySelectorAll(".toast .toast-close")) close.click();
      });
      await press(page, "btn-op-pin");
      const forUser = await lastLogEntry(page, "setCardPinForUser");
      assert.equal(forUser.outcome, "ok");
      assert.match(forUser.request, new RegExp(`^POST /cards/${cardId}/users/[^/]+/pin$`));
      const shown = await page.evaluate(() => document.body.innerText + JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
      for (const pin of ["0420", "8642"]) assert.equal(shown.includes(pin), false, `the PIN ${pin} is shown`);

      // ---- details: a view token, then PAN and CVV only on click, masked again ---------------
      const maskedPan = await text(page, byTestId("card-pan"));
      const last4 = maskedPan.match(/(\d{4})\s*$/)[1];
      await press(page, "btn-details");
      await waitVisible(page, byTestId("btn-reveal"));
      assert.equal((await lastLogEntry(page, "getCardDetails")).request, `GET /users/1001/cards/${cardId}?token=•••`);
      assert.match(await text(page, byTestId("details-pan")), /^•••• •••• •••• \d{4}$/);
      assert.equal(await text(page, byTestId("details-cvv")), "•••");
      assert.match(await text(page, byTestId("details-expiry")), /^\d{2}\/\d{2}$/);

      await page.click(byTestId("btn-reveal"));
      await page.waitForSelector("[data-testid=card-pan][data-revealed=true]");
      const pan = await text(page, byTestId("card-pan"));
      const cvv = await text(page, byTestId("card-cvv"));
      assert.match(pan, /^\d{4} \d{4} \d{4} \d{4}$/);
      assert.ok(pan.endsWith(last4), "the revealed number is the card's");
      assert.match(cvv, /^\d{3}$/);
      assert.equal(await text(page, byTestId("details-pan")), pan);
      // Masked again on its own after a few seconds.
      await page.waitForSelector("[data-testid=card-pan]:not([data-revealed])", { timeout: 25_000 });
      assert.match(await text(page, byTestId("card-pan")), /•••• •••• •••• \d{4}/);
      assert.equal(await text(page, byTestId("details-cvv")), "•••");
      const panDigits = pan.replace(/\s/g, "");
      const bodyText = await page.evaluate(() => document.body.textContent);
      assert.ok(!bodyText.replace(/\s/g, "").includes(panDigits), "the PAN is gone from the page once masked");

      // ---- statement for a chosen month and year ---------------------------------------------
      await page.select(byTestId("statement-month"), "3");
      await page.fill(byTestId("statement-year"), "2026");
      await page.press(byTestId("statement-year"), "Enter");
      await waitVisible(page, byTestId("statement-result"));
      assert.match(await text(page, byTestId("statement-result")), /March 2026/);
      const stmt = await lastLogEntry(page, "createStatement");
      assert.equal(stmt.request, `POST /cards/${cardId}/statements`);
      assert.equal(stmt.status, "201");

      // ---- activation link builder ---------------------------------------------------------------
      await page.fill(byTestId("act-client"), "migoDeveloper");
      const sandboxUrl = activationUrl({ userId: "1001", client: "migoDeveloper", environment: "sandbox" });
      await activationHref(page, sandboxUrl);
      assert.equal(await text(page, byTestId("activation-url")), sandboxUrl);
      await page.click("label[for=act-env-production]");
      await activationHref(page, activationUrl({ userId: "1001", client: "migoDeveloper", environment: "production" }));
      await page.click("label[for=act-env-sandbox]");
      await activationHref(page, sandboxUrl);
      await press(page, "btn-copy-url");
      await waitForToast(page, "ok", "Activation link copied");
      assert.equal(await pasted(page), sandboxUrl);

      // ---- the screenshot: desktop size, card active, no notices ------------------------------
      await page.evaluate(() => {
        for (const close of document.querySelectorAll(".toast .toast-close")) close.click();
        document.activeElement?.blur();
        window.scrollTo(0, 0);
      });
      await page.screenshot(engine === "chromium" ? SCREENSHOT : SCREENSHOT.replace(/(\.png)?$/, `-${engine}.png`));

      // ---- operator scope ---------------------------------------------------------------------------
      await page.fill(byTestId("auth-user-id"), "alice");
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
      const ops = await page.evaluate(() => [...document.querySelectorAll("[data-testid=log-entry]")].map((el) => el.dataset.op).reverse());
      assert.deepEqual(ops, [
        "linkCard",
        "issueCard",
        "activateCard",
        "blockCard",
        "activateCard",
        "unblockCard",
        "updateCardAlias",
        "setCardPin",
        "setCardPin",
        "setCardPinForUser",
        "viewToken",
        "getCardDetails",
        "createStatement",
        "blockCardForUser",
      ]);
      const detailsJson = await page.evaluate(() => document.querySelector("[data-testid=log-entry][data-op=getCardDetails] pre").textContent);
      assert.match(detailsJson, /"cvv": "•••"/);
      assert.match(detailsJson, /"pan": "•••• \d{4}"/);
      const pageText = await page.evaluate(() => document.body.textContent);
      assert.ok(!pageText.includes("migo-test-token"), "no access token");
      assert.ok(!pageText.replace(/\s/g, "").includes(panDigits), "no full PAN");
      assert.ok(!pageText.includes("4111111111111111"), "no linked card number");
      assert.doesNotMatch(pageText, /vt_[0-9a-f]{4,}/, "no view token");
      assert.ok(!pageText.includes(`"cvv": "${cvv}"`), "no CVV");

      await assertNoProblems(page, [[409, `/cards/${cardId}/activate`]]);
    });
  });

  // MiniBrowser's toolbar keeps its window wider than a phone: its narrowest viewport is 447 px.
  const phone = engine === "webkit" ? { skip: "webkit: MiniBrowser cannot be made narrower than a 447 px viewport (its toolbar), so no 390 px phone screen" } : {};
  test("the example page works at phone width", { timeout: 120_000, ...phone }, async () => {
    await browser.engine.withPage({ viewport: { width: 390, height: 844 }, timeout: STEP_TIMEOUT }, "demo-phone", async (page) => {
      await openPage(page);
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok((await overflow()) <= 0, "no horizontal scrolling");
      await page.click(byTestId("btn-issue"));
      await expectCardState(page, "INACTIVE");
      const box = await page.evaluate(() => document.querySelector("[data-testid=card]").getBoundingClientRect().toJSON());
      assert.ok(box.x >= 0 && box.x + box.width <= 390, "the card fits the screen");
      await page.click(byTestId("btn-activate"));
      await expectCardState(page, "ACTIVE");
      // A validation error (empty alias): shown, nothing sent, and the field is marked.
      await page.fill(byTestId("alias-input"), "");
      await page.click(byTestId("btn-rename"));
      await waitForToast(page, "error", "alias");
      const rejected = await lastLogEntry(page, "updateCardAlias");
      assert.equal(rejected.status, "not sent");
      assert.equal(await attr(page, byTestId("alias-input"), "aria-invalid"), "true");
      // Long log lines wrap instead of widening the page.
      assert.ok((await overflow()) <= 0, "still no horizontal scrolling with a full log");
      await assertNoProblems(page);
    });
  });
});
