/**
 * Bundles the deploy gate's program (deploy-gate-program.ts) and the verify library it imports, the
 * Sigstore code of its transparency log check included, into a few CommonJS files that ConfigMaps
 * ship and a stock, digest-pinned Node.js image runs: no image for the user to build, and no second
 * verifier to disagree with `slsa-for-models verify`.
 *
 * The bundle is made from the compiled JavaScript under `lib/src/` (what `npm run synth` runs): each
 * module a function in a table keyed by its path, every `require("...")` resolved at bundle time as
 * Node would resolve it from that file (relative paths and packages in node_modules, JSON included),
 * Node's built-ins passed through, and `yaml` (PipelineRuns given as YAML; the gate fetches JSON) and
 * `hash-wasm` (blake3, 280 KB; OMS signatures the gate checks are sha256) replaced by a module that refuses. Nothing is minified: what runs in the cluster reads as `lib/` does.
 *
 * The table is about 440 KB, more than one ConfigMap can carry through `kubectl apply` (see
 * {@link MAX_PART_BYTES}), so it is cut into parts: modules sorted by path, packed in that order, each
 * part its own ConfigMap. The first part, `deploy-gate.js`, is the entry: it holds the loader and the
 * sha256 of every other part, and refuses to run a part whose bytes differ; the step checks the
 * entry's sha256 before running it, so the one digest in the Task pins every part. The same sources
 * give the same bytes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';

/**
 * The largest part, counted as the JSON string it becomes in the ConfigMap: `kubectl apply`
 * (client-side) copies the whole ConfigMap into its `last-applied-configuration` annotation, and all
 * annotations of an object may hold at most 256 KiB; 200 KiB leaves room for the rest of the object.
 */
export const MAX_PART_BYTES = 200 * 1024;

/** The file name of the entry part; the others are `deploy-gate-2.js`, `deploy-gate-3.js`, ... */
export const ENTRY_FILE = 'deploy-gate.js';

/** Modules the gate never needs, replaced by one that throws when loaded. */
const REFUSED_MODULES: Record<string, string> = {
  yaml: 'the deploy gate reads PipelineRuns as JSON only (yaml is not bundled)',
  'hash-wasm': 'the deploy gate hashes with sha256 only (a directory model: its OMS root digest); blake3 (hash-wasm) is not bundled',
};

const BUILTIN_MODULES = new Set(builtinModules);

/** One file of the bundle. */
export interface DeployGateBundleFile {
  /** Its file name (also its ConfigMap key). */
  readonly name: string;
  /** The JavaScript text. */
  readonly text: string;
  /** Its sha256 in hex. */
  readonly sha256: string;
}

/** The bundled deploy gate. */
export interface DeployGateBundle {
  /** The files: the entry (`deploy-gate.js`) first, then the parts it loads. */
  readonly files: readonly DeployGateBundleFile[];
  /** The entry's sha256 in hex: it pins every other part. */
  readonly sha256: string;
}

let cached: DeployGateBundle | undefined;

