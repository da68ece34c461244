import { ScopedReporter } from './scoped-reporter';
import { asString, listNames, objectsOf, quote } from '../tekton-model/json-shape';
import { indexByName, ParamDeclaration } from '../tekton-model/param-declarations';
import { PipelineTaskEntry } from './pipeline-task-entry';
import { TaskSpecFacts } from './task-spec-rules';
import { findVariableReferences } from '../tekton-model/variable-references';

/**
 * A pipeline param passed straight to a Task param with an enum must have an enum that is a
 * subset of the Task's (Tekton's `ValidateParamEnumSubset`, run when enable-param-enum is on,
 * which any enum needs). Like Tekton, stops at the first param whose pipeline param is not a
 * string or whose Task param has no enum.
 */
export function checkEnumSubsets(
  r: ScopedReporter,
  entry: PipelineTaskEntry,
  facts: TaskSpecFacts,
  callee: string,
  pipelineParams: ReadonlyMap<string, ParamDeclaration>,
): void {
  if (r.featureFlags && !r.featureFlags.enableParamEnum) return;
  const taskParams = indexByName(facts.params);
  for (const [p, i] of objectsOf(entry.task.params)) {
    if (typeof p.value !== 'string') continue;
    const refs = findVariableReferences(p.value).filter((r) => r.kind === 'params');
    if (refs.length !== 1 || refs[0].name === undefined) continue;
    const pipelineParam = pipelineParams.get(refs[0].name);
    const taskParam = taskParams.get(asString(p.name) ?? '');
    if (!pipelineParam || pipelineParam.type !== 'string' || !taskParam || !taskParam.enum || taskParam.enum.length === 0) return;
    const outside = (pipelineParam.enum ?? []).filter((v) => !taskParam.enum!.includes(v));
    if (!pipelineParam.enum || pipelineParam.enum.length === 0) {
      r.report(
        'param-enum-not-subset',
        [...entry.path, 'params', i, 'value'],
        `pipeline param ${quote(pipelineParam.name)} has no enum, but param ${quote(taskParam.name)} of ${callee} allows only ${listNames(taskParam.enum)}; give the pipeline param an enum within those`,
      );
    } else if (outside.length > 0) {
      r.report(
        'param-enum-not-subset',
        [...entry.path, 'params', i, 'value'],
        `pipeline param ${quote(pipelineParam.name)} allows ${listNames(outside)}, which param ${quote(taskParam.name)} of ${callee} does not (its enum: ${listNames(taskParam.enum)})`,
      );
    }
  }
}
