// Preloaded into a server the tests start (`node --import ./lifeline.mjs
// server.js`): the process exits when its stdin closes, i.e. when the test
// process that holds the other end stops it or dies, so no server outlives
// a killed test run.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
