// Preloaded (--import) by tests/js/jitless.test.mjs into `node --jitless`,
// where Node 20 has no WebAssembly. Its undici (fetch, Request, Response,
// Headers) compiles its HTTP parser to WebAssembly when first touched, and
// that rejection, unhandled inside Node, would end the process: it is
// ignored here, and `fetch` is one over node:http that answers undici's
// Response (pure JavaScript), so the suites run as they do with WebAssembly.
import http from "node:http";
import { Readable } from "node:stream";

// Loaded now, while this is the only listener, so that the test runner never sees that rejection.
const ignore = (reason) => {
  if (!(reason instanceof ReferenceError && /WebAssembly is not defined/.test(reason.message))) throw reason;
};
process.on("unhandledRejection", ignore);
void globalThis.Response;
await new Promise((resolve) => setTimeout(resolve, 20));
process.off("unhandledRejection", ignore);

const NULL_BODY = [101, 103, 204, 205, 304];

globalThis.fetch = async function fetch(input, init) {
  const request = new Request(input, init);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const { signal } = request;
  if (signal.aborted) throw signal.reason;
  return new Promise((resolve, reject) => {
    const req = http.request(request.url, { method: request.method, headers: Object.fromEntries(request.headers) }, (res) => {
      const location = res.headers.location;
      if (request.redirect === "follow" && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        const next = fetch(new URL(location, request.url), { method: request.method, headers: request.headers, body, signal });
        return resolve(next.then((answer) => Object.defineProperty(answer, "redirected", { value: true })));
      }
      const headers = new Headers();
      for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i], res.rawHeaders[i + 1]);
      const stream = NULL_BODY.includes(res.statusCode) || request.method === "HEAD" ? null : Readable.toWeb(res);
      resolve(new Response(stream, { status: res.statusCode, statusText: res.statusMessage, headers }));
    });
    const onAbort = () => req.destroy(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => reject(signal.aborted ? signal.reason : Object.assign(new TypeError("fetch failed"), { cause: e })));
    req.end(body);
  });
};
