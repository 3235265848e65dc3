// The migo-cards example page: every card operation of the SDK, against the
// local gateway (`make demo`) or any gateway the connection panel points to;
// where no gateway answers at this origin (a static copy of the page), on
// the in-page test gateway of migo-cards/testing.
// Plain ES modules; "migo-cards" is resolved by the import map in index.html.
import init, { MigoClient, MigoError, activationUrl, isValidCardNumber } from "migo-cards";
import { redact, scrub, maskPan } from "./lib/redact.js";
import { h, toast, createLog } from "./lib/ui.js";

const $ = (id) => document.getElementById(id);

/** How long PAN and CVV stay visible after "Reveal". */
const REVEAL_MS = 8000;

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const STATE_CAPTIONS = {
  INACTIVE: "Inactive: activate it before it can transact",
  ACTIVE: "Active: ready to transact",
  BLOCKED: "Blocked: rejects all authorizations",
};

// ---- page state -------------------------------------------------------------

/** @type {MigoClient | null} */
let client = null;
/** The `onRequest` events of the operation running now (the page runs one at a time). */
let recording = null;
/** Cards issued or linked since the page loaded, by card id (string), in insertion order. */
const cards = new Map();
let currentId = null;
/** PAN and CVV of the current card, only between "Show details" and masking again. */
let sensitive = null;
let revealTimer = null;
/** One operation at a time, in click order, so the log can tell calls apart. */
let queue = Promise.resolve();
/** The in-page test gateway, when no gateway answers at this origin (see findGateway). */
let inPage = null;

const log = createLog($("call-log"), $("log-empty"));
const notify = (spec) => toast($("toasts"), spec);

// ---- connection -------------------------------------------------------------

function connection() {
  return {
    baseUrl: $("base-url").value.trim(),
    accessToken: $("access-token").value.trim(),
    applicationId: $("app-id").value.trim(),
    clientId: $("client-id").value.trim(),
    environment: $("environment").value,
    userId: $("user-id").value.trim(),
  };
}

const CONFIG_FIELDS = {
  baseUrl: "base-url",
  accessToken: "access-token",
  applicationId: "app-id",
  clientId: "client-id",
  environment: "environment",
};

/** A new client from the connection panel; called on every change there. */
function buildClient() {
  const c = connection();
  for (const id of Object.values(CONFIG_FIELDS)) $(id).removeAttribute("aria-invalid");
  const options = {
    accessToken: c.accessToken,
    environment: c.environment,
    ...(c.baseUrl && { baseUrl: c.baseUrl }),
    ...(c.applicationId && { applicationId: c.applicationId }),
    ...(c.clientId && { clientId: c.clientId }),
    timeoutMs: 15000,
    // Every request of the client goes to the in-page gateway when there is one.
    ...(inPage && { fetch: inPage.fetch }),
    // The SDK tells this hook about every attempt (URL secrets redacted);
    // the call log shows the method, path and status of each.
    onRequest: (event) => recording?.push(event),
  };
  try {
    client = new MigoClient(options);
    $("conn-error").hidden = true;
    setStatus("ready", "Ready", `· ${client.environment} · ${shortUrl(client.baseUrl)}${inPage ? " · in-page test gateway" : ""}`);
    $("conn-summary").textContent = `${client.environment} · ${shortUrl(client.baseUrl)}`;
  } catch (err) {
    client = null;
    const e = describeError(err);
    $("conn-error").textContent = `The connection cannot be used: ${e.message}`;
    $("conn-error").hidden = false;
    $("conn-form").closest("details").open = true;
    const input = CONFIG_FIELDS[e.field] && $(CONFIG_FIELDS[e.field]);
    input?.setAttribute("aria-invalid", "true");
    setStatus("error", "Connection needs attention");
    $("conn-summary").textContent = "not usable";
    const entry = log.begin({ call: "new MigoClient({…})", op: "new MigoClient", request: "" });
    entry.finish({ outcome: "error", statusText: "not sent", durationMs: 0, error: e });
  }
}

