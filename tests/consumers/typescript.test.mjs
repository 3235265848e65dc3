// The package's declarations as TypeScript consumers compile them: the
// tarball of pkg/ installed into a fresh project with TypeScript 7 and 5.9,
// @types/node and @arethetypeswrong/cli, and the consumers of fixture/ts/
// (an ES-module project, a CommonJS project written with `import` and with
// `import x = require()`, and one program doing both) compiled under every
// module/moduleResolution pair a project uses (node16, nodenext, bundler
// with module esnext and preserve, node10), as a Node project (lib es2022
// and @types/node, no DOM) or a browser one (DOM lib), with and without
// skipLibCheck, each with both compilers (node10 only with 5.9: TypeScript
// 7 removed it, and the test checks that it says so). Each consumer also
// holds misuses that must be errors, so an `any` cannot pass.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createProject, installedVersions, run } from "./lib.mjs";

const DEPS = ["typescript@^7", "typescript-5.9@npm:typescript@~5.9.0", "@types/node@^20", "@arethetypeswrong/cli@^0.18"];
const COMPILERS = { "TypeScript 7": "typescript", "TypeScript 5.9": "typescript-5.9" };

const NODE = { lib: ["es2022"], types: ["node"] };
const DOM = { lib: ["es2022", "dom"], types: [] };
const ESM = ["esm/app.ts"];
const CJS = ["cjs/app.ts", "cjs/require.ts"];
const MIXED = ["mixed/esm.mts", "mixed/cjs.cts"];

// [name, compilerOptions, files, the declaration file `migo-cards` resolves to]
const SETUPS = [
  ["nodenext, ES-module project, Node", { module: "nodenext", moduleResolution: "nodenext", ...NODE }, ESM, "index.d.ts"],
  ["nodenext, CommonJS project, Node", { module: "nodenext", moduleResolution: "nodenext", ...NODE }, CJS, "index.d.cts"],
  ["nodenext, one program importing and requiring, Node", { module: "nodenext", moduleResolution: "nodenext", ...NODE }, MIXED, "index.d.cts"],
  ["node16, ES-module project, Node", { module: "node16", moduleResolution: "node16", ...NODE }, ESM, "index.d.ts"],
  ["node16, CommonJS project, Node", { module: "node16", moduleResolution: "node16", ...NODE }, CJS, "index.d.cts"],
  ["node16, ES-module project, DOM", { module: "node16", moduleResolution: "node16", ...DOM }, ESM, "index.d.ts"],
  ["bundler (module esnext), DOM", { module: "esnext", moduleResolution: "bundler", ...DOM }, ESM, "index.d.ts"],
  ["bundler (module preserve), DOM", { module: "preserve", moduleResolution: "bundler", ...DOM }, ESM, "index.d.ts"],
  ["node10 (module commonjs, esModuleInterop), DOM", { module: "commonjs", moduleResolution: "node10", esModuleInterop: true, ...DOM }, CJS, "index.d.ts"],
];

describe("TypeScript consumers of migo-cards", { timeout: 600_000 }, () => {
  let project;

  before(async () => {
    project = await createProject("typescript", { deps: DEPS, copy: [["ts", "."]] });
    console.log(
      `consumer project ${project.dir}: ${project.info.filename}, ${JSON.stringify(await installedVersions(project.dir, ["typescript", "typescript-5.9", "@arethetypeswrong/cli"]))}`,
    );
  });
  after(() => project?.cleanup());

  /** Runs one compiler on one setup; resolves to { code, output }. */
  async function compile(compiler, name, options, files) {
    const config = path.join(project.dir, `tsconfig.${name.replace(/\W+/g, "-")}.${compiler}.json`);
    const compilerOptions = { strict: true, noEmit: true, ...options };
    await writeFile(config, JSON.stringify({ compilerOptions, files }, null, 2));
    const tsc = path.join(project.dir, "node_modules", compiler, "bin", "tsc");
    const outcome = await run(process.execPath, [tsc, "-p", config, "--pretty", "false", "--listFiles"], { cwd: project.dir }).catch((e) => e);
    return outcome instanceof Error ? { code: 1, output: outcome.message } : { code: 0, output: `${outcome.stdout}${outcome.stderr}` };
  }

  for (const [label, compiler] of Object.entries(COMPILERS)) {
    for (const [name, options, files, entry] of SETUPS) {
      for (const skipLibCheck of [false, true]) {
        const title = `${label}: ${name}, skipLibCheck ${skipLibCheck}`;
        if (options.moduleResolution === "node10" && label === "TypeScript 7") {
          test(`${title}: TypeScript 7 refuses node10 resolution itself`, async () => {
            const { code, output } = await compile(compiler, name, { ...options, skipLibCheck }, files);
            assert.notEqual(code, 0);
            assert.match(output, /moduleResolution=node10' has been removed/);
          });
          continue;
        }
        test(title, async () => {
          const { code, output } = await compile(compiler, name, { ...options, skipLibCheck }, files);
          assert.equal(code, 0, output);
          const read = output.split("\n").filter((l) => l.includes("node_modules/migo-cards/"));
          assert.ok(
            read.some((l) => l.endsWith(`/migo-cards/${entry}`)),
            `the package's types came from ${entry}: ${read.join(", ")}`,
          );
          // Declarations are read once, as CommonJS: the browser build's
          // ES-module glue types never enter a program.
          assert.ok(!read.some((l) => l.endsWith("/web/migo_cards.d.ts")), read.join(", "));
        });
      }
    }
  }

  test("@arethetypeswrong/cli finds no problem in the tarball (migo-cards and migo-cards/testing)", async () => {
    const attw = path.join(project.dir, "node_modules/@arethetypeswrong/cli/dist/index.js");
    const { stdout } = await run(process.execPath, [attw, project.tarball, "--format", "json"], { cwd: project.dir });
    // It exits non-zero on any problem; the report says so too.
    const report = JSON.parse(stdout);
    assert.deepEqual(report.problems, {}, stdout);
    assert.deepEqual(report.analysis.problems, [], stdout);
    assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), [".", "./package.json", "./testing"]);
    for (const entry of [".", "./testing"]) {
      const resolutions = report.analysis.entrypoints[entry].resolutions;
      assert.deepEqual(Object.keys(resolutions).sort(), ["bundler", "node10", "node16-cjs", "node16-esm"]);
      for (const [kind, r] of Object.entries(resolutions)) assert.ok(r.resolution?.isTypeScript, `${entry}, ${kind}: resolves to declarations`);
    }
  });
});
