// `init(input)` of the browser build with each kind of input its docstring
// names (the module as bytes, a compiled WebAssembly.Module, a Response, a
// URL, or a promise of one), each in a fresh copy of the entry so that each
// really loads; a failed load rejects and may be retried.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { root } from "./gateway.mjs";

const entry = pathToFileURL(path.join(root, "pkg", "web", "index.js"));
const deflated = /"([A-Za-z0-9+/=]+)"/.exec(readFileSync(path.join(root, "pkg", "web", "wasm.js"), "utf8"))[1];
const bytes = new Uint8Array(inflateRawSync(Buffer.from(deflated, "base64")));
let copies = 0;

/** A fresh instance of the entry (its own `init` state), initialised with `input`. */
async function loadWith(input) {
  const web = await import(`${entry}?copy=${++copies}`);
  await web.default(input);
  return web;
}

/** Checks the loaded module works: a validation error from the core, and a card number check. */
function works(web) {
  assert.equal(web.isValidCardNumber("4111 1111 1111 1111"), true);
  assert.throws(() => new web.MigoClient({ accessToken: "t", baseUrl: "ftp://x" }), (e) => e.field === "baseUrl");
}

test("init accepts the module as bytes, an ArrayBuffer, a WebAssembly.Module, or a promise of one", async () => {
  works(await loadWith(bytes));
  works(await loadWith(bytes.buffer.slice(0)));
  works(await loadWith(new WebAssembly.Module(bytes)));
  works(await loadWith(Promise.resolve(bytes)));
});

test("init accepts a Response, and a URL (string, URL object or Request) it fetches", async () => {
  works(await loadWith(new Response(bytes, { headers: { "content-type": "application/wasm" } })));
  const dataUrl = `data:application/wasm;base64,${Buffer.from(bytes).toString("base64")}`;
  works(await loadWith(dataUrl));
  works(await loadWith(new URL(dataUrl)));
  works(await loadWith(new Request(dataUrl)));
  // A promise of any of them too, as the declarations allow.
  works(await loadWith(Promise.resolve(dataUrl)));
  works(await loadWith(Promise.resolve(new URL(dataUrl))));
  works(await loadWith(Promise.resolve(new Request(dataUrl))));
  works(await loadWith(Promise.resolve(new Response(bytes, { headers: { "content-type": "application/wasm" } }))));
});

test("a Response that is not ok rejects, naming its status, and init may then be called again", async () => {
  const web = await import(`${entry}?copy=${++copies}`);
  await assert.rejects(web.default(new Response("no such file", { status: 404, statusText: "Not Found" })), /404 Not Found/);
  await assert.rejects(web.default(new Uint8Array([0, 97, 115, 109])), WebAssembly.CompileError);
  await web.default(bytes);
  works(web);
});
