/**
 * Tekton v1.15.0's defaulting of specs (`SetDefaults` in `pkg/apis/pipeline/v1/*_defaults.go`), as the
 * webhook applies it to stored Pipelines, Tasks and the specs embedded in runs, and as the reconciler then
 * copies them into `status.pipelineSpec` / `status.taskSpec`: param types inferred (object when
 * `properties` is set, else the default's type, else string), result types (object with `properties`,
 * else string), every unset property type `string`, and a `taskRef` by name gets `kind: Task`.
 * Works on plain JSON and returns a copy; what Chains then reads is what a cluster would show.
 */

type Json = Record<string, any>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withStringProperties(properties: unknown): Json | undefined {
  if (!isObject(properties)) return undefined;
  const out: Json = {};
  for (const [key, spec] of Object.entries(properties)) {
    const given = isObject(spec) ? spec : {};
    out[key] = given.type ? given : { ...given, type: 'string' };
  }
  return out;
}

/** `ParamSpec.SetDefaults`. */
function paramSpec(param: Json): Json {
  const out: Json = { ...param };
  const properties = withStringProperties(param.properties);
  if (properties) out.properties = properties;
  if (!out.type) {
    if (param.properties !== undefined && param.properties !== null) out.type = 'object';
    else if (param.default === undefined || param.default === null) out.type = 'string';
    else if (Array.isArray(param.default)) out.type = 'array';
    else if (isObject(param.default)) out.type = 'object';
    else out.type = 'string';
  }
  return out;
}

/** `TaskResult.SetDefaults` (and `StepResult`'s). */
function result(spec: Json): Json {
  const out: Json = { ...spec };
  if (!out.type) out.type = spec.properties !== undefined && spec.properties !== null ? 'object' : 'string';
  const properties = withStringProperties(spec.properties);
  if (properties) out.properties = properties;
  return out;
}

const mapList = (value: unknown, f: (item: Json) => Json): unknown =>
  Array.isArray(value) ? value.map((item) => (isObject(item) ? f(item) : item)) : value;

/** `TaskSpec.SetDefaults`: params and results. */
export function defaultedTaskSpec<T>(spec: T): T {
  if (!isObject(spec)) return spec;
  const out: Json = { ...spec };
  if (spec.params !== undefined) out.params = mapList(spec.params, paramSpec);
  if (spec.results !== undefined) out.results = mapList(spec.results, result);
  return out as T;
}

/** `PipelineTask.SetDefaults`: `kind: Task` on a taskRef by name, an embedded taskSpec defaulted. */
function pipelineTask(task: Json): Json {
  const out: Json = { ...task };
  if (isObject(task.taskRef) && !task.taskRef.kind && !task.taskRef.resolver && task.taskRef.name)
    out.taskRef = { ...task.taskRef, kind: 'Task' };
  if (isObject(task.taskSpec)) out.taskSpec = defaultedTaskSpec(task.taskSpec);
  return out;
}

/** `PipelineSpec.SetDefaults`: params, tasks and finally tasks. */
export function defaultedPipelineSpec<T>(spec: T): T {
  if (!isObject(spec)) return spec;
  const out: Json = { ...spec };
  if (spec.params !== undefined) out.params = mapList(spec.params, paramSpec);
  if (spec.tasks !== undefined) out.tasks = mapList(spec.tasks, pipelineTask);
  if (spec.finally !== undefined) out.finally = mapList(spec.finally, pipelineTask);
  return out as T;
}
