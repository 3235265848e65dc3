// Size: what a page downloads, for both drivers. Each release build's
// browser files as built — every file web/index.js loads, found by esbuild's
// metafile (web/index.js itself and web/wasm.js, the inlined module), each
// compressed on its own as a server would — and the plain-JS client bundled
// and minified by esbuild.
import { readFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { build } from "esbuild";

const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) =>
  zlib.brotliCompressSync(b, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length },
  }).length;

function measure(files) {
  const rows = files.map(([name, buf]) => ({ file: name, raw: buf.length, gzip: gzip(buf), brotli: brotli(buf) }));
  const total = { file: "total", raw: 0, gzip: 0, brotli: 0 };
  for (const r of rows) for (const k of ["raw", "gzip", "brotli"]) total[k] += r[k];
  return { files: rows, total };
}

/** Bundles `entry`; with `write` false only lists what it loads (metafile). */
async function bundle(entry, outfile, write = true) {
  const r = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2020",
    platform: "browser",
    logLevel: "error",
    metafile: true,
    write,
  });
  return { js: write ? readFileSync(outfile) : undefined, inputs: staticInputs(r.metafile.inputs) };
}

/**
 * The inputs the entry loads through static imports: a dynamic `import()`
 * (web/index.js's JavaScript build, fetched only where WebAssembly is
 * missing) is not part of what a page loads.
 */
function staticInputs(inputs) {
  const dynamic = new Set();
  for (const input of Object.values(inputs)) {
    for (const i of input.imports ?? []) if (i.kind === "dynamic-import") dynamic.add(i.path);
  }
  const staticToo = new Set();
  for (const input of Object.values(inputs)) {
    for (const i of input.imports ?? []) if (i.kind !== "dynamic-import") staticToo.add(i.path);
  }
  return Object.keys(inputs).filter((f) => !dynamic.has(f) || staticToo.has(f));
}

/** The bare module inside a web/wasm.js (deflate-raw, base64). */
function bareWasm(file) {
  const inlined = /"([A-Za-z0-9+/=]+)"/.exec(readFileSync(file, "utf8"))?.[1];
  return inlined === undefined ? undefined : zlib.inflateRawSync(Buffer.from(inlined, "base64"));
}

/** One release build's browser files, as loaded. */
async function sizesOf(pkgDir, dist, name) {
  const { inputs } = await bundle(path.join(pkgDir, "web/index.js"), path.join(dist, `${name}.list.js`), false);
  const files = inputs.map((f) => path.relative(pkgDir, path.resolve(f))).sort();
  const asLoaded = measure(files.map((f) => [f, readFileSync(path.join(pkgDir, f))]));
  const wasm = files.includes("web/wasm.js") ? bareWasm(path.join(pkgDir, "web/wasm.js")) : undefined;
  return { asLoaded, bareWasm: wasm && { raw: wasm.length, gzip: gzip(wasm), brotli: brotli(wasm) } };
}

/** `benchDir`: bench/, with the release builds of both drivers in it. */
export async function measureSizes(benchDir) {
  const dist = path.join(benchDir, "dist");
  mkdirSync(dist, { recursive: true });
  const sdk = await sizesOf(path.join(benchDir, "pkg-release"), dist, "sdk");
  const rust = await sizesOf(path.join(benchDir, "pkg-rust-release"), dist, "rust");
  const { js: plainJs } = await bundle(path.join(benchDir, "plain/client.js"), path.join(dist, "plain.min.js"));
  const plain = measure([["plain.min.js (esbuild: bench/plain/client.js)", plainJs]]);
  const plainSource = measure([["bench/plain/client.js", readFileSync(path.join(benchDir, "plain/client.js"))]]);
  return { sdk, rust, plain, plainSource };
}

/**
 * A Rust symbol as a path (`migo_cards::engine::json::string`), enough to group
 * by crate and module: wasm-bindgen demangled the names it kept, wasm-opt -g
 * keeps them as rustc wrote them. Legacy symbols (`_ZN` length-prefixed
 * parts `E`) are read whole; v0 ones (`_R...`) by their identifiers after the
 * crate's hash, which loses generic arguments only. Other names pass as they are.
 */
export function demangle(name) {
  if (!name) return name;
  const parts = (text) => {
    const out = [];
    for (const m of text.matchAll(/(\d+)/g)) {
      if (m.index < (out.end ?? 0)) continue;
      const n = Number(m[1]);
      const start = m.index + m[1].length;
      const id = text.slice(start, start + n);
      if (id.length === n && /^[A-Za-z_$.<]/.test(id)) (out.push(id), (out.end = start + n));
    }
    return out;
  };
  if (/^_ZN.*E$/.test(name)) {
    const ids = parts(name.slice(3, -1)).map((p) =>
      p.replace(/^_(?=\$)/, "").replace(/\$LT\$/g, "<").replace(/\$GT\$/g, ">").replace(/\$u20\$/g, " ").replace(/\$C\$/g, ",")
        .replace(/\$RF\$/g, "&").replace(/\$BP\$/g, "*").replace(/\$u7b\$/g, "{").replace(/\$u7d\$/g, "}").replace(/\.\./g, "::"));
    return ids.join("::");
  }
  if (/^_R/.test(name)) {
    const crate = /Cs[0-9A-Za-z]*_(\d+[A-Za-z_][A-Za-z0-9_]*.*)$/.exec(name);
    return crate ? parts(crate[1]).join("::") : name;
  }
  return name;
}

