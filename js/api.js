// The public API over the wasm core: `MigoClient`, `activationUrl`,
// `isValidCardNumber`, and the driver that runs each call.
//
// The core (engine/src/call.rs) decides everything: validation, the request,
// attempts, retries, deadlines, the token, the outcome, every error field.
// This file only moves values across (a tag per JS value, see `pack`) and
// performs what the core says: `fetch`, timers, `getAccessToken`,
// `onRequest`. The methods, value tags and option names come from the
// core's own `describe()`, the action codes and a step's layout from the
// enums wasm-bindgen generates (bindings/src/exports.rs), so nothing here restates
// the endpoint table or a number of the module's.
import { MigoError, configError } from "./error.js";
import {
  WasmClient,
  Act,
  Body,
  Event,
  StepField,
  Text,
  describe,
  optionsError,
  activationUrl as wasmActivationUrl,
  isValidCardNumber as wasmIsValidCardNumber,
} from "./load/bindings.js";

let loaded = false; // whether the module is instantiated
let D; // describe(): tags, options, operations
let T; // tag name -> number
const { At: AT, Ticket: TICKET, Start: START, End: END } = StepField;

/** Makes the API usable once the module is instantiated; the entry points call it once. */
export function bind() {
  loaded = true;
  D = JSON.parse(describe());
  T = Object.fromEntries(D.tags.map((n, i) => [n, i]));
  D.operations.forEach(([name, shape], op) => defineMethod(name, (self, args) => call(self, op, shape, args)));
}

/** Puts method `name` on MigoClient's prototype, running `run(this, args)`; named so in stacks. */
function defineMethod(name, run) {
  const method = {
    [name](...args) {
      return run(this, args);
    },
  }[name];
  Object.defineProperty(MigoClient.prototype, name, { value: method, writable: true, configurable: true });
}

let load; // the browser build's init(), which a client constructed before it calls
let optionNames; // describe()'s option names, known before the module is (the browser build)

/** Rejects a call with why the module did not load, as a MigoError (a CSP's CompileError becomes its cause). */
function loadFailed(e) {
  throw e instanceof MigoError ? e : configError("init", `migo-cards could not load its WebAssembly module: ${e?.message ?? e}`, e);
}

/**
 * Lets a client be constructed before the module is loaded (the browser
 * build, given its `init` and describe()'s names as the build wrote them
 * in): the client starts loading it, its methods wait for it, and its
 * options are checked once it is there (a bad one then rejects each call).
 */
export function constructBeforeLoad(init, names) {
  load = init;
  optionNames = names.options;
  for (const name of names.operations) {
    if (!loaded) defineMethod(name, (self, args) => load().then(() => MigoClient.prototype[name].apply(self, args), loadFailed));
  }
}

let missing; // why the module cannot load in this engine (a MigoError), once that is known

/**
 * Whether this engine lacks WebAssembly (iOS Lockdown Mode, React Native's
 * Hermes, `node --jitless`): the entry points then load the module's
 * JavaScript build instead.
 */
export const noWebAssembly = () => typeof WebAssembly === "undefined";

/**
 * Records that neither the wasm nor its JavaScript build can load here
 * (`cause`: why the JavaScript build did not): a MigoError naming
 * WebAssembly, which every entry point throws from then on.
 */
export function unavailable(cause) {
  const why = cause instanceof Error ? cause.message : String(cause);
  missing ??= configError(
    "init",
    "migo-cards needs WebAssembly, which this JavaScript engine does not provide (it is off in iOS Lockdown Mode, in React Native's Hermes and under `node --jitless`), " +
      `or its JavaScript build, which did not load: ${why}`,
  );
  return missing;
}

function requireLoaded() {
  if (!loaded) throw missing ?? configError("init", "migo-cards is not loaded yet: call `await init()` first");
}

const NO_VALUE = Symbol("unreadable");

/** `obj[key]`, for objects only; a throwing getter or Proxy trap gives NO_VALUE. */
function read(obj, key) {
  if (obj === null || typeof obj !== "object") return undefined;
  try {
    return obj[key];
  } catch {
    return NO_VALUE;
  }
}

// With the u flag a pair reads as one code point: only a lone surrogate matches.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const wellFormed = (s) => (s.isWellFormed ? s.isWellFormed() : !LONE_SURROGATE.test(s));

