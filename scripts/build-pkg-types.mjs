#!/usr/bin/env node
// The last step of scripts/build-pkg.sh: every `require` of the package must
// read CommonJS-format declarations. In this "type": "module" package a .d.ts
// is ES-module format, which TypeScript (node16/nodenext) refuses to
// `require` and attw reports as "masquerading as ESM". For each subpath whose
// `types` serve both `require` (a .cjs) and `import`, the .d.ts is copied to
// a .d.cts and the entry split per condition. Only a self-contained .d.ts
// (no relative import) can be copied as is; anything else fails the build.
import { readFileSync, writeFileSync, copyFileSync } from "node:fs";
import path from "node:path";

const out = path.resolve(process.argv[2] ?? "");
const manifestFile = path.join(out, "package.json");
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));

for (const [subpath, entry] of Object.entries(manifest.exports)) {
  if (typeof entry !== "object" || typeof entry.types !== "string" || typeof entry.require !== "string") continue;
  const dts = entry.types;
  if (!dts.endsWith(".d.ts") || !entry.require.endsWith(".cjs")) continue;
  const source = readFileSync(path.join(out, dts), "utf8");
  if (/\bfrom\s+["']\.{1,2}\//.test(source) || /import\(["']\.{1,2}\//.test(source)) {
    console.error(`build-pkg-types: ${dts} imports a relative file; give ${subpath} its own .d.cts`);
    process.exit(1);
  }
  const dcts = dts.replace(/\.d\.ts$/, ".d.cts");
  copyFileSync(path.join(out, dts), path.join(out, dcts));
  // The conditions keep their order (those before `require`, as "workerd"
  // and "react-native", still win over it); `default` stays last.
  const split = {};
  for (const [condition, target] of Object.entries(entry)) {
    if (condition === "types" || condition === "import" || condition === "default") continue;
    split[condition] = condition === "require" ? { types: dcts, default: target } : target;
  }
  split.default = { types: entry.types, default: entry.default ?? entry.import };
  manifest.exports[subpath] = split;
  manifest.files.push(dcts.replace(/^\.\//, ""));
  console.log(`build-pkg-types: ${subpath} gets ${dcts} for require`);
}
writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
