/**
 * Bundles one of the project's compiled programs (an entry module under `lib/src/` that ends by
 * calling its `runAsProcess()`) and the modules it requires into CommonJS files that ConfigMaps ship,
 * so a stock, digest-pinned Node.js image can run the project's own code: the verifier the deploy
 * gate and the training task's input check run (verifier-bundle.ts). Each module
 * is a function in a table keyed by its path, every `require("...")` resolved at bundle time as Node
 * would resolve it from that file (relative paths and packages in node_modules, JSON included),
 * Node's built-ins passed through, and the `refused` modules replaced by one that throws when loaded.
 * Nothing is minified: what runs in the cluster reads as `lib/` does.
 *
 * A table larger than one ConfigMap can carry through `kubectl apply` (see {@link MAX_PART_BYTES}) is
 * cut into parts: modules sorted by path, packed in that order, each part its own file (and
 * ConfigMap). The first file is the entry: it holds the loader and the sha256 of every other part,
 * and refuses to run a part whose bytes differ; the step checks the entry's sha256 before running it,
 * so the one digest in the Task pins every part. The same sources give the same bytes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * The largest file, counted as the JSON string it becomes in the ConfigMap: `kubectl apply`
 * (client-side) copies the whole ConfigMap into its `last-applied-configuration` annotation, and all
 * annotations of an object may hold at most 256 KiB; 200 KiB leaves room for the rest of the object.
 */
export const MAX_PART_BYTES = 200 * 1024;

/** What the entry's loader and its table of the other parts' digests may take of the entry. */
const ENTRY_RESERVE = 4096;

const BUILTIN_MODULES = new Set(builtinModules);

/** One file of a bundle. */
export interface ProgramBundleFile {
  /** Its file name (also its ConfigMap key). */
  readonly name: string;
  /** The JavaScript text. */
  readonly text: string;
  /** Its sha256 in hex. */
  readonly sha256: string;
}

/** A bundled program. */
export interface ProgramBundle {
  /** The files: the entry first, then the parts it loads (none when the program fits one file). */
  readonly files: readonly ProgramBundleFile[];
  /** The entry's sha256 in hex: it pins every other part. */
  readonly sha256: string;
}

/** What to bundle. */
export interface ProgramBundleOptions {
  /** The compiled tree (`lib/`). */
  readonly libRoot: string;
  /** The entry module, relative to `libRoot`, e.g. `src/models/verifier-program.js`. */
  readonly entry: string;
  /** The entry file's name, e.g. `verifier.js`; the other parts are `verifier-2.js`, ... */
  readonly entryFile: string;
  /** Names the program in messages and the files' headers, e.g. `verifier`. */
  readonly what: string;
  /** The source file that makes the bundle, named in its header. */
  readonly madeBy: string;
  /** Module specifiers (as written in `require`) replaced by one that throws this message. */
  readonly refused: Readonly<Record<string, string>>;
  /** The command that puts the ConfigMaps back, named when a part's bytes differ, e.g. `kubectl apply -f dist`. */
  readonly reapply: string;
}

function fileOf(name: string, text: string): ProgramBundleFile {
  return { name, text, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The size a text takes in a ConfigMap's JSON (its last-applied annotation). */
function encodedBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** The modules `entry` reaches, as table entries sorted by path, and the entry's id. */
function collectModules(options: ProgramBundleOptions): { entryId: string; entries: string[] } {
  const { libRoot, what } = options;
  const entry = path.join(libRoot, ...options.entry.split('/'));
  if (!fs.existsSync(entry)) throw new Error(`${what}: ${entry} does not exist (run npm run build first)`);
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
      if (spec in options.refused) continue;
      let resolved: string;
      try {
        resolved = createRequire(file).resolve(spec);
      } catch {
        throw new Error(`${what}: ${id} requires "${spec}", which cannot be resolved from ${path.dirname(file)}`);
      }
      if (!path.isAbsolute(resolved)) throw new Error(`${what}: ${id} requires "${spec}", which is not a file the bundle can carry`);
      requires[spec] = visit(resolved);
    }
    return id;
  };
  const entryId = visit(entry);
  const entries = [...modules.keys()].sort().map((id) => {
    const { code, requires } = modules.get(id)!;
    const text = `${JSON.stringify(id)}: [${JSON.stringify(requires)}, function (exports, require, module) {\n${code}}]`;
    if (encodedBytes(text) > MAX_PART_BYTES - ENTRY_RESERVE)
      throw new Error(`${what}: module ${id} alone is ${encodedBytes(text)} bytes, more than one ConfigMap part can carry`);
    return text;
  });
  return { entryId, entries };
}

