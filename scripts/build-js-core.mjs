#!/usr/bin/env node
// The JavaScript build of a wasm module, for engines without WebAssembly:
//   node scripts/build-js-core.mjs IN.wasm OUT.js OUT.cjs
// binaryen's wasm2js turns the module into plain JavaScript, once the
// features it cannot express are lowered away: bulk memory, sign extension
// and saturating float-to-int by binaryen's passes; functions returning two
// values (wasm-bindgen's strings) here, by returning the second value and
// leaving the first in a global; the externref table wasm-bindgen exports
// but the code never touches, by removing it. Both outputs export
// `instantiate(bindings)`, which returns what a WebAssembly instance's
// `exports` would be for the same wasm-bindgen bindings.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const [input, outEsm, outCjs] = process.argv.slice(2);
const fail = (why) => {
  console.error(`build-js-core: ${why}`);
  process.exit(1);
};
if (!input || !outEsm || !outCjs) fail("usage: build-js-core.mjs IN.wasm OUT.js OUT.cjs");

const FIRST = "__migo_first";
const stage = mkdtempSync(path.join(os.tmpdir(), "migo-js-core-"));
try {
  let wat = execFileSync(bin("wasm-dis"), [input], { encoding: "utf8", maxBuffer: 1 << 30 });

  const imports = new Set([...wat.matchAll(/^ \(import "([^"]+)" /gm)].map((m) => m[1]));
  if (imports.size !== 1) fail(`expected imports from one module (the bindings), got ${[...imports].join(", ")}`);
  const [importModule] = imports;

  // The externref table: exported for the bindings' start, never used by the code.
  let externrefs = false;
  const table = /^ \(table (\$\S+) \d+(?: \d+)? externref\)\n/m.exec(wat);
  if (table) {
    const name = table[1].replace(/[$]/g, "\\$&");
    const exported = new RegExp(`^ \\(export "__wbindgen_externrefs" \\(table ${name}\\)\\)\\n`, "m");
    if (!exported.test(wat)) fail("an externref table that is not wasm-bindgen's");
    wat = wat.replace(table[0], "").replace(exported, "");
    if (wat.includes(`table.get ${table[1]}`) || wat.includes(`table.set ${table[1]}`) || new RegExp(`\\(table\\.\\w+ ${name}\\b`).test(wat)) {
      fail("the code uses its externref table: wasm2js cannot express it");
    }
    externrefs = true;
  }

  // Two-value results: each exported function's second value is returned, its first kept in a global.
  const exportOf = new Map([...wat.matchAll(/^ \(export "([^"]+)" \(func (\$.+)\)\)$/gm)].map((m) => [m[2], m[1]]));
  const pairs = [];
  for (const m of wat.matchAll(/^ \(func (\$.+?) (?:\(param .*)?\(result i32 i32\)$/gm)) {
    const name = exportOf.get(m[1]);
    if (!name) fail(`${m[1]} returns two values and is not exported`);
    pairs.push(name);
  }
  if (pairs.length) {
    wat = wat.replaceAll("(result i32 i32)", "(result i32)");
    let out = "";
    let at = 0;
    for (let i; (i = wat.indexOf("(tuple.make 2", at)) >= 0; ) {
      out += wat.slice(at, i);
      let p = i + "(tuple.make 2".length;
      const operands = [];
      while (operands.length < 2) {
        while (/\s/.test(wat[p])) p++;
        const start = p;
        let depth = 0;
        do {
          if (wat[p] === "(") depth++;
          else if (wat[p] === ")") depth--;
          p++;
        } while (depth > 0);
        operands.push(wat.slice(start, p));
      }
      while (/\s/.test(wat[p])) p++;
      if (wat[p] !== ")") fail("a tuple of more than two values");
      out += `(block (result i32) (global.set $migo_first ${operands[0]}) ${operands[1]})`;
      at = p + 1;
    }
    wat = out + wat.slice(at);
    wat = wat.replace(
      /\)\s*$/,
      ` (global $migo_first (mut i32) (i32.const 0))\n (export "${FIRST}" (func $migo_first_get))\n (func $migo_first_get (result i32) (global.get $migo_first))\n)\n`,
    );
  }
  if (/\btuple\.|\(tuple |\(ref |\bref\.null\b| externref\b|\bfuncref\)\)/.test(wat.replace(/\(table \$\S+ \d+ \d+ funcref\)/g, ""))) {
    fail("the module still has a tuple or a reference value: wasm2js cannot express it");
  }
  const watFile = path.join(stage, "core.wat");
  const lowered = path.join(stage, "lowered.wasm");
  const asmFile = path.join(stage, "core.js");
  writeFileSync(watFile, wat);
  execFileSync(bin("wasm-opt"), [
    "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals",
    "--llvm-memory-copy-fill-lowering", "--signext-lowering", "--llvm-nontrapping-fptoint-lowering",
    "--strip-debug", "--strip-producers", watFile, "-o", lowered,
  ]);
  execFileSync(bin("wasm2js"), ["-Oz", lowered, "-o", asmFile]);
  let js = readFileSync(asmFile, "utf8");

  // wasm2js writes an ES module that imports the bindings and instantiates at
  // once; only its asmFunc(imports) is kept, for instantiate() below to call.
  js = js.replace(/^import \* as \S+ from '[^']+';\n/m, "");
  const tail = js.indexOf("\nvar retasmFunc = asmFunc(");
  if (tail < 0) fail("wasm2js's output has no `var retasmFunc = asmFunc(`");
  js = js.slice(0, tail) + "\n";
  // The bindings cache views of memory while its buffer is not detached (a
  // wasm memory's old buffer is, when it grows): wasm2js's copy is detached
  // likewise, or growing fails (an allocation failure) where nothing can.
  const start = /(\n\s*)var newBuffer = new ArrayBuffer/;
  const swap = /(\n\s*)buffer = newBuffer;/;
  if (!start.test(js) || !swap.test(js)) fail("wasm2js's memory growth has changed");
  js = js.replace(start, "$1if (!detachable(buffer)) return -1;$&").replace(swap, "$1detach(buffer);$&");

  const wrapper = `
/** Whether this engine can detach an ArrayBuffer (checked before memory grows, so a refusal changes nothing). */
function detachable(buffer) {
  return typeof buffer.transfer === "function" || typeof structuredClone === "function";
}

/** Detaches the memory buffer that growing replaced, as WebAssembly does. */
function detach(old) {
  if (typeof old.transfer === "function") old.transfer(0);
  else structuredClone(old, { transfer: [old] });
}

/** What a WebAssembly instance's exports would be, the module's imports being \`bindings\`. */
export function instantiate(bindings) {
  const raw = asmFunc({ ${JSON.stringify(importModule)}: bindings });
  const exports = { ...raw };
${pairs.map((name) => `  exports[${JSON.stringify(name)}] = (...args) => { const second = raw[${JSON.stringify(name)}](...args); return [raw.${FIRST}(), second]; };`).join("\n")}
${externrefs ? "  // The externref table the code never reads: its start only fills slots.\n  exports.__wbindgen_externrefs = { set() {}, get() {}, grow() { return 0; } };" : ""}
  return exports;
}
`;
  const banner = `// The JavaScript build of ${path.basename(input)} (binaryen's wasm2js, scripts/build-js-core.mjs), loaded only where WebAssembly is missing.`;
  const source = js + wrapper;
  for (const [file, format] of [[outEsm, "esm"], [outCjs, "cjs"]]) {
    const { code } = await transform(source, { format, minify: true, target: "es2020", legalComments: "none", banner });
    writeFileSync(file, code);
  }
  const size = readFileSync(outEsm).length;
  console.log(`js core of ${path.basename(input)}: ${path.basename(outEsm)} ${size} bytes (${pairs.length} two-value exports${externrefs ? ", externref table dropped" : ""})`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