/**
 * Where the .wasm's bytes go: the code of each function, grouped by crate
 * (module path), read from a build that kept its name section
 * (bench/dist/names, the bench variant: same code plus the bench exports).
 */
export function wasmBreakdown(file) {
  const b = readFileSync(file);
  let pos = 8;
  const u32 = () => {
    let r = 0, shift = 0, byte;
    do {
      byte = b[pos++];
      r |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return r >>> 0;
  };
  const str = () => {
    const n = u32();
    const s = b.toString("utf8", pos, pos + n);
    pos += n;
    return s;
  };
  const limits = () => {
    const flags = b[pos++];
    u32();
    if (flags & 1) u32();
  };
  const sections = {};
  let importedFuncs = 0;
  const bodies = [];
  const names = new Map();
  while (pos < b.length) {
    const id = b[pos++];
    const size = u32();
    const end = pos + size;
    if (id === 0) {
      const name = str();
      sections[`custom:${name}`] = size;
      if (name === "name") {
        while (pos < end) {
          const sub = b[pos++];
          const len = u32();
          const subEnd = pos + len;
          if (sub === 1) {
            for (let n = u32(); n > 0; n--) {
              const idx = u32();
              names.set(idx, str());
            }
          }
          pos = subEnd;
        }
      }
    } else {
      sections[["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"][id] ?? id] = size;
      if (id === 2) {
        for (let n = u32(); n > 0; n--) {
          str();
          str();
          const kind = b[pos++];
          if (kind === 0) (u32(), importedFuncs++);
          else if (kind === 1) (pos++, limits());
          else if (kind === 2) limits();
          else if (kind === 3) pos += 2;
          else if (kind === 4) (pos++, u32());
        }
      } else if (id === 10) {
        const count = u32();
        for (let i = 0; i < count; i++) {
          const len = u32();
          bodies.push({ index: importedFuncs + i, size: len });
          pos += len;
        }
      }
    }
    pos = end;
  }
  const group = (name) => {
    if (!name) return "(unnamed)";
    if (/^bench[A-Z_]|^<?migo_cards_bench::|^migo_cards_(alloc|dealloc|realloc)$/.test(name)) return "bench exports";
    if (/shim|^__wbg|^__wbindgen|^__externref|^migoclient_|^core_[A-Za-z_]+$|^[a-z][A-Za-z_]+$/.test(name) && !name.includes("::")) return "exports (and wasm-bindgen's shims, Rust driver)";
    // `<X as Y>::f`: X's crate, or Y's when X is a primitive or a type parameter.
    const impl = /^<(?:&(?:mut )?)?(?:dyn )?([^ ]+?)(?:<[^ ]*)? as ([^ >]+)/.exec(name);
    let path = name.replace(/^<(?:&(?:mut )?)?(?:dyn )?/, "");
    if (impl && !impl[1].includes("::")) path = impl[2];
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:::([A-Za-z_][A-Za-z0-9_]*))?(?:::([A-Za-z_][A-Za-z0-9_]*))?/.exec(path);
    if (!m) return "(other)";
    if (m[1] === "migo_cards") return [m[1], m[2], m[2] === "core" ? m[3] : undefined].filter(Boolean).join("::");
    if (/^__(rustc|multi3|rust_)/.test(m[1])) return "compiler builtins";
    return m[2] || !/^[a-z]/.test(m[1]) ? m[1] : "core";
  };
  const groups = {};
  const fns = [];
  for (const { index, size } of bodies) {
    const name = demangle(names.get(index))?.replace(/::h[0-9a-f]{16}$/, "").replace(/\[[0-9a-f]{16}\]/g, "");
    const g = group(name);
    groups[g] = (groups[g] ?? 0) + size;
    fns.push([name ?? `func ${index}`, size]);
  }
  return {
    file: path.basename(path.dirname(path.dirname(file))) + "/" + path.basename(path.dirname(file)) + "/" + path.basename(file),
    bytes: b.length,
    sections,
    functions: bodies.length,
    codeByGroup: Object.entries(groups).sort((x, y) => y[1] - x[1]),
    largestFunctions: fns.sort((x, y) => y[1] - x[1]).slice(0, 15),
  };
}
