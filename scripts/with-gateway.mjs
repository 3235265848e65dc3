#!/usr/bin/env node
// Runs a command with a local gateway beside it:
//   node scripts/with-gateway.mjs [migo-mock flags] -- CMD ARGS...
// The gateway listens on a free 127.0.0.1 port whose URL is exported as
// MIGO_GATEWAY_URL (the API is under $MIGO_GATEWAY_URL/rest); it stops when
// CMD ends, or when this script dies.
import { spawn } from "node:child_process";
import { startGateway } from "../tests/js/gateway.mjs";

const argv = process.argv.slice(2);
const split = argv.indexOf("--");
if (split < 0 || split === argv.length - 1) {
  console.error("usage: with-gateway.mjs [migo-mock flags] -- command [args]");
  process.exit(2);
}
const [cmd, ...args] = argv.slice(split + 1);
const gateway = await startGateway(argv.slice(0, split));
const run = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, MIGO_GATEWAY_URL: gateway.url } });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => run.kill(sig));
run.on("exit", async (code, signal) => {
  await gateway.stop();
  process.exitCode = code ?? (signal ? 1 : 0);
});
