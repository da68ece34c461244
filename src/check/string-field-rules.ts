import { CheckContext } from './check-context';
import { FieldPathSegment } from './finding';
import { FindingTarget } from './finding-collector';
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
function expectString(context: CheckContext, target: FindingTarget, value: unknown, at: readonly FieldPathSegment[]): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  const hint =
    typeof value === 'number'
      ? `; quote it ("${String(value)}")`
      : typeof value === 'boolean'
        ? '; quote it (Kubernetes tools read unquoted true/false, yes/no, on/off, y/n as booleans)'
        : '';
  context.report(
    target,
    'field-type-invalid',
    at,
    `${describe(value)} is not a string, and the CRD schema takes only a string here, so the API server refuses the object${hint}`,
  );
}

/** Reports every item of the list at `at` that is not a string; a non-list value is reported whole. */
function expectStringList(context: CheckContext, target: FindingTarget, value: unknown, at: readonly FieldPathSegment[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    context.report(
      target,
      'field-type-invalid',
      at,
      `${describe(value)} is not a list, and the CRD schema takes a list of strings here, so the API server refuses the object; write [${typeof value === 'string' ? value : '...'}]`,
    );
    return;
  }
  value.forEach((item, i) => expectString(context, target, item, [...at, i]));
}

/** The string fields of a step, sidecar or stepTemplate at `at`. */
function checkContainer(context: CheckContext, target: FindingTarget, container: JsonObject, at: readonly FieldPathSegment[]): void {
  expectString(context, target, container.name, [...at, 'name']);
  for (const field of CONTAINER_STRINGS) expectString(context, target, container[field], [...at, field]);
  for (const field of CONTAINER_STRING_LISTS) expectStringList(context, target, container[field], [...at, field]);
  for (const [env, i] of objectsOf(container.env)) {
    expectString(context, target, env.name, [...at, 'env', i, 'name']);
    expectString(context, target, env.value, [...at, 'env', i, 'value']);
  }
}

/** Judges the string-typed fields of a Task spec: containers, and param enums. */
export function checkTaskSpecStringFields(context: CheckContext, target: FindingTarget, spec: JsonObject): void {
  for (const field of ['steps', 'sidecars'] as const) {
    for (const [container, i] of objectsOf(spec[field])) checkContainer(context, target, container, [field, i]);
  }
  const template = asObject(spec.stepTemplate);
  if (template) checkContainer(context, target, template, ['stepTemplate']);
  for (const [param, i] of objectsOf(spec.params)) expectStringList(context, target, param.enum, ['params', i, 'enum']);
  for (const [workspace, i] of objectsOf(spec.workspaces)) expectString(context, target, workspace.name, ['workspaces', i, 'name']);
}

/** Judges the string-typed fields of a Pipeline spec's tasks and finally: runAfter, when, param enums. */
export function checkPipelineSpecStringFields(context: CheckContext, target: FindingTarget, spec: JsonObject): void {
  for (const [param, i] of objectsOf(spec.params)) expectStringList(context, target, param.enum, ['params', i, 'enum']);
  for (const section of ['tasks', 'finally'] as const) {
    for (const [task, i] of objectsOf(spec[section])) {
      expectStringList(context, target, task.runAfter, [section, i, 'runAfter']);
      const retries = task.retries;
      if (retries !== undefined && retries !== null && !(typeof retries === 'number' && Number.isInteger(retries))) {
        const hint =
          typeof retries === 'string' && /^\d+$/.test(retries) ? `; write it unquoted (retries: ${retries})` : '; give a whole number';
        context.report(
          target,
          'field-type-invalid',
          [section, i, 'retries'],
          `${typeof retries === 'string' ? `the string ${JSON.stringify(retries)}` : describe(retries)} is not an integer, and the CRD schema takes only an integer here, so the API server refuses the object${hint}`,
        );
      }
      for (const [when, j] of objectsOf(task.when)) {
        expectString(context, target, when.input, [section, i, 'when', j, 'input']);
        expectStringList(context, target, when.values, [section, i, 'when', j, 'values']);
      }
    }
  }
}

/** Judges the string-typed fields of a StepAction spec (its container fields sit at the top of the spec). */
export function checkStepActionStringFields(context: CheckContext, target: FindingTarget, spec: JsonObject): void {
  checkContainer(context, target, spec, []);
  for (const [param, i] of objectsOf(spec.params)) expectStringList(context, target, param.enum, ['params', i, 'enum']);
}
