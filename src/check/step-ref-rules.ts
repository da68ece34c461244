import { checkStepActionStringFields } from './string-field-rules';
import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asArray, asString, JsonObject, listNames, nonEmptyString, objectsOf, quote } from '../tekton-model/json-shape';
import { checkParamDeclarations } from './param-declaration-rules';
import { judgeParamReference } from './param-reference-rules';
import { indexByName, ParamDeclaration, readParamDeclarations } from '../tekton-model/param-declarations';
import { checkParamWiring } from './param-wiring-rules';
import { resolveReference, specOf } from './reference-resolution';
import { forEachString } from '../tekton-model/string-walk';
import { checkResultDeclarations } from './result-declaration-rules';
import { findVariableReferences } from '../tekton-model/variable-references';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';

/**
 * Judges a step's `ref` to a StepAction: resolves it among the documents (a resolver reference
 * gets a note) and checks the step's `params` against the StepAction's declarations.
 */
export function checkStepRef(
  r: ScopedReporter,
  step: JsonObject,
  at: readonly FieldPathSegment[],
  taskParams: ReadonlyMap<string, ParamDeclaration>,
): void {
  const ref = step.ref as JsonObject;
  const resolved = resolveReference(r, ref, [...at, 'ref'], 'StepAction');
  const supplied = objectsOf(step.params).map(([p, i]) => ({ name: asString(p.name) ?? '', value: p.value, path: [...at, 'params', i] }));
  for (const s of supplied) {
    forEachString(s.value, [...s.path, 'value'], (text, path) => {
      for (const reference of findVariableReferences(text)) {
        if (reference.kind === 'params')
          judgeParamReference(
            r,
            { path, text, reference },
            { params: taskParams, placement: Array.isArray(s.value) ? 'array-item' : 'step-param-value' },
          );
      }
    });
  }
  const spec = specOf(resolved.document);
  if (!spec) return;
  const params = r.remember(spec, () => readParamDeclarations(spec.params));
  checkParamWiring(r, params, supplied, {
    callee: `StepAction/${resolved.document!.name}`,
    paramsPath: [...at, 'params'],
    warnUndeclared: true,
    callerParams: taskParams,
    typeMismatchSeverity: 'warning',
  });
}

/** Judges a StepAction spec as Tekton's `StepActionSpec.Validate` does. */
export function checkStepActionSpec(r: ScopedReporter, spec: JsonObject): void {
  if (!nonEmptyString(spec.image)) r.report('step-image-missing', ['image'], 'image is missing; set image');
  checkStepActionStringFields(r, spec);
  const script = asString(spec.script);
  if (script && asArray(spec.command).length > 0)
    r.report('step-script-and-command', ['script'], 'both script and command are set; keep one');
  const flags = r.featureFlags;
  if (flags && script && script.trim().startsWith('#!win') && !apiFieldsEnabled(flags, 'alpha'))
    r.report('feature-disabled', ['script'], `a windows script (#!win) needs enable-api-fields "alpha" (it is "${flags.enableApiFields}")`);
  checkStepActionVolumeMountNames(r, spec);
  const declarations = readParamDeclarations(spec.params);
  checkParamDeclarations(r, declarations, ['params']);
  checkResultDeclarations(r, spec.results, ['results']);
  const params = indexByName(declarations);
  const results = new Set(objectsOf(spec.results).map(([result]) => asString(result.name) ?? ''));
  for (const [field, value] of Object.entries(spec)) {
    if (field === 'params' || field === 'results') continue;
    forEachString(value, [field], (text, path) => {
      for (const ref of findVariableReferences(text)) {
        if (ref.kind === 'params') {
          if (field === 'script') {
            r.report(
              'step-script-param-substitution',
              path,
              `${ref.text} in a StepAction script is refused by Tekton; pass the param through env and read the variable instead`,
            );
            continue;
          }
          const placement = (field === 'command' || field === 'args') && path.length === 2 ? 'array-item' : 'string';
          judgeParamReference(r, { path, text, reference: ref }, { params, placement });
        } else if (
          (ref.kind === 'step.results' || ref.kind === 'results') &&
          field === 'script' &&
          ref.name !== undefined &&
          !results.has(ref.name)
        ) {
          r.report(
            'result-reference-undeclared',
            path,
            `${ref.text} refers to result ${quote(ref.name)}, which the StepAction does not declare (declared: ${listNames(results)})`,
          );
        }
      }
    });
  }
}

/**
 * A StepAction's volumeMount names are each exactly one `$(params...)` reference (stepaction_validation.go
 * validateVolumeMounts: the Task that runs the StepAction names the volume through the param).
 * Whether the param is declared, and of a type that fits, is judged with the other references.
 */
function checkStepActionVolumeMountNames(r: ScopedReporter, spec: JsonObject): void {
  for (const [mount, i] of objectsOf(spec.volumeMounts)) {
    const name = asString(mount.name) ?? '';
    const references = findVariableReferences(name).filter((ref) => ref.kind === 'params');
    if (references.length !== 1 || references[0].text !== name) {
      r.report(
        'volume-mount-name-invalid',
        ['volumeMounts', i, 'name'],
        `volumeMount name ${quote(name)} is not a single param reference; a StepAction names each volume through one param, e.g. $(params.config-volume)`,
      );
    }
  }
}