function wireConnection() {
  $("conn-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    buildClient();
  });
  for (const id of Object.values(CONFIG_FIELDS)) $(id).addEventListener("change", buildClient);
  $("user-id").addEventListener("input", () => {
    $("user-id").removeAttribute("aria-invalid");
    $("act-user").value = $("user-id").value;
    updateActivationUrl();
  });
  $("toggle-token").addEventListener("click", () => {
    const input = $("access-token");
    const show = input.type === "password";
    input.type = show ? "text" : "password";
    $("toggle-token").textContent = show ? "Hide" : "Show";
    $("toggle-token").setAttribute("aria-pressed", String(show));
  });
}

function shortUrl(url) {
  return url.replace(/^https?:\/\//, "");
}

// ---- running an operation -----------------------------------------------------

/** Secrets the page knows of, removed from anything it displays. */
function secrets(extra = []) {
  return [$("access-token").value.trim(), ...extra].filter(Boolean);
}

/** Every rejection as plain, displayable fields. */
function describeError(err, extraSecrets = []) {
  if (err instanceof MigoError) {
    return {
      kind: err.kind,
      code: err.code,
      status: err.status,
      field: err.field,
      outcome: err.outcome,
      retryable: err.retryable,
      attempts: err.attempts,
      requestId: err.requestId,
      message: scrub(err.message, secrets(extraSecrets)),
    };
  }
  return { kind: "unexpected", message: scrub(String(err?.message ?? err), secrets(extraSecrets)) };
}

const HINTS = {
  7213: "The card’s state does not allow this operation.",
  7200: "No such card for this user.",
  7100: "Unknown user. The local gateway knows 1001, 1002, 1003 and alice.",
  7000: "The gateway rejected the request’s parameters.",
  UNAUTHORIZED: "Check the access token in the connection panel.",
  TOKEN_EXPIRED: "The access token has expired.",
};

function errorText(e) {
  const hint =
    HINTS[e.code] ??
    (e.kind === "network"
      ? "Is the gateway running? Check the base URL."
      : e.kind === "timeout"
        ? "The gateway did not answer in time."
        : e.kind === "validation"
          ? `Check ${e.field ?? "the input"}; nothing was sent.`
          : "");
  const facts = [e.code && `code ${e.code}`, e.status && `HTTP ${e.status}`, e.kind].filter(Boolean).join(" · ");
  return h("span", {}, hint ? h("span", { class: "toast-hint" }, hint, " ") : null, h("span", { class: "toast-facts" }, facts), ` ${e.message}`);
}

function enqueue(job) {
  const run = queue.then(job);
  queue = run.catch(() => {});
  return run;
}

/**
 * Runs one SDK call and logs it. `spec`: op (method name), args (shown,
 * already safe), request (documented method and path, shown when nothing is
 * sent), invoke(client), button, fields ({sdkField: input}), title (for an
 * error notice), onSuccess(result), extraSecrets.
 * Resolves to { ok, result } and never rejects.
 */
async function call(spec) {
  const fields = spec.fields ?? {};
  for (const input of Object.values(fields)) input.removeAttribute("aria-invalid");
  if (!client) {
    notify({ kind: "error", title: spec.title, text: "Fix the connection panel first." });
    return { ok: false };
  }
  const hide = (text) => scrub(text, secrets(spec.extraSecrets));
  const entry = log.begin({ call: hide(`${spec.op}(${spec.args.join(", ")})`), op: spec.op, request: hide(spec.request) });
  spec.button?.setAttribute("aria-busy", "true");
  $("card").dataset.busy = "true";
  recording = [];
  const stop = () => {
    const attempts = recording ?? [];
    recording = null;
    return attempts;
  };
  const started = performance.now();
  const base = client.baseUrl;
  let result;
  try {
    result = await spec.invoke(client);
    const attempts = stop();
    entry.finish({
      outcome: "ok",
      ...wire(attempts, base, spec),
      durationMs: performance.now() - started,
      result: redact(result, secrets(spec.extraSecrets)),
    });
  } catch (err) {
    const attempts = stop();
    const e = describeError(err, spec.extraSecrets);
    entry.finish({ outcome: "error", ...wire(attempts, base, spec, e), durationMs: performance.now() - started, error: e });
    notify({ kind: "error", title: spec.title, text: errorText(e) });
    const input = fields[e.field];
    if (input && (e.kind === "validation" || e.kind === "config")) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
    return { ok: false, error: e };
  } finally {
    spec.button?.removeAttribute("aria-busy");
    delete $("card").dataset.busy;
  }
  spec.onSuccess?.(result);
  return { ok: true, result };
}

/** What went over the wire, for the log (from `onRequest` events): method and path of the last attempt, statuses of all. */
function wire(attempts, base, spec, error) {
  if (attempts.length === 0) return { request: scrub(spec.request, secrets(spec.extraSecrets)), statusText: error ? "not sent" : "—" };
  const last = attempts.at(-1);
  const path = last.url.startsWith(base) ? last.url.slice(base.length) || "/" : last.url;
  const failures = { network: "network error", timeout: "timeout", aborted: "aborted" };
  const statuses = attempts.map((a) => a.status ?? failures[a.result] ?? "?").join(" → ");
  return { request: `${last.method} ${scrub(path, secrets(spec.extraSecrets))}`, statusText: statuses };
}

const q = (v) => JSON.stringify(String(v));
const num = (v) => (/^\d+$/.test(String(v)) ? String(v) : q(v));

// ---- the operations ---------------------------------------------------------------

function current() {
  return currentId === null ? null : cards.get(currentId) ?? null;
}

/** Merges what the gateway returned into the page's copy of a card. */
function applyCard(data, fallback) {
  const id = String(data?.cardId ?? fallback.cardId);
  const known = {};
  if (data && typeof data === "object") {
    for (const key of ["cardId", "userId", "status", "alias", "maskedPan"]) {
      if (data[key] !== undefined && data[key] !== null) known[key] = data[key];
    }
  }
  const next = { ...cards.get(id), ...fallback, ...known, cardId: id };
  next.userId = String(next.userId);
  cards.set(id, next);
  return next;
}

function wireOperations() {
  $("btn-issue").addEventListener("click", () => {
    const userId = connection().userId;
    enqueue(() =>
      call({
        op: "issueCard",
        args: [q(userId)],
        request: `POST /users/${userId}/cards/virtuals`,
        title: "Couldn’t issue a card",
        button: $("btn-issue"),
        fields: { userId: $("user-id") },
        invoke: (c) => c.issueCard(userId),
        onSuccess: (card) => {
          if (card?.cardId === undefined) {
            notify({ kind: "error", title: "The gateway returned no card id", text: "The card cannot be tracked by this page." });
            return;
          }
          const saved = applyCard(card, { userId, source: "issued" });
          select(saved.cardId);
          notify({ title: "Card issued", text: `Card #${saved.cardId} for user ${saved.userId}, ${saved.status ?? "INACTIVE"}.` });
        },
      }),
    );
  });

  const userScope = (method, verb, inferred, past) => () => {
    const card = current();
    if (!card) return;
    const { cardId, userId } = card;
    enqueue(() =>
      call({
        op: method,
        args: [q(userId), num(cardId)],
        request: `POST /users/${userId}/cards/${cardId}/${verb}`,
        title: `Couldn’t ${verb} card #${cardId}`,
        button: $(`btn-${verb}`),
        invoke: (c) => c[method](userId, cardId),
        onSuccess: (data) => {
          applyCard(data, { cardId, status: inferred });
          render();
          notify({ title: `Card ${past}`, text: `Card #${cardId} is now ${cards.get(cardId).status}.` });
        },
      }),
    );
  };
  $("btn-activate").addEventListener("click", userScope("activateCard", "activate", "ACTIVE", "activated"));
  $("btn-block").addEventListener("click", userScope("blockCard", "block", "BLOCKED", "blocked"));
  $("btn-unblock").addEventListener("click", userScope("unblockCard", "unblock", "ACTIVE", "unblocked"));

  const operatorScope = (verb, inferred, method, past) => () => {
    const card = current();
    if (!card) return;
    const { cardId } = card;
    const authUserId = $("auth-user-id").value.trim();
    enqueue(() =>
      call({
        op: method,
        args: [num(cardId), q(authUserId)],
        request: `POST /cards/${cardId}/users/${authUserId}/${verb}`,
        title: `Couldn’t ${verb} card #${cardId} for ${authUserId || "the auth user"}`,
        button: $(`btn-op-${verb}`),
        fields: { authUserId: $("auth-user-id") },
        invoke: (c) => c[method](cardId, authUserId),
        onSuccess: (data) => {
          applyCard(data, { cardId, status: inferred });
          render();
          notify({ title: `Card ${past} by operator`, text: `Card #${cardId} is now ${cards.get(cardId).status} (auth user ${authUserId}).` });
        },
      }),
    );
  };
  $("btn-op-block").addEventListener("click", operatorScope("block", "BLOCKED", "blockCardForUser", "blocked"));
  $("btn-op-unblock").addEventListener("click", operatorScope("unblock", "ACTIVE", "unblockCardForUser", "unblocked"));
  $("operator-form").addEventListener("submit", (ev) => ev.preventDefault());

  // Both scopes take the PIN typed above; it is shown nowhere, the log included.
  const setPin = (forUser) => () => {
    const card = current();
    if (!card) return;
    const { cardId } = card;
    const pin = $("pin").value;
    const authUserId = $("auth-user-id").value.trim();
    enqueue(() =>
      call({
        op: forUser ? "setCardPinForUser" : "setCardPin",
        args: forUser ? [num(cardId), q(authUserId), "•••"] : [num(cardId), "•••"],
        request: forUser ? `POST /cards/${cardId}/users/${authUserId}/pin` : `POST /cards/${cardId}/pin`,
        title: `Couldn’t set the PIN of card #${cardId}`,
        button: $(forUser ? "btn-op-pin" : "btn-pin"),
        fields: forUser ? { pin: $("pin"), authUserId: $("auth-user-id") } : { pin: $("pin") },
        extraSecrets: [pin],
        invoke: (c) => (forUser ? c.setCardPinForUser(cardId, authUserId, pin) : c.setCardPin(cardId, pin)),
        onSuccess: () => {
          $("pin").value = "";
          notify({ title: "PIN set", text: forUser ? `Card #${cardId} has a PIN for auth user ${authUserId}.` : `Card #${cardId} has a PIN.` });
        },
      }),
    );
  };
  $("pin-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    setPin(false)();
  });
  $("btn-op-pin").addEventListener("click", setPin(true));

  $("rename-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const card = current();
    if (!card) return;
    const { cardId } = card;
    const alias = $("alias").value;
    enqueue(() =>
      call({
        op: "updateCardAlias",
        args: [num(cardId), q(alias)],
        request: `PATCH /cards/${cardId}`,
        title: `Couldn’t rename card #${cardId}`,
        button: $("btn-rename"),
        fields: { alias: $("alias") },
        invoke: (c) => c.updateCardAlias(cardId, alias),
        onSuccess: (data) => {
          applyCard(data, { cardId, alias });
          render();
          notify({ title: "Card renamed", text: `Card #${cardId} is now “${cards.get(cardId).alias}”.` });
        },
      }),
    );
  });

  $("statement-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const card = current();
    if (!card) return;
    const { cardId } = card;
    const month = Number($("statement-month").value);
    const yearText = $("statement-year").value.trim();
    const year = yearText === "" ? NaN : Number(yearText);
    $("statement-result").hidden = true;
    enqueue(() =>
      call({
        op: "createStatement",
        args: [num(cardId), `{ month: ${month}, year: ${Number.isNaN(year) ? q(yearText) : year} }`],
        request: `POST /cards/${cardId}/statements`,
        title: `Couldn’t generate the statement of card #${cardId}`,
        button: $("btn-statement"),
        fields: { month: $("statement-month"), year: $("statement-year") },
        invoke: (c) => c.createStatement(cardId, { month, year }),
        onSuccess: (s) => {
          const period = `${MONTHS[(s?.month ?? month) - 1] ?? s?.month} ${s?.year ?? year}`;
          const id = s?.statementId ?? "statement";
          $("statement-result").textContent = `✓ ${id} for ${period} · ${s?.status ?? "created"}`;
          $("statement-result").hidden = false;
          notify({ title: "Statement generated", text: `${period}, card #${cardId}.` });
        },
      }),
    );
  });

  $("btn-details").addEventListener("click", () => {
    const card = current();
    if (!card) return;
    hideSensitive({ forget: true });
    $("details-box").hidden = true;
    enqueue(() => showDetails(card));
  });
  $("btn-reveal").addEventListener("click", () => {
    if ($("btn-reveal").dataset.mode === "hide") hideSensitive({ forget: true });
    else reveal();
  });

  $("btn-clear-log").addEventListener("click", () => log.clear());

  // A mistake anywhere must reach the person, not just the console.
  window.addEventListener("unhandledrejection", (ev) => {
    notify({ kind: "error", title: "Something went wrong", text: scrub(String(ev.reason?.message ?? ev.reason), secrets()) });
  });
}

