import * as fs from 'node:fs';
import * as path from 'node:path';
import { Document, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { FieldPathSegment } from './field-path';
import { renderPacText, settlePacText, withoutPacMarks } from './pac-placeholders';

/** One document read from a file, with what is needed to map a field path back to a line. */
export interface SourceDocument {
  /** The file, as named on the command line (joined with the path below a directory). */
  readonly file: string;
  /** The parsed YAML document. */
  readonly document: Document.Parsed;
  /** Line positions of the file. */
  readonly lines: LineCounter;
  /** The document as plain JSON (for a `kind: List`, one of its items). */
  readonly value: unknown;
  /** Where `value` sits in the YAML document: empty, or `['items', i]` for an item of a `kind: List`. */
  readonly prefix: readonly FieldPathSegment[];
}

/** A file or directory that cannot be read or parsed; the message is one line naming it. */
export class SourceError extends Error {
  /**
   * @param message the whole line, `FILE[:LINE]: REASON`
   * @param where the file and (when known) the line, and the reason without them, for a caller
   * that reports the file in a line format of its own
   */
  public constructor(
    message: string,
    public readonly where?: { readonly file: string; readonly line?: number; readonly reason: string },
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

/** A {@link SourceError} about `file` (at `line`, when known); a quoted PaC-rendered line reads with its unknown strings. */
function sourceError(file: string, line: number | undefined, given: string): SourceError {
  const reason = withoutPacMarks(given);
  return new SourceError(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`, { file, line, reason });
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

/** Hidden directories that are read all the same: `.tekton/`, where Pipelines-as-Code and Konflux keep a repository's pipelines. */
const READ_HIDDEN_DIRECTORIES: ReadonlySet<string> = new Set(['.tekton']);
/** Directories never read: installed packages. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules']);

/**
 * The files under `input`: itself if a file, else every *.yaml, *.yml and *.json below it, sorted.
 * Hidden files and directories (`.git`, `.github`, `.ko.yaml`) and `node_modules` are skipped;
 * `.tekton/` is read.
 */
export function listSourceFiles(input: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch (err) {
    throw new SourceError(`cannot read ${input}: ${describeError(err)}`);
  }
  if (!stat.isDirectory()) return [input];
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      throw new SourceError(`cannot read directory ${dir}: ${describeError(err)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const directory = e.isDirectory();
      if (e.name.startsWith('.') && !(directory && READ_HIDDEN_DIRECTORIES.has(e.name))) continue;
      if (directory && SKIPPED_DIRECTORIES.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (directory) walk(full);
      else if (EXTENSIONS.test(e.name)) out.push(full);
    }
  };
  walk(input);
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The YAML 1.1 booleans that Kubernetes tools (kubectl, sigs.k8s.io/yaml, go-yaml v2) read from
 * plain scalars besides true/false: y, yes, on, n, no, off in their capitalizations. Read the same
 * way here, so `value: yes` is the boolean the API server receives, not the string "yes".
 */
const KUBERNETES_BOOLEANS: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (text: string) => /^(?:[yY]|yes|Yes|YES|on|On|ON)$/.test(text),
};

/**
 * Reads the documents of one YAML (or JSON) file; empty documents are skipped, the items of a
 * `kind: List` are documents of their own. Throws a {@link SourceError} naming the file (and line)
 * for what the Kubernetes API would not take as manifests: a binary file, invalid YAML, a map key
 * that is itself a mapping or sequence, and (unless `skipNonMappings`, for files met in a
 * directory, where kustomize patches are lists) a document that is not a mapping.
 */
export function readSourceFile(file: string, options: { readonly skipNonMappings?: boolean } = {}): SourceDocument[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new SourceError(`cannot read ${file}: ${describeError(err)}`, { file, reason: `cannot read: ${describeError(err)}` });
  }
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error('NUL byte');
    text = UTF8.decode(bytes);
  } catch {
    throw sourceError(file, undefined, 'not a text file (binary or not UTF-8); check reads YAML and JSON manifests');
  }
  // a Pipelines-as-Code file is read as PaC renders it: its {{ placeholders }} become unknown strings
  const rendered = renderPacText(text);
  const pac = rendered !== text;
  text = rendered;
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    customTags: (tags) => [...tags, KUBERNETES_BOOLEANS],
  });
  if (!Array.isArray(documents)) return [];
  const out: SourceDocument[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const line = lines.linePos(error.pos[0]).line;
      const text = error.message.split('\n')[0];
      throw sourceError(file, line, `not valid YAML: ${text.charAt(0).toLowerCase()}${text.slice(1)}`);
    }
    if (document.contents === null || (isScalar(document.contents) && document.contents.value === null)) continue;
    if (!isMap(document.contents)) {
      if (options.skipNonMappings) continue;
      const what = isSeq(document.contents) ? 'a sequence' : 'a scalar';
      const line = lines.linePos(document.contents.range?.[0] ?? 0).line;
      throw sourceError(file, line, `not a Kubernetes manifest: the document is ${what}, not a mapping with apiVersion and kind`);
    }
    refuseCollectionKeys(file, text, document, lines);
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 }) as unknown;
    } catch (err) {
      // e.g. an alias bomb ("excessive alias count"), refused rather than expanded
      const message = (err as Error).message.split('\n')[0];
      throw sourceError(
        file,
        lines.linePos(document.contents.range?.[0] ?? 0).line,
        `not usable YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`,
      );
    }
    // the placeholders' unknown strings, each object remembering which strings held one
    if (pac) value = settlePacText(value);
    const list = value as { kind?: unknown; items?: unknown } | null;
    if (list && typeof list === 'object' && list.kind === 'List' && Array.isArray(list.items)) {
      // `kubectl get -o yaml` output: judge each item
      list.items.forEach((item, i) => out.push({ file, document, lines, value: item, prefix: ['items', i] }));
      continue;
    }
    out.push({ file, document, lines, value, prefix: [] });
  }
  return out;
}

