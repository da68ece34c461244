/**
 * Chains-aware validation of a Pipeline: under a given Chains payload format, would any of the Pipeline's
 * results become a subject of the PipelineRun's attestation? Works on plain Tekton JSON (a synthesized
 * Pipeline and, to see through `$(tasks.t.results.r[*])`, its Tasks); the rules of what Chains reads come
 * from `type-hinting.ts`.
 */
import { ChainsFormat, DeclaredResult, typeHintsOfDeclaredResults } from './type-hinting';

/** The parts of a Tekton Task this check reads. */
export interface TaskJson {
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly results?: readonly { readonly name: string; readonly type?: string; readonly properties?: Record<string, unknown> }[];
  };
}

/** The parts of a Tekton Pipeline this check reads. */
export interface PipelineJson {
  readonly metadata?: { readonly name?: string };
  readonly spec?: {
    readonly results?: readonly { readonly name: string; readonly type?: string; readonly value?: unknown }[];
    readonly tasks?: readonly {
      readonly name: string;
      readonly taskRef?: { readonly name?: string };
      readonly taskSpec?: TaskJson['spec'];
    }[];
    readonly finally?: readonly {
      readonly name: string;
      readonly taskRef?: { readonly name?: string };
      readonly taskSpec?: TaskJson['spec'];
    }[];
  };
}

const WHOLE_RESULT = /^\$\(tasks\.([a-z0-9-]+)\.results\.([A-Za-z0-9_.-]+)\[\*\]\)$/;

/** The keys a pipeline result's value sets: literal values where known, `undefined` where a `$(…)` decides at run time. */
function declaredKeys(value: unknown, pipeline: PipelineJson, tasks: readonly TaskJson[]): Record<string, string | undefined> | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys: Record<string, string | undefined> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      keys[key] = typeof v === 'string' && !v.includes('$(') ? v : undefined;
    }
    return keys;
  }
  if (typeof value !== 'string') return undefined;
  const match = WHOLE_RESULT.exec(value.trim());
  if (!match) return undefined;
  const [, taskName, resultName] = match;
  const pipelineTask = [...(pipeline.spec?.tasks ?? []), ...(pipeline.spec?.finally ?? [])].find((t) => t.name === taskName);
  const spec =
    pipelineTask?.taskSpec ?? tasks.find((t) => t.metadata?.name !== undefined && t.metadata.name === pipelineTask?.taskRef?.name)?.spec;
  const result = spec?.results?.find((r) => r.name === resultName);
  if (!result?.properties) return undefined;
  const keys: Record<string, string | undefined> = {};
  for (const key of Object.keys(result.properties)) keys[key] = undefined;
  return keys;
}

function inferredType(declared: string | undefined, value: unknown): DeclaredResult['type'] {
  if (declared === 'string' || declared === 'array' || declared === 'object') return declared;
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  return 'string';
}

/**
 * The Pipeline's results as Chains would see them declared: names, types and, for object results, the keys
 * their values set (literal where the Pipeline writes a literal, unknown where a task decides at run time).
 */
export function declaredPipelineResults(pipeline: PipelineJson, tasks: readonly TaskJson[] = []): DeclaredResult[] {
  return (pipeline.spec?.results ?? []).map((r) => {
    const type = inferredType(r.type, r.value);
    const keys = type === 'object' ? declaredKeys(r.value, pipeline, tasks) : undefined;
    return keys === undefined ? { name: r.name, type } : { name: r.name, type, keys };
  });
}

/** The declared results of each task the Pipeline runs (embedded or referenced by name). */
function taskResultsOf(pipeline: PipelineJson, tasks: readonly TaskJson[]): DeclaredResult[][] {
  return [...(pipeline.spec?.tasks ?? []), ...(pipeline.spec?.finally ?? [])].map((t) => {
    const spec = t.taskSpec ?? tasks.find((task) => task.metadata?.name !== undefined && task.metadata.name === t.taskRef?.name)?.spec;
    return (spec?.results ?? []).map((r) => {
      const type = inferredType(r.type, undefined);
      if (type !== 'object' || !r.properties) return { name: r.name, type };
      return { name: r.name, type, keys: Object.fromEntries(Object.keys(r.properties).map((k) => [k, undefined])) };
    });
  });
}

/**
 * One lowercase line when, under `format`, no result of the Pipeline would become an attestation subject
 * (naming the results that came close and the fix); `undefined` when at least one would.
 * With `deepInspection`, Chains also reads the child TaskRuns' results, so a task result that would be a
 * subject is enough.
 */
export function missingSubjectProblem(
  pipeline: PipelineJson,
  format: ChainsFormat,
  tasks: readonly TaskJson[] = [],
  options: { readonly deepInspection?: boolean } = {},
): string | undefined {
  const results = declaredPipelineResults(pipeline, tasks);
  const report = typeHintsOfDeclaredResults(results, format);
  if (report.hints.some((h) => h.role === 'subject')) return undefined;
  if (
    options.deepInspection &&
    taskResultsOf(pipeline, tasks).some((r) => typeHintsOfDeclaredResults(r, format).hints.some((h) => h.role === 'subject'))
  ) {
    return undefined;
  }
  const name = pipeline.metadata?.name ?? '(unnamed)';
  const misses = report.misses.map((m) => m.reason);
  const fix =
    misses.length > 0
      ? misses.join('; ')
      : 'declare an object pipeline result "<name>_ARTIFACT_OUTPUTS" with keys uri, digest ("sha256:<hex>") and isBuildArtifact: "true"';
  return `pipeline "${name}": no result would become an attestation subject under chains format ${format}, so the signed provenance would name no artifact: ${fix}`;
}