// ---- sensitive details -------------------------------------------------------------

/** Mints a view token on the local gateway's admin API (or the in-page gateway); logged like a call. */
async function mintViewToken(cardId) {
  if (inPage) {
    const entry = log.begin({ call: "test gateway: view token", op: "viewToken", request: "gateway.viewToken(cardId)" });
    try {
      const token = inPage.viewToken(cardId);
      entry.finish({ outcome: "ok", statusText: "minted", durationMs: 0, result: redact({ token }) });
      return token;
    } catch (err) {
      entry.finish({ outcome: "error", statusText: "refused", durationMs: 0, error: { kind: "admin", message: String(err?.message ?? err) } });
      notify({ kind: "error", title: "Couldn’t get a view token", text: String(err?.message ?? err) });
      return null;
    }
  }
  const entry = log.begin({
    call: "local gateway: view token",
    op: "viewToken",
    request: "POST /__mock/view-tokens",
  });
  const started = performance.now();
  try {
    const res = await fetch(`${location.origin}/__mock/view-tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cardId: String(cardId) }),
    });
    const body = await res.json().catch(() => ({}));
    const durationMs = performance.now() - started;
    if (!res.ok || typeof body.token !== "string") {
      const message = body.error ?? `HTTP ${res.status}`;
      entry.finish({ outcome: "error", statusText: String(res.status), durationMs, error: { kind: "admin", message } });
      notify({ kind: "error", title: "Couldn’t get a view token", text: `${message}. View tokens come from the local gateway (make demo).` });
      return null;
    }
    entry.finish({ outcome: "ok", statusText: String(res.status), durationMs, result: redact(body) });
    return body.token;
  } catch (err) {
    entry.finish({
      outcome: "error",
      statusText: "network error",
      durationMs: performance.now() - started,
      error: { kind: "network", message: String(err?.message ?? err) },
    });
    notify({ kind: "error", title: "Couldn’t get a view token", text: "The local gateway’s admin API is not reachable." });
    return null;
  }
}

async function showDetails(card) {
  const { cardId, userId } = card;
  const token = await mintViewToken(cardId);
  if (!token) return;
  await call({
    op: "getCardDetails",
    args: [q(userId), num(cardId), "viewToken"],
    request: `GET /users/${userId}/cards/${cardId}?token=•••`,
    title: `Couldn’t read the details of card #${cardId}`,
    button: $("btn-details"),
    extraSecrets: [token],
    invoke: (c) => c.getCardDetails(userId, cardId, token),
    onSuccess: (d) => {
      applyCard({ cardId: d?.cardId, status: d?.status, maskedPan: d?.maskedPan }, { cardId });
      if (currentId !== cardId) return;
      sensitive = { pan: String(d?.pan ?? ""), cvv: String(d?.cvv ?? "") };
      $("details-expiry").textContent = d?.expiry ?? "—";
      $("details-name").textContent = d?.cardholderName ?? "—";
      $("details-box").hidden = false;
      $("btn-reveal").hidden = false;
      render();
    },
  });
}

