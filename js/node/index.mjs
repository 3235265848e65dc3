// Node entry (ES module). It re-exports the CommonJS build so that `import`
// and `require` in one process share one module instance and one MigoError
// class. Named imports only: with a CommonJS file that sets __esModule, Bun
// hands a default import its `default` (init), Node its whole exports.
import { createRequire } from "node:module";
import { init, MigoClient, MigoError, activationUrl, isValidCardNumber } from "./index.cjs";

// Without WebAssembly (`node --jitless`) the JavaScript build is required here,
// synchronously, so that the module is ready on import as it is with WebAssembly.
if (typeof WebAssembly === "undefined") init[Symbol.for("migo-cards.startJs")](() => createRequire(import.meta.url)("./core.cjs"));

export { init as default, init, MigoClient, MigoError, activationUrl, isValidCardNumber };
