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
 * A file's text as Pipelines-as-Code renders it, when it holds a `pipelinesascode.tekton.dev/`
 * annotation: every placeholder on a line becomes an unknown string (see
 * {@link renderPacPlaceholders}), before the YAML is parsed, as PaC renders the text (so an
 * unquoted `value: {{ revision }}` reads as a string, not a YAML mapping). Lines keep their
 * numbers. Any other text is returned as it is.
 */
export function renderPacText(text: string): string {
  if (!text.includes(PAC_ANNOTATION_PREFIX)) return text;
  return text.replace(PLACEHOLDER_ON_A_LINE, (_whole, key: string) => unknownStringFor(key));
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
 * or value is judged by its fixed part. Objects and lists are copied only where a string changes.
 */
export function renderPacPlaceholders(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    return value.replace(PLACEHOLDER, (_whole, key: string) => unknownStringFor(key));
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = renderPacPlaceholders(v);
      if (r !== v) changed = true;
      return r;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = renderPacPlaceholders(v);
      if (r !== v) changed = true;
      out[k] = r;
    }
    return changed ? out : value;
  }
  return value;
}

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
