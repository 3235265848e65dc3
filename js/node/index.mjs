// Node entry (ES module). It loads the CommonJS build so that `import` and
// `require` in one process share one module instance and one MigoError class.
import cjs from "./index.cjs";

export const { MigoClient, MigoError, activationUrl, isValidCardNumber } = cjs;
export default cjs.default;
