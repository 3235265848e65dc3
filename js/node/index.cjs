// Node entry (CommonJS). The .wasm is read and compiled synchronously when
// this file is required, so no init call is needed.
"use strict";
const glue = require("./migo_cards.js");
const api = require("../api.cjs");

api.bind(glue);

/** A no-op in Node: the module is ready once imported. */
async function init() {}

module.exports = {
  __esModule: true,
  default: init,
  init,
  MigoClient: api.MigoClient,
  MigoError: api.MigoError,
  activationUrl: api.activationUrl,
  isValidCardNumber: api.isValidCardNumber,
};