function formatPan(pan) {
  return pan.replace(/\D/g, "").replace(/(\d{4})(?=\d)/g, "$1 ");
}

function reveal() {
  if (!sensitive) return;
  $("details-pan").textContent = formatPan(sensitive.pan);
  $("details-cvv").textContent = sensitive.cvv;
  $("card-pan").textContent = formatPan(sensitive.pan);
  $("card-cvv").textContent = sensitive.cvv;
  for (const id of ["details-pan", "details-cvv", "card-pan", "card-cvv"]) $(id).dataset.revealed = "true";
  $("card").dataset.revealed = "true";
  $("btn-reveal").textContent = "Hide now";
  $("btn-reveal").dataset.mode = "hide";
  const bar = $("reveal-timer");
  bar.style.setProperty("--reveal-ms", `${REVEAL_MS}ms`);
  bar.hidden = false;
  bar.classList.remove("running");
  void bar.offsetWidth; // restart the animation
  bar.classList.add("running");
  clearTimeout(revealTimer);
  revealTimer = setTimeout(() => hideSensitive({ forget: true }), REVEAL_MS);
}

/** Masks PAN and CVV again; `forget` also drops them, so a new view token is needed. */
function hideSensitive({ forget }) {
  clearTimeout(revealTimer);
  revealTimer = null;
  if (forget) sensitive = null;
  for (const id of ["details-pan", "details-cvv", "card-pan", "card-cvv"]) delete $(id).dataset.revealed;
  delete $("card").dataset.revealed;
  $("reveal-timer").hidden = true;
  $("reveal-timer").classList.remove("running");
  $("btn-reveal").textContent = "Reveal number and CVV";
  delete $("btn-reveal").dataset.mode;
  if (forget) $("btn-reveal").hidden = true;
  render();
}

