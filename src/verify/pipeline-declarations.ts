import { assertYamlNesting } from './pipelinerun-envelope';
import { DeclaredParam } from './provenance-policy';
import { UnreadableInputError } from './verification-errors';

/** A Pipeline's name and param declarations, as a gate's policy takes them. */
export interface DeclaredPipeline {
  /** metadata.name of the Pipeline. */
  readonly name: string;
  /** spec.params: name, type and default of each. */
  readonly params: readonly DeclaredParam[];
}

/**
 * Reads a Tekton Pipeline (JSON, or YAML with one or more documents, as `npm run synth` writes
 * `dist/slsa-for-models.yaml`) and returns its name and param declarations. With several Pipelines
 * in the text, `name` chooses one. Throws {@link UnreadableInputError} naming `source` when there is
 * no such Pipeline or its params are not Tekton-shaped.
 */
export function readPipelineDeclarations(text: string, source: string, name?: string): DeclaredPipeline {
  let documents: unknown[];
  try {
    documents = text.trimStart().startsWith('{') ? [JSON.parse(text)] : parseYamlDocuments(text);
  } catch (err) {
    throw new UnreadableInputError(`${source} is not valid JSON or YAML (${((err as Error).message.split('\n')[0] ?? '').toLowerCase()})`);
  }
  const pipelines = documents.filter(
    (document): document is Record<string, unknown> =>
      isObject(document) &&
      document.kind === 'Pipeline' &&
      typeof document.apiVersion === 'string' &&
      document.apiVersion.startsWith('tekton.dev/'),
  );
  const named = pipelines.map((pipeline) => ({
    pipeline,
    name: isObject(pipeline.metadata) && typeof pipeline.metadata.name === 'string' ? pipeline.metadata.name : '',
  }));
  const chosen = name === undefined ? named : named.filter((entry) => entry.name === name);
  if (chosen.length !== 1) {
    const found = named.map((entry) => entry.name || '(unnamed)').join(', ') || 'none';
    throw new UnreadableInputError(
      chosen.length === 0
        ? `${source} holds no tekton.dev Pipeline${name === undefined ? '' : ` named ${JSON.stringify(name)}`} (pipelines: ${found})`
        : `${source} holds ${chosen.length} Pipelines (${found}); name the one that must run`,
    );
  }
  const { pipeline, name: pipelineName } = chosen[0];
  if (pipelineName === '') throw new UnreadableInputError(`${source}: the Pipeline has no metadata.name`);
  const spec = isObject(pipeline.spec) ? pipeline.spec : {};
  const rawParams = spec.params ?? [];
  if (!Array.isArray(rawParams)) throw new UnreadableInputError(`${source}: pipeline ${pipelineName} spec.params is not a list`);
  const params: DeclaredParam[] = rawParams.map((entry: unknown, index: number) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || entry.name === '') {
      throw new UnreadableInputError(`${source}: pipeline ${pipelineName} spec.params[${index}] has no name`);
    }
    const type = entry.type;
    if (type !== undefined && type !== 'string' && type !== 'array' && type !== 'object') {
      throw new UnreadableInputError(
        `${source}: pipeline ${pipelineName} param ${entry.name} has type ${JSON.stringify(type)} (expected string, array or object)`,
      );
    }
    return {
      name: entry.name,
      ...(type === undefined ? {} : { type }),
      ...(entry.default === undefined || entry.default === null ? {} : { default: entry.default }),
    };
  });
  return { name: pipelineName, params };
}

function parseYamlDocuments(text: string): unknown[] {
  assertYamlNesting(text);
  const yaml = require('yaml') as typeof import('yaml');
  const documents = yaml.parseAllDocuments(text);
  if (!Array.isArray(documents)) return [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new Error(error.message);
  }
  return documents.map((document) => document.toJS({ maxAliasCount: 100 }) as unknown);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
