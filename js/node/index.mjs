// Node entry (ES module). It re-exports the CommonJS build so that `import`
// and `require` in one process share one module instance and one MigoError
// class. Named imports only: with a CommonJS file that sets __esModule, Bun
// hands a default import its `default` (init), Node its whole exports.
import { init, MigoClient, MigoError, activationUrl, isValidCardNumber } from "./index.cjs";

export { init as default, init, MigoClient, MigoError, activationUrl, isValidCardNumber };