// ---- link -------------------------------------------------------------------------

function brandOf(digits) {
  if (/^4/.test(digits)) return "Visa";
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return "Mastercard";
  if (/^3[47]/.test(digits)) return "American Express";
  return "Card";
}

function verifyCardNumber() {
  const input = $("link-number");
  const verdict = $("link-verdict");
  const value = input.value.trim();
  const digits = value.replace(/\D/g, "");
  input.removeAttribute("aria-invalid");
  delete input.dataset.valid;
  if (value === "") {
    verdict.dataset.state = "empty";
    verdict.textContent = "12–19 digits; spaces or dashes between groups are fine.";
  } else if (isValidCardNumber(value)) {
    verdict.dataset.state = "valid";
    verdict.textContent = `Passes card verification · ${brandOf(digits)} ending ${digits.slice(-4)}`;
    input.dataset.valid = "true";
  } else if (/^[\d\s-]*$/.test(value) && digits.length < 12) {
    verdict.dataset.state = "typing";
    verdict.textContent = `${digits.length} digit${digits.length === 1 ? "" : "s"} so far; a card number has 12 to 19.`;
  } else {
    verdict.dataset.state = "invalid";
    verdict.textContent = !/^\d+([ -]\d+)*$/.test(value)
      ? "Only digits, with single spaces or dashes between groups."
      : digits.length > 19
        ? "Too long: a card number has at most 19 digits."
        : "This number fails the card check (Luhn). Check for a typo.";
    input.setAttribute("aria-invalid", "true");
  }
}

