/**
 * The Tekton variable language: `$(params.x)`, `$(tasks.t.results.r[*])`, `$(workspaces.w.path)` ...
 *
 * `findVariableReferences` finds every `$(...)` in a string and says what it refers to, with its
 * offsets, so that the rules can judge the references and a substituter can replace them
 * (`substituteVariableReferences`). Parsing follows Tekton v1.15.0 (`pkg/substitution`,
 * `pkg/internal/resultref`): dot notation with at most one object key after a param name,
 * bracket notation `params["a.b"]` / `params['a.b']` for names with dots, `[N]` indexes and `[*]`.
 */

/** What a reference refers to. */
export type VariableReferenceKind =
  /** `$(params.name)`, `$(params.name.key)`, `$(params.name[0])`, `$(params.name[*])`, `$(params["name"])`. */
  | 'params'
  /** `$(results.name.path)` in a Task: where a step writes a result. */
  | 'results'
  /** `$(tasks.task.results.name)` (also `.key`, `[0]`, `[*]`) in a Pipeline. */
  | 'tasks.results'
  /** `$(tasks.task.status)` in a finally task. */
  | 'tasks.status'
  /** `$(tasks.task.reason)` in a finally task. */
  | 'tasks.reason'
  /** `$(tasks.status)`: the aggregate status of the `tasks`, in a finally task. */
  | 'tasks.aggregate-status'
  /** `$(tasks.task.matrix.length)` and `$(tasks.task.matrix.result.length)`. */
  | 'tasks.matrix'
  /** `$(workspaces.name.path|bound|claim|volume)`. */
  | 'workspaces'
  /** `$(context.taskRun.name)`, `$(context.pipelineRun.uid)`, ... */
  | 'context'
  /** `$(steps.step.results.name)` (also `.key`, `[0]`, `[*]`). */
  | 'steps.results'
  /** `$(steps.step.exitCode.path)` or `$(steps.step-name.exitCode.path)`. */
  | 'steps.exitCode'
  /** `$(step.results.name.path)` inside a StepAction or a step. */
  | 'step.results'
  /** `$(credentials.path)`. */
  | 'credentials'
  /** Anything else (artifacts, a prefix Tekton does not know, or text that only looks like a reference). */
  | 'other';

/** One segment of a reference expression as written: a name, an `[N]` index or `[*]`. */
export type ReferenceSegment =
  | { readonly type: 'name'; readonly value: string; readonly quoted: boolean }
  | { readonly type: 'index'; readonly value: number }
  | { readonly type: 'star' };

/** One `$(...)` found in a string. */
export interface VariableReference {
  /** The whole reference as written, e.g. `$(params.x[*])`. */
  readonly text: string;
  /** Offset of `$(` in the string. */
  readonly start: number;
  /** Offset just after the closing `)`. */
  readonly end: number;
  /** The text between `$(` and `)`, e.g. `params.x[*]`. */
  readonly expression: string;
  /** The expression split into segments; empty when `valid` is false. */
  readonly segments: readonly ReferenceSegment[];
  /** False when the expression cannot be split (an unclosed bracket or quote, `[x]`). */
  readonly valid: boolean;
  /** What the reference refers to. */
  readonly kind: VariableReferenceKind;
  /** The pipeline task (`tasks.X...`) or step (`steps.X...`) named by the reference. */
  readonly owner?: string;
  /** The param, result or workspace name; for `context`, the object (`taskRun`, `pipelineRun` ...). */
  readonly name?: string;
  /** The object key, for `$(params.x.key)` and `$(tasks.t.results.r.key)`. */
  readonly key?: string;
  /** The array index, for `$(params.x[0])`. */
  readonly index?: number;
  /** True for a whole-value reference `[*]`. */
  readonly star: boolean;
  /** The trailing attribute: `path`, `bound`, `claim`, `volume`, `length`; for `context`, the field (`name`, `uid` ...). */
  readonly attribute?: string;
  /** Set when the shape is wrong for its kind (e.g. `$(params.a.b.c)`): what Tekton would say. */
  readonly problem?: string;
}

/** True for a character that may be part of a dot-notation name: anything but `.`, `[`, `]`, `(`, `)` and `$`. */
function isNameChar(code: number): boolean {
  return code !== 46 && code !== 91 && code !== 93 && code !== 40 && code !== 41 && code !== 36;
}

