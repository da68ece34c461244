import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asObject, JsonObject, objectsOf } from '../tekton-model/json-shape';

/**
 * Fields the v1.15.0 CRD schemas type as strings (or lists of strings) where YAML readily yields
 * something else: `value: 8080`, `args: [-n, 10]`, `values: [true]`. The API server refuses such an
 * object ("must be of type string"), so they are errors; the fix is to quote the value.
 */
const CONTAINER_STRINGS = ['script', 'workingDir'] as const;
const CONTAINER_STRING_LISTS = ['args', 'command'] as const;

/** Describes a non-string JSON value for a message: `the number 8080`, `true`, `a list`. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return String(value);
}

/** Reports `value` at `at` unless it is a string (or absent). */
function expectString(r: ScopedReporter, value: unknown, at: readonly FieldPathSegment[]): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  const hint =
    typeof value === 'number'
      ? `; quote it ("${String(value)}")`
      : typeof value === 'boolean'
        ? '; quote it (Kubernetes tools read unquoted true/false, yes/no, on/off, y/n as booleans)'
        : '';
  r.report(
    'field-type-invalid',
    at,
    `${describe(value)} is not a string, and the CRD schema takes only a string here, so the API server refuses the object${hint}`,
  );
}

/** Reports every item of the list at `at` that is not a string; a non-list value is reported whole. */
function expectStringList(r: ScopedReporter, value: unknown, at: readonly FieldPathSegment[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    r.report(
      'field-type-invalid',
      at,
      `${describe(value)} is not a list, and the CRD schema takes a list of strings here, so the API server refuses the object; write [${typeof value === 'string' ? value : '...'}]`,
    );
    return;
  }
  value.forEach((item, i) => expectString(r, item, [...at, i]));
}

/** The string fields of a step, sidecar or stepTemplate at `at`. */
function checkContainer(r: ScopedReporter, container: JsonObject, at: readonly FieldPathSegment[]): void {
  expectString(r, container.name, [...at, 'name']);
  for (const field of CONTAINER_STRINGS) expectString(r, container[field], [...at, field]);
  for (const field of CONTAINER_STRING_LISTS) expectStringList(r, container[field], [...at, field]);
  for (const [env, i] of objectsOf(container.env)) {
    expectString(r, env.name, [...at, 'env', i, 'name']);
    expectString(r, env.value, [...at, 'env', i, 'value']);
  }
}

/** Judges the string-typed fields of a Task spec: containers, and param enums. */
export function checkTaskSpecStringFields(r: ScopedReporter, spec: JsonObject): void {
  for (const field of ['steps', 'sidecars'] as const) {
    for (const [container, i] of objectsOf(spec[field])) checkContainer(r, container, [field, i]);
  }
  const template = asObject(spec.stepTemplate);
  if (template) checkContainer(r, template, ['stepTemplate']);
  for (const [param, i] of objectsOf(spec.params)) expectStringList(r, param.enum, ['params', i, 'enum']);
  for (const [workspace, i] of objectsOf(spec.workspaces)) expectString(r, workspace.name, ['workspaces', i, 'name']);
}

/** Judges the string-typed fields of a Pipeline spec's tasks and finally: runAfter, when, param enums. */
export function checkPipelineSpecStringFields(r: ScopedReporter, spec: JsonObject): void {
  for (const [param, i] of objectsOf(spec.params)) expectStringList(r, param.enum, ['params', i, 'enum']);
  for (const section of ['tasks', 'finally'] as const) {
    for (const [task, i] of objectsOf(spec[section])) {
      expectStringList(r, task.runAfter, [section, i, 'runAfter']);
      const retries = task.retries;
      if (retries !== undefined && retries !== null && !(typeof retries === 'number' && Number.isInteger(retries))) {
        const hint =
          typeof retries === 'string' && /^\d+$/.test(retries) ? `; write it unquoted (retries: ${retries})` : '; give a whole number';
        r.report(
          'field-type-invalid',
          [section, i, 'retries'],
          `${typeof retries === 'string' ? `the string ${JSON.stringify(retries)}` : describe(retries)} is not an integer, and the CRD schema takes only an integer here, so the API server refuses the object${hint}`,
        );
      }
      for (const [when, j] of objectsOf(task.when)) {
        expectString(r, when.input, [section, i, 'when', j, 'input']);
        expectStringList(r, when.values, [section, i, 'when', j, 'values']);
      }
    }
  }
}

/** Judges the string-typed fields of a StepAction spec (its container fields sit at the top of the spec). */
export function checkStepActionStringFields(r: ScopedReporter, spec: JsonObject): void {
  checkContainer(r, spec, []);
  for (const [param, i] of objectsOf(spec.params)) expectStringList(r, param.enum, ['params', i, 'enum']);
}
