// Node entry (CommonJS). The .wasm is read and compiled synchronously when
// this file is required, so no init call is needed.
"use strict";
const wasm = require("./migo_cards.js");
const { MigoError, guardReceiver } = require("../error.cjs");

wasm.__setErrorClass(MigoError);
guardReceiver(wasm.MigoClient, ["toJSON", "toString"]);

/** A no-op in Node: the module is ready once imported. */
async function init() {}

module.exports = {
  __esModule: true,
  default: init,
  init,
  MigoClient: wasm.MigoClient,
  MigoError,
  activationUrl: wasm.activationUrl,
  isValidCardNumber: wasm.isValidCardNumber,
};