function fileOf(name: string, text: string): DeployGateBundleFile {
  return { name, text, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The size a text takes in a ConfigMap's JSON (its last-applied annotation). */
function encodedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** The bundle of `lib/src/models/deploy-gate-program.js` (built by `npm run build`). */
export function deployGateBundle(libRoot: string = path.join(PACKAGE_ROOT, 'lib')): DeployGateBundle {
  if (cached !== undefined && libRoot === path.join(PACKAGE_ROOT, 'lib')) return cached;
  const entry = path.join(libRoot, 'src', 'models', 'deploy-gate-program.js');
  if (!fs.existsSync(entry)) throw new Error(`deploy gate: ${entry} does not exist (run npm run build first)`);
  const modules = new Map<string, { code: string; requires: Record<string, string> }>();
  const visit = (file: string): string => {
    const id = path.relative(libRoot, file).split(path.sep).join('/');
    if (modules.has(id)) return id;
    const text = fs.readFileSync(file, 'utf8');
    const code = file.endsWith('.json')
      ? `module.exports = ${JSON.stringify(JSON.parse(text))};\n`
      : text.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
    const requires: Record<string, string> = {};
    modules.set(id, { code, requires });
    for (const match of code.matchAll(/\brequire\((["'])([^"']+)\1\)/g)) {
      const spec = match[2];
      if (spec.startsWith('node:') || BUILTIN_MODULES.has(spec)) continue;
      if (spec in REFUSED_MODULES) continue;
      let resolved: string;
      try {
        resolved = createRequire(file).resolve(spec);
      } catch {
        throw new Error(`deploy gate: ${id} requires "${spec}", which cannot be resolved from ${path.dirname(file)}`);
      }
      if (!path.isAbsolute(resolved)) throw new Error(`deploy gate: ${id} requires "${spec}", which is not a file the bundle can carry`);
      requires[spec] = visit(resolved);
    }
    return id;
  };
  const entryId = visit(entry);
  const entries = [...modules.keys()].sort().map((id) => {
    const { code, requires } = modules.get(id)!;
    const text = `${JSON.stringify(id)}: [${JSON.stringify(requires)}, function (exports, require, module) {\n${code}}]`;
    if (encodedBytes(text) > MAX_PART_BYTES - 4096)
      throw new Error(`deploy gate: module ${id} alone is ${encodedBytes(text)} bytes, more than one ConfigMap part can carry`);
    return text;
  });

  // the loader and its table of the other parts' digests take at most this much of the entry
  const ENTRY_RESERVE = 4096;
  const parts: string[][] = [[]];
  let used = ENTRY_RESERVE;
  for (const text of entries) {
    const size = encodedBytes(text) + 2;
    if (used + size > MAX_PART_BYTES) {
      parts.push([]);
      used = 64;
    }
    parts[parts.length - 1].push(text);
    used += size;
  }
  const others = parts
    .slice(1)
    .map((part, i) =>
      fileOf(
        `deploy-gate-${i + 2}.js`,
        [
          `// Part ${i + 2} of the slsa-for-models deploy gate (${ENTRY_FILE} loads it after checking its sha256); generated by src/models/deploy-gate-bundle.ts; do not edit.`,
          'module.exports = {',
          part.join(',\n'),
          '};',
          '',
        ].join('\n'),
      ),
    );
  const partDigests = Object.fromEntries(others.map((f) => [f.name, f.sha256]));
  const text = [
    '#!/usr/bin/env node',
    '// The slsa-for-models deploy gate: generated by src/models/deploy-gate-bundle.ts from the compiled sources; do not edit.',
    "'use strict';",
    `const refused = ${JSON.stringify(REFUSED_MODULES)};`,
    '// the other parts, each checked against its sha256 before it runs (the entry itself is checked by the step)',
    `const parts = ${JSON.stringify(partDigests)};`,
    'const modules = {',
    parts[0].join(',\n'),
    '};',
    'for (const [name, sha256] of Object.entries(parts)) {',
    "  const file = require('node:path').join(__dirname, name);",
    '  let bytes;',
    '  try {',
    "    bytes = require('node:fs').readFileSync(file);",
    '  } catch {',
    '    bytes = undefined;',
    '  }',
    "  if (bytes === undefined || require('node:crypto').createHash('sha256').update(bytes).digest('hex') !== sha256) {",
    "    process.stderr.write(`deploy-gate: ${process.argv[2] ?? 'start'} failed: ${file} is not the part this gate was made with (sha256 ${sha256}); kubectl apply -f dist/deploy again\\n`);",
    '    process.exit(1);',
    '  }',
    '  const part = { exports: {} };',
    "  require('node:vm').runInThisContext(`(function (module, exports) {${bytes.toString('utf8')}\\n})`, { filename: file })(part, part.exports);",
    '  Object.assign(modules, part.exports);',
    '}',
    'const loaded = {};',
    'function load(id) {',
    '  if (loaded[id]) return loaded[id].exports;',
    '  const module = (loaded[id] = { exports: {} });',
    '  const [requires, body] = modules[id];',
    '  body.call(module.exports, module.exports, spec => {',
    '    if (Object.prototype.hasOwnProperty.call(requires, spec)) return load(requires[spec]);',
    '    if (Object.prototype.hasOwnProperty.call(refused, spec)) throw new Error(refused[spec]);',
    '    return require(spec); // a Node.js built-in; anything else is not there, and fails',
    '  }, module);',
    '  return module.exports;',
    '}',
    `load(${JSON.stringify(entryId)}).runAsProcess();`,
    '',
  ].join('\n');
  const files = [fileOf(ENTRY_FILE, text), ...others];
  for (const file of files) {
    if (encodedBytes(file.text) > MAX_PART_BYTES)
      throw new Error(
        `deploy gate: ${file.name} is ${encodedBytes(file.text)} bytes, more than kubectl apply can carry in a ConfigMap's last-applied annotation (${MAX_PART_BYTES})`,
      );
  }
  const bundle: DeployGateBundle = { files, sha256: files[0].sha256 };
  if (libRoot === path.join(PACKAGE_ROOT, 'lib')) cached = bundle;
  return bundle;
}

/** Writes the bundle's files into `directory` (as the ConfigMaps mount them); returns the entry's path. */
export function writeDeployGateBundle(bundle: DeployGateBundle, directory: string): string {
  fs.mkdirSync(directory, { recursive: true });
  for (const file of bundle.files) fs.writeFileSync(path.join(directory, file.name), file.text);
  return path.join(directory, ENTRY_FILE);
}