/** Splits an expression such as `params["a.b"][0]` into segments, or returns undefined when it cannot. */
export function splitReferenceExpression(expression: string): ReferenceSegment[] | undefined {
  const segments: ReferenceSegment[] = [];
  let i = 0;
  let expectName = true;
  while (i < expression.length) {
    const c = expression[i];
    if (c === '[') {
      const q = expression[i + 1];
      if (q === '"' || q === "'") {
        const close = expression.indexOf(q + ']', i + 2);
        if (close === -1) return undefined;
        segments.push({ type: 'name', value: expression.slice(i + 2, close), quoted: true });
        i = close + 2;
      } else {
        const close = expression.indexOf(']', i + 1);
        if (close === -1) return undefined;
        const inner = expression.slice(i + 1, close);
        if (inner === '*') segments.push({ type: 'star' });
        else if (/^[0-9]+$/.test(inner)) segments.push({ type: 'index', value: Number(inner) });
        else return undefined;
        i = close + 1;
      }
      expectName = false;
      continue;
    }
    if (c === '.') {
      if (expectName) return undefined;
      i++;
      expectName = true;
      continue;
    }
    if (!expectName) return undefined;
    let j = i;
    while (j < expression.length && isNameChar(expression.charCodeAt(j))) j++;
    if (j === i) return undefined;
    segments.push({ type: 'name', value: expression.slice(i, j), quoted: false });
    i = j;
    expectName = false;
  }
  if (expectName) return undefined;
  return segments;
}

interface Classified {
  kind: VariableReferenceKind;
  owner?: string;
  name?: string;
  key?: string;
  index?: number;
  star: boolean;
  attribute?: string;
  problem?: string;
}

function nameAt(segments: readonly ReferenceSegment[], i: number): string | undefined {
  const s = segments[i];
  return s && s.type === 'name' ? s.value : undefined;
}

/** Reads `name`, then an optional `.key` (object), `[N]` or `[*]` from segment `i` on. */
function readValueSelector(segments: readonly ReferenceSegment[], i: number, into: Classified, what: string): void {
  into.name = nameAt(segments, i);
  if (into.name === undefined) {
    into.problem = `expected a ${what} name`;
    return;
  }
  const rest = segments.slice(i + 1);
  if (rest.length === 0) return;
  const first = rest[0];
  if (first.type === 'name') {
    into.key = first.value;
    if (rest.length > 1) into.problem = `only one object key may follow a ${what} name`;
    return;
  }
  if (first.type === 'star') into.star = true;
  else into.index = first.value;
  if (rest.length > 1) into.problem = `nothing may follow [${first.type === 'star' ? '*' : first.value}] after a ${what} name`;
}

function classify(segments: readonly ReferenceSegment[]): Classified {
  const c: Classified = { kind: 'other', star: false };
  const root = nameAt(segments, 0);
  const second = nameAt(segments, 1);
  switch (root) {
    case 'params':
      c.kind = 'params';
      readValueSelector(segments, 1, c, 'param');
      return c;
    case 'results':
      c.kind = 'results';
      c.name = second;
      c.attribute = nameAt(segments, 2);
      if (second === undefined || segments.length !== 3) c.problem = 'expected $(results.<name>.path)';
      return c;
    case 'workspaces':
      c.kind = 'workspaces';
      c.name = second;
      c.attribute = nameAt(segments, 2);
      if (second === undefined || segments.length !== 3) c.problem = 'expected $(workspaces.<name>.path|bound|claim|volume)';
      return c;
    case 'context':
      c.kind = 'context';
      c.name = second;
      c.attribute = segments
        .slice(2)
        .map((s) => (s.type === 'name' ? s.value : ''))
        .join('.');
      return c;
    case 'credentials':
      c.kind = 'credentials';
      c.attribute = second;
      return c;
    case 'step':
      if (second === 'results') {
        c.kind = 'step.results';
        c.name = nameAt(segments, 2);
        c.attribute = nameAt(segments, 3);
        if (segments.length !== 4) c.problem = 'expected $(step.results.<name>.path)';
      }
      return c;
    case 'steps': {
      if (second === undefined) return c;
      c.owner = second;
      const third = nameAt(segments, 2);
      if (third === 'results') {
        c.kind = 'steps.results';
        readValueSelector(segments, 3, c, 'result');
      } else if (third === 'exitCode') {
        c.kind = 'steps.exitCode';
        c.attribute = nameAt(segments, 3);
      }
      return c;
    }
    case 'tasks':
    case 'finally': {
      if (root === 'tasks' && second === 'status' && segments.length === 2) {
        c.kind = 'tasks.aggregate-status';
        return c;
      }
      if (second === undefined) return c;
      c.owner = second;
      const third = nameAt(segments, 2);
      if (third === 'results') {
        c.kind = 'tasks.results';
        readValueSelector(segments, 3, c, 'result');
      } else if (root === 'tasks' && third === 'status' && segments.length === 3) {
        c.kind = 'tasks.status';
      } else if (root === 'tasks' && third === 'reason' && segments.length === 3) {
        c.kind = 'tasks.reason';
      } else if (root === 'tasks' && third === 'matrix') {
        c.kind = 'tasks.matrix';
        if (segments.length === 4) {
          c.attribute = nameAt(segments, 3);
        } else {
          c.name = nameAt(segments, 3);
          c.attribute = nameAt(segments, 4);
        }
      }
      return c;
    }
    default:
      return c;
  }
}

