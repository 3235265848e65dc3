// Small DOM helpers for the example page: an element builder, notices
// (toasts) and the call log. Nothing here knows about the SDK; every text it
// is given has already been redacted by the caller.

/** Builds an element: h("p", { class: "x", dataset: { a: 1 } }, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// ---- notices ---------------------------------------------------------------

const MAX_TOASTS = 3;

/**
 * Shows a notice. Errors stay until dismissed (or pushed out by newer ones);
 * successes fade after a few seconds. `text` may be a string or a Node.
 */
export function toast(container, { kind = "ok", title, text, timeoutMs }) {
  const close = () => el.remove();
  const el = h(
    "div",
    {
      class: "toast",
      role: kind === "error" ? "alert" : "status",
      dataset: { kind, testid: kind === "error" ? "toast-error" : "toast-ok" },
    },
    h("span", { class: "toast-icon", "aria-hidden": "true" }, kind === "error" ? "!" : "✓"),
    h("span", { class: "toast-title" }, title),
    h("button", { type: "button", class: "toast-close", "aria-label": "Dismiss", onclick: close }, "×"),
    text ? h("span", { class: "toast-text" }, text) : null,
  );
  container.append(el);
  // Over the limit, the oldest success goes first: an error stays until dismissed.
  while (container.children.length > MAX_TOASTS) {
    (container.querySelector('.toast[data-kind="ok"]') ?? container.firstElementChild).remove();
  }
  const ms = timeoutMs ?? (kind === "error" ? 0 : 3000);
  if (ms > 0) setTimeout(close, ms);
  return el;
}

// ---- the call log ----------------------------------------------------------

const MAX_ENTRIES = 100;

const clock = () => new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

/** The call log: one entry per call, newest first. */
export function createLog(list, emptyNote) {
  const sync = () => {
    emptyNote.hidden = list.children.length > 0;
  };
  sync();
  return {
    /** A pending entry for `call` (the SDK call as code) and `request` (method and path). */
    begin({ call, op, request }) {
      const status = h("span", { class: "le-status", dataset: { testid: "log-status" } }, "…");
      const req = h("span", { class: "le-req", dataset: { testid: "log-request" } }, requestLine(request));
      const ms = h("span", { class: "le-ms", dataset: { testid: "log-duration" } }, "");
      const body = h("div", { class: "le-body", dataset: { testid: "log-body" } });
      const li = h(
        "li",
        { class: "log-entry", dataset: { testid: "log-entry", op, outcome: "pending" } },
        h("span", { class: "le-call", dataset: { testid: "log-call" } }, h("span", { class: "le-time" }, clock()), " ", call),
        req,
        status,
        ms,
        body,
      );
      list.prepend(li);
      while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
      sync();
      return {
        /** outcome "ok" with `result`, or "error" with `error` ({kind, code, status, field, message, ...}). */
        finish({ outcome, request, statusText, durationMs, result, error }) {
          li.dataset.outcome = outcome;
          if (request) req.replaceChildren(...requestLine(request).childNodes);
          status.textContent = statusText;
          ms.textContent = `${Math.round(durationMs)} ms`;
          body.replaceChildren(outcome === "ok" ? resultView(result) : errorView(error));
        },
      };
    },
    clear() {
      list.replaceChildren();
      sync();
    },
  };
}

function requestLine(request) {
  const frag = h("span");
  if (!request) return frag;
  const [method, ...rest] = request.split(" ");
  frag.append(h("span", { class: "le-method" }, method), " ", rest.join(" "));
  return frag;
}

function resultView(result) {
  if (result === undefined) return h("span", { class: "le-summary" }, "resolved to undefined (empty response)");
  const compact = JSON.stringify(result);
  const short = compact.length > 110 ? `${compact.slice(0, 107)}…` : compact;
  return h(
    "details",
    {},
    h("summary", {}, "result ", h("span", { class: "le-summary" }, short)),
    h("pre", {}, JSON.stringify(result, null, 2)),
  );
}

function errorView(error) {
  const facts = [
    ["kind", error.kind],
    ["code", error.code],
    ["field", error.field],
    ["outcome", error.outcome],
  ].filter(([, v]) => v !== undefined && v !== null && v !== "");
  const parts = [];
  facts.forEach(([name, value], i) => {
    if (i) parts.push(" · ");
    parts.push(`${name} `, h("b", { dataset: { testid: `log-error-${name}` } }, String(value)));
  });
  return h("div", { class: "le-error" }, ...parts, " — ", h("span", { dataset: { testid: "log-error-message" } }, error.message));
}