/** A random 16-digit number that passes the Luhn check (Visa range), for trying the form. */
function testCardNumber() {
  const body = [4, ...Array.from({ length: 14 }, () => Math.floor(Math.random() * 10))];
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body[body.length - 1 - i];
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const digits = [...body, (10 - (sum % 10)) % 10].join("");
  return digits.replace(/(\d{4})(?=\d)/g, "$1 ");
}

function wireLinkForm() {
  $("link-number").addEventListener("input", verifyCardNumber);
  $("use-test-number").addEventListener("click", () => {
    $("link-number").value = testCardNumber();
    verifyCardNumber();
    $("link-number").focus();
  });
  $("link-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const userId = connection().userId;
    const number = $("link-number").value;
    const alias = $("link-alias").value.trim();
    const input = { card: number, ...(alias && { alias }) };
    const shown = `{ card: ${q(maskPan(number))}${alias ? `, alias: ${q(alias)}` : ""} }`;
    enqueue(() =>
      call({
        op: "linkCard",
        args: [q(userId), shown],
        request: `POST /users/${userId}/cards?clientId=${connection().clientId}`,
        title: "Couldn’t link the card",
        button: $("btn-link"),
        fields: { card: $("link-number"), alias: $("link-alias"), userId: $("user-id"), clientId: $("client-id") },
        extraSecrets: [number.replace(/\D/g, "")].filter((d) => d.length >= 12),
        invoke: (c) => c.linkCard(userId, input),
        onSuccess: (card) => {
          if (card?.cardId === undefined) return;
          const saved = applyCard(card, { userId, source: "linked", alias: alias || undefined });
          $("link-number").value = "";
          $("link-alias").value = "";
          verifyCardNumber();
          select(saved.cardId);
          notify({ title: "Card linked", text: `Card #${saved.cardId} ending ${last4(saved)} is ${saved.status ?? "linked"}.` });
        },
      }),
    );
  });
}