/** Finds the `)` that closes a reference opened at `from` (just after `$(`), skipping quoted brackets. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ')') return i;
    if (c === '[' && (text[i + 1] === '"' || text[i + 1] === "'")) {
      const close = text.indexOf(text[i + 1] + ']', i + 2);
      if (close === -1) return -1;
      i = close + 2;
      continue;
    }
    if (c === '\n' || (c === '$' && text[i + 1] === '(')) return -1;
    i++;
  }
  return -1;
}

/**
 * Every `$(...)` reference in `text`, in order, with its kind, names, key/index/`[*]` and offsets.
 * Shell command substitutions such as `$(date)` come back as kind `other`. The list and its
 * references are frozen and shared between calls with the same text.
 */
export function findVariableReferences(text: string): readonly VariableReference[] {
  if (!text.includes('$(')) return NONE;
  let cached = PARSED.get(text);
  if (cached === undefined) {
    if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
    cached = Object.freeze(parseVariableReferences(text));
    PARSED.set(text, cached);
  }
  return cached;
}

const NONE: readonly VariableReference[] = Object.freeze([]);

/** Parsed texts: generated pipelines repeat the same strings thousands of times. References are immutable, so they are shared. */
const PARSED = new Map<string, readonly VariableReference[]>();
const PARSED_LIMIT = 20000;

function parseVariableReferences(text: string): VariableReference[] {
  const found: VariableReference[] = [];
  let at = text.indexOf('$(');
  while (at !== -1) {
    const close = findClose(text, at + 2);
    if (close === -1) {
      at = text.indexOf('$(', at + 2);
      continue;
    }
    const expression = text.slice(at + 2, close);
    const segments = splitReferenceExpression(expression);
    const classified: Classified = segments ? classify(segments) : { kind: 'other', star: false };
    found.push(
      Object.freeze({
        text: text.slice(at, close + 1),
        start: at,
        end: close + 1,
        expression,
        segments: Object.freeze(segments ?? []),
        valid: segments !== undefined,
        ...classified,
      }),
    );
    at = text.indexOf('$(', close + 1);
  }
  return found;
}

/** True when `text` is exactly one reference and nothing else (Tekton's "isolated" reference). */
export function isIsolatedReference(text: string, reference: VariableReference): boolean {
  return reference.start === 0 && reference.end === text.length;
}

/**
 * Replaces references in `text`: `replace` returns the new text for a reference, or undefined to
 * keep it as written. Offsets are those of `findVariableReferences`, so replacements never
 * re-scan their own output.
 */
export function substituteVariableReferences(text: string, replace: (reference: VariableReference) => string | undefined): string {
  const references = findVariableReferences(text);
  if (references.length === 0) return text;
  let out = '';
  let last = 0;
  for (const reference of references) {
    const replacement = replace(reference);
    if (replacement === undefined) continue;
    out += text.slice(last, reference.start) + replacement;
    last = reference.end;
  }
  return out + text.slice(last);
}

/** Renders a reference back to canonical text, e.g. for messages: `params.x.key`, `tasks.t.results.r[*]`. */
export function formatReferenceExpression(segments: readonly ReferenceSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.type === 'name') {
      if (s.quoted) out += `["${s.value}"]`;
      else out += (out === '' ? '' : '.') + s.value;
    } else if (s.type === 'index') {
      out += `[${s.value}]`;
    } else {
      out += '[*]';
    }
  }
  return out;
}

const PLAIN_NAME = /^[_a-zA-Z0-9-]+$/;

/**
 * True for a reference of the shape Tekton's `VariableSubstitutionRegex` matches
 * (`pkg/apis/pipeline/v1/resultref.go`): names of letters, digits, `_` and `-` joined by dots, and at
 * most one `[N]` or `[*]` at the end; bracket notation (`params["a.b"]`) is not of that shape.
 */
export function isPlainSubstitution(reference: VariableReference): boolean {
  const { segments } = reference;
  if (!reference.valid || segments.length === 0) return false;
  return segments.every((s, i) => (s.type === 'name' ? !s.quoted && PLAIN_NAME.test(s.value) : i > 0 && i === segments.length - 1));
}
