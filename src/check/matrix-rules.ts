import { ScopedReporter } from './scoped-reporter';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { asObject, asString, objectsOf, quote } from '../tekton-model/json-shape';
import { ParamDeclaration } from '../tekton-model/param-declarations';
import { PipelineTaskEntry } from './pipeline-task-entry';
import { findVariableReferences } from '../tekton-model/variable-references';

/** Tekton's `default-max-matrix-combinations-count` when config-defaults does not change it. */
const DEFAULT_MAX_MATRIX_COMBINATIONS = 256;

/**
 * Judges a pipeline task's `matrix` (Tekton's `validateMatrix`, `Matrix.CountCombinations` and
 * `ValidateParameterTypesInMatrix`): array params, no param in both params and matrix (params or include), no
 * repeats, string include params, and the combination limit; beta when flags are known.
 */
export function checkMatrix(r: ScopedReporter, entry: PipelineTaskEntry, params: ReadonlyMap<string, ParamDeclaration>): void {
  const matrix = asObject(entry.task.matrix);
  if (!matrix) return;
  const at = [...entry.path, 'matrix'];
  const flags = r.featureFlags;
  if (entry.matrixed && flags && !apiFieldsEnabled(flags, 'beta')) {
    r.report('feature-disabled', at, `matrix needs enable-api-fields "beta" or "alpha" (it is "${flags.enableApiFields}")`);
  }
  const taskParams = new Set(objectsOf(entry.task.params).map(([p]) => asString(p.name) ?? ''));
  const names = new Set<string>();
  let combinations = 1;
  const values = new Map<string, readonly unknown[]>();
  for (const [p, i] of objectsOf(matrix.params)) {
    const name = asString(p.name) ?? '';
    const pat = [...at, 'params', i];
    if (names.has(name)) r.report('matrix-invalid', [...pat, 'name'], `matrix param ${quote(name)} is listed more than once`);
    names.add(name);
    if (taskParams.has(name))
      r.report('matrix-invalid', [...pat, 'name'], `param ${quote(name)} is in both params and matrix; supply it in one of them`);
    if (Array.isArray(p.value)) {
      values.set(name, p.value);
      if (p.value.length > 0) combinations *= p.value.length;
    } else if (typeof p.value === 'string') {
      const refs = findVariableReferences(p.value);
      const isolated = refs.length === 1 && refs[0].start === 0 && refs[0].end === p.value.length;
      const ref = refs[0];
      const ok =
        isolated &&
        (ref.kind === 'tasks.results' ||
          (ref.kind === 'params' &&
            ref.name !== undefined &&
            ref.key === undefined &&
            ref.index === undefined &&
            params.get(ref.name)?.type === 'array'));
      if (!ok)
        r.report(
          'matrix-invalid',
          [...pat, 'value'],
          `matrix param ${quote(name)} must be an array (a list, $(params.<array>[*]) or a task result reference)`,
        );
    } else {
      r.report('matrix-invalid', [...pat, 'value'], `matrix param ${quote(name)} must be an array`);
    }
  }
  const includes = objectsOf(matrix.include);
  let extra = 0;
  for (const [inc, j] of includes) {
    const seen = new Set<string>();
    let adds = names.size === 0;
    for (const [p, i] of objectsOf(inc.params)) {
      const name = asString(p.name) ?? '';
      if (seen.has(name))
        r.report(
          'param-name-duplicate',
          [...at, 'include', j, 'params', i, 'name'],
          `param ${quote(name)} is supplied more than once in this include`,
        );
      seen.add(name);
      // Matrix.GetAllParams counts include params too (validateParameterInOneOfMatrixOrParams)
      if (taskParams.has(name))
        r.report(
          'matrix-invalid',
          [...at, 'include', j, 'params', i, 'name'],
          `param ${quote(name)} is in both params and matrix.include; supply it in one of them`,
        );
      if (typeof p.value !== 'string')
        r.report('matrix-invalid', [...at, 'include', j, 'params', i, 'value'], `matrix include param ${quote(name)} must be a string`);
      const list = values.get(name);
      if (list && typeof p.value === 'string' && !list.includes(p.value)) adds = true;
    }
    if (adds) extra++;
  }
  const total = (names.size > 0 ? combinations : 0) + extra;
  if (total > DEFAULT_MAX_MATRIX_COMBINATIONS) {
    r.report(
      'matrix-invalid',
      at,
      `matrix makes ${total} combinations, more than Tekton's default limit of ${DEFAULT_MAX_MATRIX_COMBINATIONS} (default-max-matrix-combinations-count)`,
    );
  }
}