// ---- activation link -----------------------------------------------------------------

function updateActivationUrl() {
  const userId = $("act-user").value.trim();
  const client = $("act-client").value.trim();
  const environment = document.querySelector('input[name="environment"]:checked')?.value ?? "production";
  const link = $("activation-url");
  $("act-user").removeAttribute("aria-invalid");
  try {
    const url = activationUrl({ userId, environment, ...(client && { client }) });
    link.href = url;
    link.textContent = url;
    link.parentElement.hidden = false;
    $("act-error").hidden = true;
  } catch (err) {
    const e = describeError(err);
    link.parentElement.hidden = true;
    $("act-error").textContent = userId === "" ? "Enter the cardholder’s user id." : e.message;
    $("act-error").hidden = false;
    if (e.field === "userId") $("act-user").setAttribute("aria-invalid", "true");
  }
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, insecure context): the old way.
    const area = h("textarea", { readonly: true, class: "sr-only" });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function wireActivationBuilder() {
  $("act-form").addEventListener("input", updateActivationUrl);
  $("act-form").addEventListener("change", updateActivationUrl);
  $("act-form").addEventListener("submit", (ev) => ev.preventDefault());
  $("btn-copy-url").addEventListener("click", async () => {
    const url = $("activation-url").href;
    if (await copyText(url)) notify({ title: "Activation link copied" });
    else notify({ kind: "error", title: "Couldn’t copy", text: "Select the link and copy it by hand." });
  });
  updateActivationUrl();
}

// ---- statement period ----------------------------------------------------------------

function fillStatementPeriod() {
  const now = new Date();
  const previous = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  $("statement-month").replaceChildren(...MONTHS.map((name, i) => h("option", { value: i + 1 }, name)));
  $("statement-month").value = String(previous.getMonth() + 1);
  $("statement-year").value = String(previous.getFullYear());
}

// ---- rendering -----------------------------------------------------------------------

