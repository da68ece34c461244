import { TektonDocument } from './document-set';
import { FieldPathSegment } from './finding';
import { ScopedReporter } from './scoped-reporter';
import { asArray, asObject, asString, JsonObject, objectsOf } from '../tekton-model/json-shape';

/**
 * What only `tekton.dev/v1beta1` objects can carry and v1.15.0's v1beta1 validation refuses:
 * PipelineResources (`resources` in a Task, Pipeline, pipeline task, TaskRun or PipelineRun spec,
 * kept by the v1beta1 schema, refused by `Validate`) and a `taskRef`/`pipelineRef` `bundle`
 * (refused on create). Judged on the whole document, embedded specs included.
 */
export function checkV1beta1Fields(r: ScopedReporter, document: TektonDocument, spec: JsonObject): void {
  switch (document.kind) {
    case 'Task':
      taskSpec(r, spec, []);
      return;
    case 'Pipeline':
      pipelineSpec(r, spec, []);
      return;
    case 'TaskRun':
      resources(r, spec, [], 'TaskRun');
      bundle(r, spec.taskRef, ['taskRef']);
      taskSpec(r, asObject(spec.taskSpec), ['taskSpec']);
      return;
    case 'PipelineRun':
      resources(r, spec, [], 'PipelineRun');
      bundle(r, spec.pipelineRef, ['pipelineRef']);
      pipelineSpec(r, asObject(spec.pipelineSpec), ['pipelineSpec']);
      return;
    default:
      return;
  }
}

function taskSpec(r: ScopedReporter, spec: JsonObject | undefined, at: readonly FieldPathSegment[]): void {
  if (spec) resources(r, spec, at, 'Task');
}

function pipelineSpec(r: ScopedReporter, spec: JsonObject | undefined, at: readonly FieldPathSegment[]): void {
  if (!spec) return;
  // PipelineSpec.Validate refuses only a non-empty list (`len(ps.Resources) > 0`)
  if (spec.resources !== undefined && spec.resources !== null && !(Array.isArray(spec.resources) && spec.resources.length === 0))
    resources(r, spec, at, 'Pipeline');
  for (const section of ['tasks', 'finally'] as const) {
    for (const [task, i] of objectsOf(spec[section])) {
      const path = [...at, section, i];
      resources(r, task, path, 'pipeline task');
      bundle(r, task.taskRef, [...path, 'taskRef']);
      bundle(r, task.pipelineRef, [...path, 'pipelineRef']);
      taskSpec(r, asObject(task.taskSpec), [...path, 'taskSpec']);
      pipelineSpec(r, asObject(task.pipelineSpec), [...path, 'pipelineSpec']);
    }
  }
}

function resources(r: ScopedReporter, spec: JsonObject, at: readonly FieldPathSegment[], what: string): void {
  if (spec.resources === undefined || spec.resources === null) return;
  const count = Array.isArray(spec.resources) ? asArray(spec.resources).length : undefined;
  r.report(
    'v1beta1-field-removed',
    [...at, 'resources'],
    `resources of the ${what} (PipelineResources${count !== undefined ? `, ${count} declared` : ''}) are refused by Tekton v1.15.0's v1beta1 validation (the schema keeps the field, Validate disallows it); pass what they held through params, results and workspaces`,
  );
}

function bundle(r: ScopedReporter, ref: unknown, at: readonly FieldPathSegment[]): void {
  const value = asString(asObject(ref)?.bundle);
  if (!value) return;
  r.report(
    'v1beta1-field-removed',
    [...at, 'bundle'],
    `bundle ${JSON.stringify(value)} is refused when the object is created (Tekton v1.15.0's v1beta1 validation); use the bundles resolver: resolver: bundles with params bundle, name and kind`,
  );
}
