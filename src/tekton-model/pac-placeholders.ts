import { asObject, JsonObject } from './json-shape';

/**
 * Pipelines-as-Code placeholders: PaC replaces `{{ revision }}`, `{{ repo_url }}`,
 * `{{ body.pull_request.number }}` ... in the PipelineRuns it runs before Tekton sees them
 * (openshift-pipelines/pipelines-as-code `pkg/apis/pipelinesascode/keys` `ParamsRe`,
 * `pkg/templates` `ReplacePlaceHoldersVariables`: `{{` then at least two characters other than `}`
 * then `}}`).
 */
const PLACEHOLDER = /\{\{([^}]{2,})\}\}/g;

/** The annotation prefix that marks a document Pipelines-as-Code renders. */
const PAC_ANNOTATION_PREFIX = 'pipelinesascode.tekton.dev/';

/** The same placeholders where they may stand in a file's text: on one line. */
const PLACEHOLDER_ON_A_LINE = /\{\{([^}\n]{2,})\}\}/g;

/**
 * Where {@link renderPacText} put a placeholder: its unknown string between two private-use
 * characters, which YAML reads as plain text anywhere a placeholder may stand, and which
 * {@link settlePacText} takes out again after parsing, noting which strings held one.
 */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKED = /\uE000([a-z0-9-]*)\uE001/g;

/**
 * A file's text as Pipelines-as-Code renders it, when it holds a `pipelinesascode.tekton.dev/`
 * annotation: every placeholder on a line becomes an unknown string (see
 * {@link renderPacPlaceholders}), before the YAML is parsed, as PaC renders the text (so an
 * unquoted `value: {{ revision }}` reads as a string, not a YAML mapping). Lines keep their
 * numbers. Any other text is returned as it is. The parsed value of a rendered text is given to
 * {@link settlePacText}.
 */
export function renderPacText(text: string): string {
  if (!text.includes(PAC_ANNOTATION_PREFIX)) return text;
  return text.replace(PLACEHOLDER_ON_A_LINE, (_whole, key: string) => `${MARK_OPEN}${unknownStringFor(key)}${MARK_CLOSE}`);
}

/**
 * The value parsed from a text {@link renderPacText} rendered, with each placeholder its unknown
 * string; every object in it remembers the strings that held a placeholder (see
 * {@link pacFilledInStrings}). A value without placeholders is returned as it is.
 */
export function settlePacText(value: unknown): unknown {
  return settle(value, new Set<string>(), withoutPacMarks, (s) => s.includes(MARK_OPEN), true);
}

/** `text` (a piece of a text {@link renderPacText} rendered) with each placeholder its unknown string. */
export function withoutPacMarks(text: string): string {
  return text.includes(MARK_OPEN) ? text.replace(MARKED, (_whole, label: string) => label) : text;
}

const FILLED_IN = new WeakMap<object, ReadonlySet<string>>();

/**
 * The strings of `object` (a document read from a Pipelines-as-Code file, or rendered by
 * {@link renderPacPlaceholders}) that held a placeholder PaC fills in before Tekton sees it, as
 * they read once rendered; empty for any other object.
 */
export function pacFilledInStrings(object: object): ReadonlySet<string> {
  return FILLED_IN.get(object) ?? NONE;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A copy of `value` with each string `holds` picks rendered by `render` (map keys too when `keys`), objects and
 * lists copied only where a string changes; each rendered string is added to `filled`, and every
 * object (copied or not) remembers `filled`.
 */
function settle(value: unknown, filled: Set<string>, render: (s: string) => string, holds: (s: string) => boolean, keys = false): unknown {
  if (typeof value === 'string') {
    if (!holds(value)) return value;
    const out = render(value);
    filled.add(out);
    return out;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = settle(v, filled, render, holds, keys);
      if (r !== v) changed = true;
      return r;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = keys && holds(k) ? render(k) : k;
      const r = settle(v, filled, render, holds, keys);
      if (r !== v || key !== k) changed = true;
      out[key] = r;
    }
    const result = changed ? out : value;
    FILLED_IN.set(result, filled);
    return result;
  }
  return value;
}

/** True when `object` carries a `pipelinesascode.tekton.dev/*` annotation. */
export function isPacDocument(object: JsonObject): boolean {
  const annotations = asObject(asObject(object.metadata)?.annotations);
  return annotations !== undefined && Object.keys(annotations).some((k) => k.startsWith(PAC_ANNOTATION_PREFIX));
}

/**
 * The `generateName` Pipelines-as-Code gives a PipelineRun it creates from `object`: `NAME-`,
 * with the name dropped, when the PipelineRun has a name and no generateName (so that each event
 * gets a run of its own; openshift-pipelines/pipelines-as-code `pkg/resolve/remote.go`
 * `resolveRemoteResources`, with the `GenerateName` option `pkg/pipelineascode/match.go` sets);
 * undefined when PaC keeps the metadata as written.
 */
export function pacGenerateName(object: JsonObject): string | undefined {
  const metadata = asObject(object.metadata);
  const name = metadata?.name;
  const generateName = metadata?.generateName;
  if (typeof name !== 'string' || name === '' || (typeof generateName === 'string' && generateName !== '')) return undefined;
  return `${name}-`;
}

/**
 * The document as Tekton would receive it from Pipelines-as-Code, with every placeholder in a
 * string value read as an unknown string: the placeholder's key made a DNS-1123 label
 * (`{{ revision }}` becomes `revision`, `{{ repo_name }}` `repo-name`), so that a templated name
 * or value is judged by its fixed part; the rendered strings are remembered as filled in before
 * Tekton (see {@link pacFilledInStrings}), with those `value` remembered from its file (see
 * {@link settlePacText}). Objects and lists are copied only where a string changes.
 */
export function renderPacPlaceholders(value: unknown): unknown {
  const filled = new Set<string>(value !== null && typeof value === 'object' ? pacFilledInStrings(value) : NONE);
  return settle(
    value,
    filled,
    (s) => s.replace(PLACEHOLDER, (_whole, key: string) => unknownStringFor(key)),
    (s) => s.includes('{{') && PLACEHOLDER_TEST.test(s),
  );
}

/** {@link PLACEHOLDER} without the global flag, to test a string. */
const PLACEHOLDER_TEST = /\{\{[^}]{2,}\}\}/;

function unknownStringFor(key: string): string {
  const label = key
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return label === '' ? 'x' : label;
}