function last4(card) {
  const digits = String(card?.maskedPan ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? digits.slice(-4) : "••••";
}

function stateKey(status) {
  return status === "ACTIVE" || status === "INACTIVE" || status === "BLOCKED" ? status : "OTHER";
}

function select(cardId) {
  if (currentId !== cardId) {
    hideSensitive({ forget: true });
    $("details-box").hidden = true;
    $("statement-result").hidden = true;
  }
  currentId = cardId;
  render();
}

function render() {
  const card = current();
  const el = $("card");
  el.dataset.state = card ? stateKey(card.status) : "NONE";
  $("card-state").textContent = card?.status ?? "—";
  $("state-caption").textContent = card ? STATE_CAPTIONS[card.status] ?? `State ${card.status}` : "No card yet";
  if (!$("card-pan").dataset.revealed) {
    $("card-pan").replaceChildren(h("span", { class: "sr-only" }, "Card number ending in "), `•••• •••• •••• ${last4(card)}`);
    $("card-cvv").textContent = "•••";
  }
  if (!$("details-pan").dataset.revealed) {
    $("details-pan").textContent = `•••• •••• •••• ${last4(card)}`;
    $("details-cvv").textContent = "•••";
  }
  $("card-alias").textContent = card?.alias || (card?.source === "linked" ? "Linked card" : "No alias");
  $("card-meta").textContent = card ? `${card.userId} · #${card.cardId}` : "—";
  $("current-ref").textContent = card ? `#${card.cardId} · ${card.alias || `•••• ${last4(card)}`}` : "no card selected";

  for (const fs of document.querySelectorAll(".needs-card")) fs.disabled = !card;
  // The action that fits the card's state is the highlighted one; all stay
  // clickable, so the gateway's answer to an unfitting one can be seen too.
  const suggested = { INACTIVE: "btn-activate", ACTIVE: "btn-block", BLOCKED: "btn-unblock" }[card?.status];
  for (const id of ["btn-activate", "btn-block", "btn-unblock"]) $(id).classList.toggle("btn-primary", id === suggested);

  renderList();
}

function renderList() {
  const list = $("card-list");
  const items = [...cards.values()].reverse().map((card) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "card-item",
          "aria-pressed": String(card.cardId === currentId),
          dataset: { testid: "card-item", cardId: card.cardId, state: card.status ?? "" },
          onclick: () => select(card.cardId),
        },
        h("span", { class: "mini", dataset: { state: card.status ?? "" }, "aria-hidden": "true" }),
        h(
          "span",
          { class: "ci-main" },
          h("span", { class: "ci-title" }, card.alias || (card.source === "linked" ? "Linked card" : "Migo card")),
          h("span", { class: "ci-sub" }, `•••• ${last4(card)} · #${card.cardId} · user ${card.userId}`),
        ),
        h("span", { class: "pill", dataset: { state: card.status ?? "" } }, card.status ?? "?"),
      ),
    ),
  );
  // Keep keyboard focus on the same card across re-renders.
  const focusedId = document.activeElement?.closest?.(".card-item")?.dataset.cardId;
  list.replaceChildren(...items);
  if (focusedId) list.querySelector(`[data-card-id="${focusedId}"]`)?.focus();
  $("card-count").textContent = String(cards.size);
  $("card-list-empty").hidden = cards.size > 0;
}

// ---- boot ---------------------------------------------------------------------

const status = $("client-status");
function setStatus(state, text, detail = "") {
  status.dataset.state = state;
  status.querySelector(".text").textContent = text;
  status.querySelector(".detail").textContent = detail;
}

try {
  await init();
} catch (err) {
  setStatus("error", "SDK failed to load");
  $("boot").dataset.state = "failed";
  $("boot-detail").textContent = String(err?.message ?? err);
  throw err;
}

/**
 * The local gateway when one answers at this origin (`make demo`), otherwise
 * the test gateway of migo-cards/testing in the page, so a static copy of
 * this folder and the package works with no server. `?gateway=in-page`
 * asks for the in-page one.
 */
async function findGateway() {
  if (new URLSearchParams(location.search).get("gateway") !== "in-page") {
    try {
      const res = await fetch(`${location.origin}/__mock/health`, { cache: "no-store" });
      if (res.ok && (await res.json()).ok === true) return null;
    } catch {
      // Not reachable: the in-page gateway it is.
    }
  }
  const { createTestGateway } = await import("migo-cards/testing");
  return createTestGateway();
}

inPage = await findGateway();
if (inPage) {
  // The environment's own URL: the in-page gateway answers any origin on /rest.
  $("base-url").value = "";
  $("conn-note").hidden = true;
  $("in-page-note").hidden = false;
  document.documentElement.dataset.gateway = "in-page";
} else {
  $("base-url").value = `${location.origin}/rest`;
  document.documentElement.dataset.gateway = "local";
}
// On a phone the connection starts folded: its summary line says where the page points.
if (matchMedia("(max-width: 520px)").matches) $("conn-form").closest("details").open = false;
fillStatementPeriod();
wireConnection();
wireOperations();
wireLinkForm();
wireActivationBuilder();
buildClient();
render();
document.documentElement.dataset.ready = "true";
