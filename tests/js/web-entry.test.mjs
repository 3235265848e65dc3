// The browser entry (pkg/web/index.js), exercised in Node: before `init()`
// the functions say what to do with a MigoError and a client constructed
// then loads the module itself; after it, everything works.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { root } from "./gateway.mjs";

const web = await import(path.join(root, "pkg", "web", "index.js"));

test("before init, the functions throw a MigoError naming init; a client may be constructed, and its calls load the module", async () => {
  for (const call of [() => web.activationUrl({ userId: "1" }), () => web.isValidCardNumber("4111111111111111")]) {
    assert.throws(call, (e) => e instanceof web.MigoError && e.kind === "config" && e.field === "init", String(call));
  }
  // As a test's beforeEach does: construct first, call later; no init() anywhere.
  const client = new web.MigoClient({ accessToken: "t", environment: "sandbox" });
  const badOption = new web.MigoClient({ accessToken: "t", baseUrl: "http://example.com" });
  const freed = new web.MigoClient({ accessToken: "t" });
  freed.free();
  assert.throws(() => client.baseUrl, (e) => e instanceof web.MigoError && e.field === "init");
  const e = await client.issueCard("").catch((err) => err);
  assert.deepEqual([e instanceof web.MigoError, e.kind, e.field], [true, "validation", "userId"]);
  assert.equal(client.baseUrl, "https://ali-qa.ali.app/rest");
  // A bad option, read at construction, rejects each call once the module is there.
  for (let i = 0; i < 2; i++) {
    const bad = await badOption.issueCard("1001").catch((err) => err);
    assert.deepEqual([bad instanceof web.MigoError, bad.kind, bad.field], [true, "config", "baseUrl"]);
  }
  const gone = await freed.issueCard("1001").catch((err) => err);
  assert.deepEqual([gone instanceof web.MigoError, gone.field], [true, "this"]);
});

test("after init (the inlined module, no file), the browser build works and its errors are MigoErrors", async () => {
  await Promise.all([web.default(), web.default()]);
  assert.equal(web.isValidCardNumber("4111 1111 1111 1111"), true);
  const client = new web.MigoClient({ accessToken: "t", environment: "sandbox" });
  assert.ok(client instanceof web.MigoClient);
  assert.equal(client.baseUrl, "https://ali-qa.ali.app/rest");
  const e = await client.issueCard("").catch((err) => err);
  assert.ok(e instanceof web.MigoError);
  assert.deepEqual([e.kind, e.field], ["validation", "userId"]);
  const { issueCard } = client;
  const detached = await issueCard("1001").catch((err) => err);
  assert.deepEqual([detached instanceof web.MigoError, detached.field], [true, "this"]);
  assert.throws(() => new web.MigoClient({ accessToken: "t", baseUrl: "http://example.com" }), (err) => err instanceof web.MigoError && err.field === "baseUrl");
});
