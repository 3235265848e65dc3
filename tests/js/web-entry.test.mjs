// The browser entry (pkg/web/index.js), exercised in Node: before `init()`
// every export says what to do with a MigoError; after it, everything works.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { root } from "./gateway.mjs";

const web = await import(path.join(root, "pkg", "web", "index.js"));

test("before init, every export throws a MigoError naming init", () => {
  const calls = [
    () => new web.MigoClient({ accessToken: "t" }),
    () => web.activationUrl({ userId: "1" }),
    () => web.isValidCardNumber("4111111111111111"),
  ];
  for (const call of calls) {
    assert.throws(call, (e) => e instanceof web.MigoError && e.kind === "config" && e.field === "init", String(call));
  }
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
