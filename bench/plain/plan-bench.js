// The JavaScript side of the "CPU cost without the network" benchmark: the
// plain client's own validation and request building (collect + build, then
// the URL and the header list), looped like `benchPlan` in src/wasm/bench.rs
// and folded into the same checksum, so both sides provably did the same work.
import { ENDPOINTS, build, collect, input, makeConfig } from "./client.js";

const FIELDS = ["userId", "authUserId", "cardId", "clientId", "card", "alias", "viewToken", "month", "year"];
const config = makeConfig({ baseUrl: "http://127.0.0.1:3010/rest" });
const TOKEN = "migo-test-token";

function reader(v, id) {
  // What the plain client's methods hand `collect`: a fresh reading per argument.
  return (p) => {
    switch (FIELDS[p]) {
      case "userId": case "authUserId": return input(v.userId);
      case "cardId": return input(id);
      case "alias": return input(v.alias);
      case "card": return input(v.card);
      case "clientId": return input(v.clientId);
      case "viewToken": return input(v.viewToken);
      case "month": return input(3);
      default: return input(2026);
    }
  };
}

export function jsPlan(name, n, v) {
  const ep = ENDPOINTS[name];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const args = collect(ep, config, reader(v, v.cardId + (i & 1023)));
    const req = build(ep, args, config.baseUrl, TOKEN, config.applicationId);
    const url = req.url;
    const headers = Object.entries(req.headers);
    sum = (Math.imul(sum, 31) + url.length + url.charCodeAt(url.length - 1) + headers.length + (req.body ? req.body.length : 0)) >>> 0;
  }
  return sum;
}

export function jsPlanOnce(name, v) {
  const ep = ENDPOINTS[name];
  const req = build(ep, collect(ep, config, reader(v, v.cardId)), config.baseUrl, TOKEN, undefined);
  const headers = Object.entries(req.headers).map(([k, x]) => `${k}: ${x}`);
  return `${req.method} ${req.url}\n${headers.join("\n")}\n${req.body ?? ""}`;
}
