// migo-cards/testing for `import` in Node: the ES module build, and where the
// engine has no WebAssembly (`node --jitless`) a synchronous loader of the
// gateway's JavaScript build (core.cjs), run at the first createTestGateway().
import { createRequire } from "node:module";
import { createTestGateway, operations, wire } from "./index.js";

if (typeof WebAssembly === "undefined") createTestGateway[Symbol.for("migo-cards.startJs")](() => createRequire(import.meta.url)("./core.cjs"));

export { createTestGateway, operations, wire };
