// The package's TypeScript declarations, as consumers compile them: every
// documented use type-checks (usage.ts), every misuse is rejected for the
// reason it names (misuse.ts), under bundler and nodenext resolution, from
// ESM and CommonJS, with an ES2022 lib, and nothing exported is `any`.
// "migo-cards" resolves like an installed package: the root node_modules
// link to pkg/ (made by build-pkg.sh) and pkg/package.json `exports`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const tsc = path.join(root, "node_modules", ".bin", "tsc");

/** Runs tsc; resolves to { code, output } whatever the exit code. */
function compile(args, cwd = here) {
  return new Promise((resolve, reject) => {
    execFile(tsc, [...args, "--noEmit", "--strict", "--pretty", "false"], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ code: error ? error.code : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

async function compiles(config) {
  const { code, output } = await compile(["-p", path.join(here, config)]);
  assert.equal(code, 0, `tsc -p ${config} failed:\n${output}`);
}

test("the package resolves to pkg/index.d.ts through its exports", async () => {
  const { code, output } = await compile(["-p", path.join(here, "tsconfig.json"), "--traceResolution"]);
  assert.equal(code, 0, output);
  assert.match(output, /Module name 'migo-cards' was successfully resolved to '[^']*\/pkg\/index\.d\.ts'/);
});

test("usage.ts and misuse.ts compile with --strict (moduleResolution bundler, lib esnext + dom)", () => compiles("tsconfig.json"));

test("usage.ts and misuse.ts compile with --strict (module nodenext)", () => compiles("tsconfig.nodenext.json"));

test("a CommonJS TypeScript consumer (.cts, `import x = require`) compiles", () => compiles("tsconfig.cjs.json"));

test("each misuse is rejected with the error its @ts-expect-error names", async () => {
  const source = await readFile(path.join(here, "misuse.ts"), "utf8");
  const lines = source.split("\n");
  const expected = new Map(); // line number (1-based) of the misuse -> TS code
  lines.forEach((line, i) => {
    const m = /^\s*\/\/ @ts-expect-error (TS\d+)\b/.exec(line);
    if (m) expected.set(i + 2, m[1]);
  });
  assert.ok(expected.size >= 40, `misuse.ts has ${expected.size} checked misuses`);
  assert.equal(expected.size, lines.filter((l) => /^\s*\/\/ @ts-expect-error/.test(l)).length, "every directive names its TS code");

  // The same file without the directives, in a project whose node_modules
  // links migo-cards to pkg/ exactly as the root one does.
  const dir = await mkdtemp(path.join(os.tmpdir(), "migo-types-"));
  try {
    await mkdir(path.join(dir, "node_modules"));
    await symlink(path.join(root, "pkg"), path.join(dir, "node_modules", "migo-cards"), "dir");
    await writeFile(path.join(dir, "package.json"), '{ "type": "module" }\n');
    await writeFile(path.join(dir, "misuse.ts"), lines.map((l) => (/^\s*\/\/ @ts-expect-error/.test(l) ? "" : l)).join("\n"));
    await writeFile(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: path.join(here, "tsconfig.json"), files: ["misuse.ts"] }),
    );
    const { code, output } = await compile(["-p", path.join(dir, "tsconfig.json")], dir);
    assert.notEqual(code, 0, "the misuses must not compile");
    const found = new Map(); // line -> set of codes
    for (const m of output.matchAll(/misuse\.ts\((\d+),\d+\): error (TS\d+)/g)) {
      const line = Number(m[1]);
      if (!found.has(line)) found.set(line, new Set());
      found.get(line).add(m[2]);
    }
    const wrong = [];
    for (const [line, codeName] of expected) {
      if (!found.get(line)?.has(codeName)) {
        wrong.push(`line ${line}: expected ${codeName}, got ${[...(found.get(line) ?? [])].join(", ") || "no error"}: ${lines[line - 1].trim()}`);
      }
    }
    for (const line of found.keys()) {
      if (!expected.has(line)) wrong.push(`line ${line}: an error where no misuse is expected: ${lines[line - 1].trim()}`);
    }
    assert.deepEqual(wrong, [], `\n${wrong.join("\n")}\n--- tsc\n${output}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the declarations compile for a consumer with lib ES2022 and skipLibCheck false", () => compiles("tsconfig.es2022.json"));

/** `src` without comments (the declarations have no `//` or `/*` in strings). */
const stripComments = (src) => src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

test("no `any` in the shipped declarations, which are js/index.d.ts once (index.d.cts) and its re-export (index.d.ts)", async () => {
  const files = ["index.d.ts", "index.d.cts"];
  const manifest = JSON.parse(await readFile(path.join(root, "pkg", "package.json"), "utf8"));
  assert.deepEqual(
    manifest.files.filter((f) => /\.d\.c?ts$/.test(f) && !f.startsWith("testing/")).sort(),
    [...files].sort(),
    "these are all the declaration files of the main entry",
  );
  assert.deepEqual(Object.keys(manifest.exports).sort(), [".", "./package.json", "./testing"], "no subpath exposes the raw glue");
  for (const file of files) {
    const src = stripComments(await readFile(path.join(root, "pkg", file), "utf8"));
    assert.deepEqual(src.split("\n").filter((l) => /\bany\b/.test(l)).map((l) => l.trim()), [], file);
  }
  assert.equal(await readFile(path.join(root, "pkg", "index.d.cts"), "utf8"), await readFile(path.join(root, "js", "index.d.ts"), "utf8"));
  const esm = stripComments(await readFile(path.join(root, "pkg", "index.d.ts"), "utf8")).trim().split("\n");
  assert.deepEqual(esm, ['export * from "./index.cjs";', 'export { init as default } from "./index.cjs";']);
});

test("no `any` in migo-cards/testing's declarations, exported as ./testing with its types", async () => {
  const testing = stripComments(await readFile(path.join(root, "pkg", "testing", "index.d.ts"), "utf8"));
  assert.deepEqual(testing.split("\n").filter((l) => /\bany\b/.test(l)), [], "pkg/testing/index.d.ts");
  const manifest = JSON.parse(await readFile(path.join(root, "pkg", "package.json"), "utf8"));
  // require reads a CommonJS-format copy of the declarations (scripts/build-pkg-types.mjs).
  // Workers and edge runtimes import their own build (its .wasm compiled), with the same types.
  assert.deepEqual(manifest.exports["./testing"], {
    require: { types: "./testing/index.d.cts", default: "./testing/index.cjs" },
    workerd: { types: "./testing/index.d.ts", default: "./testing/edge.js" },
    "edge-light": { types: "./testing/index.d.ts", default: "./testing/edge.js" },
    // The JavaScript build, for engines without WebAssembly (scripts/build-pkg-testing.sh).
    "react-native": { types: "./testing/index.d.ts", default: "./testing/core.js" },
    node: { types: "./testing/index.d.ts", default: "./testing/node.mjs" },
    default: { types: "./testing/index.d.ts", default: "./testing/index.js" },
  });
  assert.equal(await readFile(path.join(root, "pkg", "testing", "index.d.cts"), "utf8"), await readFile(path.join(root, "pkg", "testing", "index.d.ts"), "utf8"));
});
