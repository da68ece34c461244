import { CHAINS_SIGNED_ANNOTATION, chainsSignatureAnnotationPrefix } from '../chains/chains-annotations';
import { AttestationRejectedError, UnreadableInputError } from './verification-errors';

/** The annotation prefix under which Tekton Chains' `tekton` storage keeps a PipelineRun's signed envelope (base64). */
export const PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX = chainsSignatureAnnotationPrefix('pipelinerun');

/** The envelope text Chains stored on a PipelineRun, and which run it came from. */
export interface PipelineRunEnvelope {
  /** The annotation value: the base64 of the DSSE envelope JSON. */
  readonly envelopeText: string;
  /** metadata.uid of the PipelineRun. */
  readonly uid: string;
  /** metadata.name of the PipelineRun, when present. */
  readonly name?: string;
  /** metadata.namespace of the PipelineRun, when present (not signed: what the saved run says; the run's uid binds it to the statement). */
  readonly namespace?: string;
  /**
   * The run's outcome, from its `Succeeded` condition (`True` succeeded, `False` failed,
   * `Unknown` running; `unknown` when there is none). Not signed: it is what the saved run says.
   */
  readonly outcome: 'succeeded' | 'failed' | 'running' | 'unknown';
}

/**
 * Takes the signed envelope from a PipelineRun as `kubectl get pipelinerun NAME -o json` (or
 * `-o yaml`) prints it: the annotation `chains.tekton.dev/signature-pipelinerun-<metadata.uid>`.
 * Throws {@link UnreadableInputError} when the text is not a PipelineRun with a uid, and
 * {@link AttestationRejectedError} when the run carries no signature for its own uid (naming the
 * uids whose signatures it does carry).
 */
export function envelopeFromPipelineRun(text: string, source: string): PipelineRunEnvelope {
  if (text.trim() === '')
    throw new UnreadableInputError(`${source} is empty (expected a PipelineRun as JSON or YAML: kubectl get pipelinerun NAME -o json)`);
  let document: unknown;
  try {
    document = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new UnreadableInputError(`${source} is not valid JSON or YAML (${firstLine((err as Error).message)})`);
  }
  const run = pickPipelineRun(document, source);
  const metadata = isObject(run.metadata) ? run.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const label = `pipelinerun ${name ?? '(unnamed)'}`;
  const uid = metadata.uid;
  if (typeof uid !== 'string' || uid === '') {
    throw new UnreadableInputError(
      `${source}: ${label} has no metadata.uid (save it from the cluster: kubectl get pipelinerun ${name ?? 'NAME'} -o json)`,
    );
  }
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const value = annotations[PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX + uid];
  if (typeof value === 'string' && value.trim() !== '') {
    const outcome = outcomeOf(run);
    const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
    return {
      envelopeText: value,
      uid,
      ...(name === undefined ? {} : { name }),
      ...(namespace === undefined ? {} : { namespace }),
      outcome,
    };
  }
  const others = Object.keys(annotations)
    .filter((key) => key.startsWith(PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX))
    .map((key) => key.slice(PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX.length))
    .filter((other) => other !== uid);
  const signed = annotations[CHAINS_SIGNED_ANNOTATION];
  const state = typeof signed === 'string' ? ` (chains.tekton.dev/signed is "${signed}")` : '';
  throw new AttestationRejectedError(
    others.length === 0
      ? `${label} (uid ${uid}) has no annotation ${PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX}${uid}: Chains has not signed it${state}`
      : `${label} (uid ${uid}) has no annotation ${PIPELINERUN_SIGNATURE_ANNOTATION_PREFIX}${uid}; it carries signatures for other uids only: ${others.join(', ')}`,
  );
}

function outcomeOf(run: Record<string, unknown>): PipelineRunEnvelope['outcome'] {
  const status = isObject(run.status) ? run.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const succeeded = conditions.find((condition) => isObject(condition) && condition.type === 'Succeeded') as
    Record<string, unknown> | undefined;
  if (succeeded === undefined) return 'unknown';
  if (succeeded.status === 'True') return 'succeeded';
  if (succeeded.status === 'False') return 'failed';
  return succeeded.status === 'Unknown' ? 'running' : 'unknown';
}

function pickPipelineRun(document: unknown, source: string): Record<string, unknown> {
  if (!isObject(document)) throw new UnreadableInputError(`${source} is not a PipelineRun object`);
  if (document.kind === 'List' && Array.isArray(document.items)) {
    const runs = document.items.filter((item) => isObject(item) && item.kind === 'PipelineRun');
    if (runs.length !== 1) {
      const holds =
        document.fromYamlDocuments === true
          ? `holds ${runs.length} PipelineRuns in its YAML documents`
          : `is a List of ${runs.length} PipelineRuns`;
      throw new UnreadableInputError(`${source} ${holds} (expected exactly one; save one with kubectl get pipelinerun NAME -o json)`);
    }
    return runs[0] as Record<string, unknown>;
  }
  if (document.kind !== 'PipelineRun') {
    const kind = typeof document.kind === 'string' ? `a ${document.kind}` : 'an object without kind';
    throw new UnreadableInputError(`${source} is ${kind}, not a PipelineRun`);
  }
  return document;
}

/**
 * Parses YAML, one document or several (`---`); several become a `List` of them, as kubectl would
 * print them. yaml is loaded only for YAML input: it costs ~80 ms of startup that JSON input does not need.
 */
function parseYaml(text: string): unknown {
  assertYamlNesting(text);
  const yaml = require('yaml') as typeof import('yaml');
  const documents = yaml.parseAllDocuments(text);
  if (!Array.isArray(documents)) return null;
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new Error(error.message);
  }
  const values = documents
    .map((document) => document.toJS({ maxAliasCount: 100 }) as unknown)
    .filter((value) => value !== null && value !== undefined);
  return values.length <= 1 ? (values[0] ?? null) : { kind: 'List', items: values, fromYamlDocuments: true };
}

/**
 * The deepest nesting of YAML flow collections (`[` and `{`, counted as if no quote hid them) read:
 * the YAML reader recurses per level and gives up at about 800 levels, after seconds of lexing
 * when hostile text nests hundreds of thousands. No PipelineRun kubectl writes comes near it.
 */
export const MAX_YAML_FLOW_NESTING = 512;

/** Throws a plain Error (reported as unreadable YAML) when flow collections nest deeper than {@link MAX_YAML_FLOW_NESTING}; one linear pass. */
export function assertYamlNesting(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > MAX_YAML_FLOW_NESTING) throw new Error(`it nests flow collections deeper than ${MAX_YAML_FLOW_NESTING} levels`);
    } else if ((c === 0x5d /* ] */ || c === 0x7d) /* } */ && depth > 0) {
      depth--;
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(message: string): string {
  const line = message.split('\n')[0].replace(/:$/, '');
  return line.charAt(0).toLowerCase() + line.slice(1);
}