/** The core's tag for a JS value (`TAGS` in engine/src/input.rs). */
function tag(v) {
  const t = typeof v;
  if (t === "string") return wellFormed(v) ? T.string : T.badString;
  // true, false and null have tags of their names (a key reads as its string).
  if (t === "boolean" || v === null) return T[v];
  return v === NO_VALUE ? T.unreadable : T[t]; // number, undefined, object, symbol, bigint, function
}

/**
 * The values as the module's exports take them: one list of each value's
 * tag and number (a string's is its length), and the strings' texts one
 * after another.
 */
function pack(values) {
  const list = [];
  let text = "";
  for (const v of values) {
    const t = tag(v);
    if (t === T.string) {
      list.push(t, v.length);
      text += v;
    } else list.push(t, number(v));
  }
  return [list, text];
}

/** `v` if a number, else 0: a wasm f64 argument would convert anything else (and run its valueOf). */
const number = (v) => (typeof v === "number" ? v : 0);

/** The core's tag for the `signal` option: a signal's state, else the value's tag. */
function signalTag(s) {
  try {
    if (typeof s?.aborted === "boolean" && typeof s.addEventListener === "function" && typeof s.removeEventListener === "function") {
      return !s.aborted ? T.signal : isTimeout(s.reason) ? T.timedOutSignal : T.abortedSignal;
    }
  } catch {
    return T.unreadable;
  }
  return tag(s);
}

function isTimeout(reason) {
  try {
    return reason?.name === "TimeoutError";
  } catch {
    return false;
  }
}

/** A MigoError from the core's JSON (`Error::to_json`), `cause` nested or given. */
function toError(details, cause) {
  const { message, cause: inner, ...fields } = typeof details === "string" ? JSON.parse(details) : details;
  return new MigoError(message, fields, inner ? toError(inner) : cause);
}

/**
 * Each live client's state; a detached or freed receiver has none. The
 * module's client (`core`) of a state nothing holds any more is freed by
 * the generated glue's FinalizationRegistry.
 */
const clients = new WeakMap();

export class MigoClient {
  /**
   * Validates `options` now; throws a MigoError of kind "config" naming the
   * option at fault. Before the browser build is loaded, reads them now and
   * validates them once it is (see constructBeforeLoad).
   */
  constructor(options) {
    if (!loaded && !load) requireLoaded();
    // Everything is read before anything is pushed: a getter may run any code.
    // (read() gives undefined for a non-object: none of its options is read.)
    const values = {};
    for (const name of loaded ? D.options : optionNames) values[name] = read(options, name);
    const c = {
      core: undefined, // the module's client, made by create()
      options, // and values: what create() makes it from
      values,
      fetch: values.fetch ?? undefined,
      getToken: values.getAccessToken,
      onRequest: values.onRequest ?? undefined,
      summary: undefined,
      token: undefined, // the token fetch in progress: { ticket, promise }
      running: 0, // calls in flight
      freed: false,
    };
    if (loaded) create(c);
    else load().catch(NOOP); // each call reports a failure
    clients.set(this, c);
  }

  /** The environment this client talks to. */
  get environment() {
    return live(this).summary.environment;
  }

  /** The API base URL in use (no trailing slash). */
  get baseUrl() {
    return live(this).summary.baseUrl;
  }

  /** A summary without secrets, so logging a client leaks nothing. */
  toJSON() {
    return { ...live(this).summary };
  }

  toString() {
    const s = live(this).summary;
    return `MigoClient(${s.environment}, ${s.baseUrl})`;
  }

  /** Releases the client's wasm memory; the client is unusable afterwards. */
  free() {
    const c = clients.get(this);
    if (c) {
      clients.delete(this);
      // Calls in flight finish first; the last one frees the core.
      c.freed = true;
      if (c.running === 0) c.core?.free();
    }
  }

