// A local gateway (migo-mock) for one test file, and its admin API.
// Each test file gets its own gateway on a free port, so files can run in
// parallel and two runs never collide. The gateway exits when this process
// does (--lifeline) and after an hour in any case.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TOKEN = "migo-test-token";
export const EXPIRED_TOKEN = "migo-expired-token";

export function startGateway(flags = [], { lifetime = 3600 } = {}) {
  const bin = process.env.MIGO_MOCK_BIN ?? path.join(root, "target", "debug", "migo-mock");
  const child = spawn(bin, ["--port", "0", "--lifeline", "--max-lifetime", String(lifetime), ...flags], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`migo-mock exited early (${code})`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (!m) return reject(new Error(`unexpected first line from migo-mock: ${line}`));
      child.removeAllListeners("exit");
      resolve(new Gateway(m[1], child));
    });
  });
}

export class Gateway {
  constructor(url, child) {
    this.url = url;
    this.api = `${url}/rest`;
    this.child = child;
  }
  async admin(method, p, body) {
    const res = await fetch(`${this.url}/__mock${p}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`admin ${method} ${p}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  reset() { return this.admin("POST", "/reset"); }
  state() { return this.admin("GET", "/state"); }
  fault(spec) { return this.admin("POST", "/faults", spec); }
  clearFaults() { return this.admin("DELETE", "/faults"); }
  envelope(kind) { return this.admin("POST", "/config", { envelope: kind }); }
  async viewToken(cardId) { return (await this.admin("POST", "/view-tokens", { cardId })).token; }
  async requests() { return (await this.state()).requests; }
  stop() {
    this.child.stdin.end();
    return new Promise((r) => (this.child.exitCode !== null ? r() : this.child.once("exit", r)));
  }
}