/** Throws for a map key that is a mapping or sequence (`value: {{X}}`, a template left unfilled): Kubernetes refuses it. */
function refuseCollectionKeys(file: string, text: string, document: Document.Parsed, lines: LineCounter): void {
  const key = collectionKey(document.contents);
  if (!key) return;
  const [start, end] = key.range ?? [0, 0];
  const source = text.slice(start, end).split('\n')[0].trim().slice(0, 60);
  throw sourceError(
    file,
    lines.linePos(start).line,
    `not valid Kubernetes YAML: a map key is itself a ${isMap(key) ? 'mapping' : 'sequence'} (${source}); quote it if it is a placeholder such as {{X}}`,
  );
}

/** The first map key below `node` that is a mapping or sequence (a plain walk: yaml's `visit` costs a few percent of reading). */
function collectionKey(node: unknown): (YAMLMap | YAMLSeq) | undefined {
  if (isPair(node)) {
    if (isCollection(node.key)) return node.key;
    return collectionKey(node.value);
  }
  if (isCollection(node)) {
    for (const item of node.items) {
      const found = collectionKey(item);
      if (found) return found;
    }
  }
  return undefined;
}

/** The 1-based line of the field at `fieldPath` (or of its nearest existing parent) in a document. */
export function lineOf(source: SourceDocument, path: readonly FieldPathSegment[]): number {
  const fieldPath = [...source.prefix, ...path];
  for (let n = fieldPath.length; n >= 0; n--) {
    const node = n === 0 ? source.document.contents : source.document.getIn(fieldPath.slice(0, n), true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray((node as { range?: unknown }).range)) {
      let offset = (node as { range: [number, number, number] }).range[0];
      // for a collection value, point at its key's line rather than its first item when the key exists
      if (n > 0 && isCollection(node)) {
        const parent = n === 1 ? source.document.contents : source.document.getIn(fieldPath.slice(0, n - 1), true);
        const keyOffset = keyOffsetIn(parent, fieldPath[n - 1]);
        if (keyOffset !== undefined) offset = keyOffset;
      }
      return source.lines.linePos(offset).line;
    }
  }
  return 1;
}

function keyOffsetIn(parent: unknown, key: FieldPathSegment): number | undefined {
  if (!parent || typeof parent !== 'object' || !('items' in parent)) return undefined;
  const items = (parent as { items: unknown[] }).items;
  for (const item of items) {
    if (item && typeof item === 'object' && 'key' in item) {
      const k = (item as { key: { value?: unknown; range?: [number, number, number] } | null }).key;
      if (k && k.value === key && k.range) return k.range[0];
    }
  }
  return undefined;
}

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return (e.message ?? String(err)).split('\n')[0];
}