  [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() {
    this.free();
  }
}

/** The client's state, its core made first if it was constructed before the module was loaded. */
function live(self) {
  const c = clients.get(self);
  if (!c) throw misuse();
  if (!c.core) {
    requireLoaded();
    create(c);
  }
  return c;
}

/** Makes the client's core from the options read at construction; throws the MigoError of a bad one. */
function create(c) {
  const list = [c.options];
  if (tag(c.options) === T.object) for (const name of D.options) list.push(c.values[name]);
  const packed = pack(list);
  const core = WasmClient.create(...packed);
  if (!core) throw toError(optionsError(...packed));
  c.summary = JSON.parse(core.summary());
  c.core = core;
  c.options = c.values = undefined;
}

/** Starts operation `op` with the method's `args`: the call's promise. */
function call(self, op, shape, args) {
  let c;
  try {
    c = live(self);
  } catch (e) {
    return Promise.reject(e);
  }
  // Everything is read before anything is pushed: a getter may run any code,
  // even another call of this client.
  const values = [];
  for (let i = 0; i < shape.length; i++) {
    const s = shape[i];
    if (typeof s === "string") values.push(args[i]);
    else for (const field of s) values.push(read(args[i], field));
  }
  // read() gives undefined for anything but an object.
  const options = args[shape.length];
  const retries = read(options, "maxRetries");
  const timeout = read(options, "timeoutMs");
  const signal = read(options, "signal");
  const signalState = signalTag(signal);
  // A getter above may have freed the client.
  if (c.freed) return Promise.reject(misuse());
  const f = c.fetch ?? globalThis.fetch;
  // The call options' values follow the arguments'; the signal crosses as its state's tag.
  values.push(options, retries, timeout);
  const [list, text] = pack(values);
  list.push(signalState, 0);
  return drive(c, c.core.start(op, list, text, typeof f === "function"), f, signal);
}

/** The token fetch for `ticket`: started now (`start`) or joined. */
function tokenPromise(c, ticket, start) {
  if (start) {
    let promise;
    try {
      promise = Promise.resolve(c.getToken()).then(
        (value) => ({ how: 0, value }),
        (reason) => ({ how: REJECTED, reason }),
      );
    } catch (reason) {
      promise = Promise.resolve({ how: THREW, reason });
    }
    c.token = { ticket, promise };
  }
  return c.token?.ticket === ticket ? c.token.promise : Promise.resolve({ how: REJECTED });
}

function misuse() {
  return configError(
    "this",
    "MigoClient methods need the client they belong to: this one was detached from it or called after free()",
  );
}

// How a token fetch settled without a value.
const REJECTED = 1;
const THREW = 2;
// What within() settles with when the deadline passes or the signal fires,
// before (AbortedUnsent) or after `start` ran: the core's event for each.
const TIMED_OUT = { event: Event.TimedOut };
const ABORTED = { event: Event.Aborted };
const ABORTED_UNSENT = { event: Event.AbortedUnsent };

const NOOP = () => {};
// A wait's end.
const GO = { event: Event.Go };

/**
 * Listens for the caller's `signal` to fire; returns the function that stops
 * listening. A signal whose methods throw (a hostile Proxy) cannot abort.
 */
function listen(signal, onAbort) {
  if (!signal) return NOOP;
  try {
    signal.addEventListener("abort", onAbort);
  } catch {
    return NOOP;
  }
  return () => {
    try {
      signal.removeEventListener("abort", onAbort);
    } catch {}
  };
}

/** The signal's `reason`, or undefined where reading it throws. */
function reasonOf(signal) {
  try {
    return signal.reason;
  } catch {
    return undefined;
  }
}

/**
 * The time (epoch ms) for the core: the clock of the timers that end its
 * waits. The engine's own timers keep monotonic time, so the core reads
 * `performance.timeOrigin + performance.now()`: a step of the wall clock
 * (NTP, the user, a machine waking up) moves no deadline and no wait. Fake
 * timers (Jest, Vitest, node:test's mock.timers) replace `setTimeout` and
 * advance a fake `Date` beside it: then `Date.now()`, as where the engine
 * has no `performance.timeOrigin`. Only a Retry-After date needs the wall
 * clock, read apart (`Date.now()` beside the answer). Kept in `lastNow`:
 * every action the core gives follows a reading in the same turn, so
 * onDeadline's check of the timer against it needs no reading of its own (a
 * clock read is a call into the browser: 60-260 ns in Chromium 156).
 */
let lastNow = 0;
const perf = globalThis.performance;
const origin = perf?.timeOrigin;
const EngineDate = Date;
// Fake timers (Jest, Vitest, node:test) replace `Date` beside `setTimeout`;
// @sinonjs/fake-timers marks what it fakes with `clock`. A wrapper of
// `setTimeout` (an error tracker, zone.js) does neither.
const fakeTimers = () => globalThis.Date !== EngineDate || globalThis.setTimeout?.clock !== undefined;
// The time the engine's timer last fired for: it may fire up to 1 ms before
// performance.now() gets there (Node counts whole ms), and what it ended
// must stay over for the core (a token fetch shared until then, a wait).
let fired = 0;
const clock = () =>
  (lastNow =
    typeof origin === "number" && !fakeTimers() ? Math.max(origin + perf.now(), fired) : Date.now());

/*
 * Deadlines (the core's clock, ms) share one timer, armed for the earliest:
 * a call that ends in time only deletes its entry, so sequential calls arm a
 * timer about once per timeoutMs instead of a setTimeout and a clearTimeout
 * each (4-12 % of the CPU per call with fetch stubbed, BENCH_ONLY=cpu).
 */
const deadlines = new Set(); // { at, fire }, the live ones
let armed; // the timer's handle, or undefined
let armedAt = Infinity; // when it fires (the core's clock)
let armedWith; // the setTimeout that armed it
let generation = 0; // of the armed timer: one left over from fake timers is ignored
let held = false; // whether it keeps a Node or Deno process alive

/** Calls `fire` at `at` (the core's clock) unless `cancel(entry)` comes first. */
function onDeadline(at, fire) {
  const entry = { at, fire };
  deadlines.add(entry);
  if (at < armedAt) arm(at);
  // A timer armed through another setTimeout (fake timers installed or
  // removed since) or one overdue may never fire: armed again, for the
  // earliest deadline waiting, which may come before this one.
  else if (armedWith !== globalThis.setTimeout || armedAt < lastNow - 1000) arm(earliest());
  else if (!held) hold(true);
  return entry;
}

function earliest() {
  let at = Infinity;
  for (const e of deadlines) if (e.at < at) at = e.at;
  return at;
}

function cancel(entry) {
  // The timer stays armed (the next call will most likely need it), but no
  // longer keeps a process alive once nothing waits.
  if (deadlines.delete(entry) && deadlines.size === 0) hold(false);
}

function arm(at) {
  if (armed !== undefined) armedWith === globalThis.setTimeout && clearTimeout(armed);
  armedWith = globalThis.setTimeout;
  armedAt = at;
  held = false;
  // (A delay below 0 is 0: HTML timers and Node's clamp it.)
  armed = setTimeout(expire, at - lastNow, ++generation);
  hold(true);
}

// Read once: in a page, looking up a global that is not there goes through
// the window's named-property check, twice a call (hold) otherwise.
const Deno = globalThis.Deno;

/** Node and Bun timers are objects with ref/unref; Deno's are numbers. */
function hold(on) {
  if (armed === undefined || held === on) return;
  held = on;
  const name = on ? "ref" : "unref";
  try {
    if (typeof armed === "object") armed[name]?.();
    else Deno?.[name + "Timer"]?.(armed);
  } catch {}
}

function expire(g) {
  if (g !== generation) return;
  // The timer firing means its deadline came, as a timer per deadline did.
  const now = Math.max(armedAt, clock());
  if (!fakeTimers()) fired = now;
  armed = undefined;
  armedAt = Infinity;
  held = false;
  const due = [];
  for (const e of deadlines) {
    if (e.at <= now) {
      deadlines.delete(e);
      due.push(e);
    }
  }
  const next = earliest();
  if (next !== Infinity) arm(next);
  for (const e of due) e.fire();
}

/**
 * Runs `start(end)` and calls `then` once, with the first of: what it passes
 * to `end`, TIMED_OUT at `deadline` (the core's clock), ABORTED when `signal` fires
 * (ABORTED_UNSENT if before `start` ran).
 * In the latter two, `ctrl` (an attempt's fetch) is aborted first. Its timer
 * and listener are removed whichever way it ends. Attempts, waits between
 * them and waits for a token all go through here. A callback, not a
 * promise: a call's steps run on in the same turn (see drive).
 */
function within(start, deadline, signal, ctrl, then) {
  let settled = false;
  let started = false;
  let unlisten = NOOP;
  const end = (why) => {
    if (settled) return;
    settled = true;
    cancel(timer);
    unlisten();
    then(why);
  };
  const timer = onDeadline(deadline, () => {
    ctrl?.abort();
    end(TIMED_OUT);
  });
  unlisten = listen(signal, () => {
    ctrl?.abort(reasonOf(signal));
    end(started ? ABORTED : ABORTED_UNSENT);
  });
  // A signal that fired as the listener was added: nothing is started.
  if (settled) unlisten();
  // Started from a microtask, on a short stack: with DevTools attached,
  // Chromium records the stack that calls fetch, ~5 µs a frame. (A promise
  // reaction, not queueMicrotask: that is a call into the browser.)
  else RESOLVED.then(() => settled || ((started = true), start(end)));
}

const RESOLVED = Promise.resolve();

/**
 * Reads a fetch answer whole and hands what the core needs to `done`: the
 * status, body, request id, Retry-After, whether a redirect was followed,
 * Date and how the body ended (a `Body`): `reply`'s arguments, in its
 * order; or `{ answer, error }` for an answer whose body failed after its
 * status; or why there is none (`event`, the core's `Event` for it).
 * `heard` gets, once the status and headers are known, the answer cut off
 * as of then (by `how`). Written with `then` rather than `await`: this is
 * the hot path of every call, and each await is a turn of the microtask
 * queue.
 */
function readAnswer(res, done, heard) {
  try {
    if (res === null || typeof res !== "object" || typeof res.text !== "function") return done({ event: Event.BadResponse });
    // A redirect not followed (redirect: "manual") has status 0: the Fetch
    // Standard's opaque-redirect filtered response; Node's undici gives the 3xx.
    const status = res.status;
    const redirected = res.redirected === true;
    let requestId = null;
    let retryAfter = null;
    let date = null;
    try {
      const headers = res.headers;
      requestId = headers.get("x-request-id");
      retryAfter = headers.get("retry-after");
      date = headers.get("date");
    } catch {}
    // An HTTP status is an integer of three digits (0: a redirect not followed).
    const known = Number.isInteger(status) && status >= 0 && status <= 999;
    const cut = (how) => [status, "", requestId, retryAfter, redirected, date, how];
    if (known) heard(cut);
    Promise.resolve(res.text()).then(
      (text) => {
        if (typeof text !== "string" || !known) return done({ event: Event.BadResponse });
        const answer = cut(Body.Whole);
        answer[1] = text;
        done(answer);
      },
      // The body could not be read: the connection failed mid-answer, after its status.
      (error) => done(known ? { answer: cut(Body.ConnectionLost), error } : { event: Event.Network, error }),
    );
  } catch (error) {
    done({ event: Event.Network, error });
  }
}

/**
 * Sends call `id`'s request and reads the whole answer; calls `then` with
 * the answer (see readAnswer), TIMED_OUT at `deadline` (the answer cut off
 * instead, once its status came), or ABORTED when `signal` fires, and
 * aborts the fetch in the latter two cases.
 */
function send(core, id, f, deadline, signal, then) {
  const text = core.text(id, Text.Request);
  if (text === undefined) return then({ event: Event.NotSent });
  const line = text.split("\n");
  const headers = {};
  for (let i = 3; i < line.length; i += 2) headers[line[i]] = line[i + 1];
  const ctrl = new AbortController();
  let cut; // once the status and headers came: the answer cut off by `how`
  return within(
    (end) => {
      let pending;
      try {
        pending = f(line[1], {
          method: line[0],
          headers,
          body: line[2] || undefined, // empty: none
          signal: ctrl.signal,
          redirect: "manual",
        });
      } catch {
        return end({ event: Event.NotSent });
      }
      Promise.resolve(pending).then(
        (res) => readAnswer(res, end, (c) => (cut = c)),
        (error) => end({ event: Event.Network, error }),
      );
    },
    deadline,
    signal,
    ctrl,
    (r) => {
      // Once the status came, an end of the attempt is the answer cut off.
      if (cut && r === TIMED_OUT) return then({ answer: cut(Body.DeadlinePassed) });
      if (cut && r === ABORTED) return then({ answer: cut(isTimeout(reasonOf(signal)) ? Body.AbortedByTimeout : Body.Aborted), abort: true });
      then(r);
    },
  );
}

/** A scrubbed copy of what fetch threw, for `cause`: name and message only. */
function failureCause(core, id, error) {
  try {
    let text = String(error?.message ?? error);
    const inner = error?.cause?.message;
    if (typeof inner === "string" && inner) text += ` (${inner})`;
    const copy = new Error(core.scrub(id, text));
    copy.name = typeof error?.name === "string" ? core.scrub(id, error.name) : "Error";
    return copy;
  } catch {
    return undefined;
  }
}

/**
 * Runs call `id` to its end: performs each action the core returns; the call's promise settles with
 * the value or the MigoError. Callbacks rather than an async function:
 * after an idle wait, with cold caches, each await and promise of the
 * call's path showed in its time.
 */
function drive(c, id, f, signal) {
  const { core, onRequest: hook } = c;
  let cause;
  let body; // the last answer's body, as given to the core
  // Whether an attempt ended that `onRequest` has not been told of yet.
  let unreported = false;
  /** The core's step after event `r`, with the abort's reason kept as `cause`. */
  const on = (r) => {
    if (r === ABORTED || r === ABORTED_UNSENT) cause = reasonOf(signal);
    return core.on(id, r.event, isTimeout(cause), 0, clock(), Math.random());
  };
  c.running++;
  return new Promise((resolve, reject) => {
    let over = false;
    // Settled first: a module that throws in `finish` cannot leave it pending.
    const settle = (ok, v) => {
      if (over) return;
      over = true;
      (ok ? resolve : reject)(v);
      core.finish(id);
      if (--c.running === 0 && c.freed) core.free();
    };
    // Performs steps, the first from `next()`, until one waits; the end of
    // the wait runs it again. Whatever throws rejects the call.
    const run = (next) => {
      try {
        const act = next();
        // The step's numbers and texts are this call's own: caller code run
        // below (the hook may start another call of this client) cannot
        // change them.
        const deadline = act === Act.Done || act === Act.Fail ? 0 : core.step(id, AT);
        if (unreported) {
          unreported = false;
          report(core, id, hook);
        }
        switch (act) {
          case Act.Send:
            return send(core, id, f, deadline, signal, (r) =>
              run(() => {
                unreported = hook !== undefined;
                if (r.error !== undefined) cause = failureCause(core, id, r.error);
                if (r.event !== undefined) return on(r);
                if (r.abort) cause = reasonOf(signal);
                const a = r.answer ?? r;
                body = a[1];
                // The wall clock too: what a Retry-After date counts from without a Date header.
                return core.reply(id, a[0], a[4], a[6], ...pack([a[1], a[2], a[3], a[5]]), clock(), a[3] == null ? 0 : Date.now(), Math.random());
              }),
            );
          case Act.Wait:
            return within(NOOP, deadline, signal, undefined, (r) => run(() => on(r.event === undefined ? GO : r)));
          case Act.FetchToken:
          case Act.AwaitToken: {
            const ticket = core.step(id, TICKET);
            const token = tokenPromise(c, ticket, act === Act.FetchToken);
            return within((end) => token.then(end), deadline, signal, undefined, (r) =>
              run(() => {
                if (r.event !== undefined) return on(r);
                if (r.how !== 0) {
                  // The provider's own error is the call's `cause`, as it gave it.
                  cause = r.reason;
                  return core.on(id, r.how === THREW ? Event.TokenThrew : Event.TokenRejected, false, ticket, clock(), 0);
                }
                return core.token(id, ticket, ...pack([r.value]), clock());
              }),
            );
          }
          case Act.Done: {
            // The value is usually a part of the body we still hold: sliced
            // here rather than copied out of the module.
            const start = core.step(id, START);
            const v = start >= 0 ? body.slice(start, core.step(id, END)) : core.text(id, Text.Value);
            return settle(true, v === undefined ? undefined : JSON.parse(v));
          }
          default:
            return settle(false, toError(core.text(id, Text.Error), cause));
        }
      } catch (e) {
        settle(false, e);
      }
    };
    run(() => core.on(id, Event.Go, false, 0, clock(), Math.random()));
  });
}

/** Tells `onRequest` of the last attempt; what it throws is ignored. */
function report(core, id, hook) {
  const event = core.text(id, Text.Event);
  if (event === undefined) return;
  try {
    hook(JSON.parse(event));
  } catch {}
}

/** The hosted card-activation webview URL for a cardholder. */
export function activationUrl(options) {
  requireLoaded();
  const out = wasmActivationUrl(...pack(["userId", "client", "environment"].map((key) => read(options, key))));
  if (out.startsWith("{")) throw toError(out);
  return out;
}

/** The card-number verification `linkCard` applies. Never throws. */
export function isValidCardNumber(card) {
  requireLoaded();
  return wasmIsValidCardNumber(...pack([card]));
}

export { MigoError };