/** Packs table entries in order: the first part leaves room for the loader. */
function packParts(entries: readonly string[]): string[][] {
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
  return parts;
}

/** Bundles `entry` and what it requires (see the module comment). */
export function bundleProgram(options: ProgramBundleOptions): ProgramBundle {
  const { what, madeBy, entryFile } = options;
  const { entryId, entries } = collectModules(options);
  const parts = packParts(entries);
  const base = entryFile.replace(/\.js$/, '');
  const others = parts
    .slice(1)
    .map((part, i) =>
      fileOf(
        `${base}-${i + 2}.js`,
        [
          `// Part ${i + 2} of the slsa-for-models ${what} (${entryFile} loads it after checking its sha256); generated by ${madeBy}; do not edit.`,
          'module.exports = {',
          part.join(',\n'),
          '};',
          '',
        ].join('\n'),
      ),
    );
  const partDigests = Object.fromEntries(others.map((f) => [f.name, f.sha256]));
  const partLoader =
    others.length === 0
      ? []
      : [
          '// the other parts, each checked against its sha256 before it runs (the entry itself is checked by the step)',
          `const parts = ${JSON.stringify(partDigests)};`,
          'for (const [name, sha256] of Object.entries(parts)) {',
          "  const file = require('node:path').join(__dirname, name);",
          '  let bytes;',
          '  try {',
          "    bytes = require('node:fs').readFileSync(file);",
          '  } catch {',
          '    bytes = undefined;',
          '  }',
          "  if (bytes === undefined || require('node:crypto').createHash('sha256').update(bytes).digest('hex') !== sha256) {",
          `    process.stderr.write(\`${base}: \${process.argv[2] ?? 'start'} failed: \${file} is not the part this ${what} was made with (sha256 \${sha256}); ${options.reapply} again\\n\`);`,
          '    process.exit(1);',
          '  }',
          '  const part = { exports: {} };',
          "  require('node:vm').runInThisContext(`(function (module, exports) {${bytes.toString('utf8')}\\n})`, { filename: file })(part, part.exports);",
          '  Object.assign(modules, part.exports);',
          '}',
        ];
  const text = [
    '#!/usr/bin/env node',
    `// The slsa-for-models ${what}: generated by ${madeBy} from the compiled sources; do not edit.`,
    "'use strict';",
    `const refused = ${JSON.stringify(options.refused)};`,
    'const modules = {',
    parts[0].join(',\n'),
    '};',
    ...partLoader,
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
  const files = [fileOf(entryFile, text), ...others];
  for (const file of files) {
    if (encodedBytes(file.text) > MAX_PART_BYTES)
      throw new Error(
        `${what}: ${file.name} is ${encodedBytes(file.text)} bytes, more than kubectl apply can carry in a ConfigMap's last-applied annotation (${MAX_PART_BYTES})`,
      );
  }
  return { files, sha256: files[0].sha256 };
}

/** Writes the bundle's files into `directory` (as the ConfigMaps mount them); returns the entry's path. */
export function writeProgramBundle(bundle: ProgramBundle, directory: string): string {
  fs.mkdirSync(directory, { recursive: true });
  for (const file of bundle.files) fs.writeFileSync(path.join(directory, file.name), file.text);
  return path.join(directory, bundle.files[0].name);
}
