import { ScopedReporter } from './scoped-reporter';
import { FieldPathSegment } from './finding';
import { asString, JsonObject, listNames, quote } from '../tekton-model/json-shape';
import { PipelineTaskEntry } from './pipeline-task-entry';
import { forEachString } from '../tekton-model/string-walk';
import { findVariableReferences } from '../tekton-model/variable-references';

/**
 * A pipeline result must read task results (Tekton's `validatePipelineResults`): at least one
 * `$(tasks.<task>.results.<result>)` (or `$(finally...)`) naming an existing task; in a string
 * value nothing else may be referenced; each reference has at most one key or index
 * (`NewResultRefs`).
 */
export function checkPipelineResult(
  r: ScopedReporter,
  result: JsonObject,
  at: readonly FieldPathSegment[],
  byName: ReadonlyMap<string, PipelineTaskEntry>,
): void {
  const name = asString(result.name) ?? '';
  const texts: Array<[string, FieldPathSegment[]]> = [];
  forEachString(result.value, [...at, 'value'], (text, path) => texts.push([text, [...path]]));
  const isString = typeof result.value === 'string';
  let resultRefs = 0;
  for (const [text, path] of texts) {
    for (const ref of findVariableReferences(text)) {
      if (ref.kind !== 'tasks.results' || ref.owner === undefined || ref.name === undefined) {
        r.report(
          'pipeline-result-invalid',
          path,
          isString
            ? `pipeline result ${quote(name)} holds ${ref.text}; a pipeline result string may only hold task result references`
            : `pipeline result ${quote(name)} holds ${ref.text}, which Tekton does not replace in pipeline results`,
          isString ? 'error' : 'warning',
        );
        continue;
      }
      resultRefs++;
      if (ref.problem !== undefined) {
        // NewResultRefs cannot parse it, so validatePipelineResults counts fewer result refs than expressions
        r.report(
          'pipeline-result-invalid',
          path,
          `pipeline result ${quote(name)} holds ${ref.text}, which is not a result reference Tekton can read (${ref.problem}); use $(tasks.<task>.results.<result>) with at most one key`,
        );
        continue;
      }
      const producer = byName.get(ref.owner);
      const isFinally = ref.expression.startsWith('finally.');
      // taskContainsResult (on a string value): $(tasks...) names a task of tasks, $(finally...) one of finally
      if (!producer || (isFinally && producer.section !== 'finally') || (isString && !isFinally && producer.section !== 'tasks')) {
        r.report(
          'pipeline-result-invalid',
          path,
          producer
            ? `pipeline result ${quote(name)} reads ${ref.text}, but ${quote(ref.owner)} is a ${producer.section === 'finally' ? 'finally task: read it as $(finally.' : 'task of tasks: read it as $(tasks.'}${ref.owner}.results.${ref.name})`
            : `pipeline result ${quote(name)} reads ${ref.text}, but there is no ${isFinally ? 'finally ' : ''}task ${quote(ref.owner)}`,
        );
        continue;
      }
      const facts = producer.facts;
      if (facts && !producer.custom && !facts.results.has(ref.name)) {
        r.report(
          'task-result-undeclared',
          path,
          `pipeline result ${quote(name)} reads result ${quote(ref.name)}, which the Task of ${quote(ref.owner)} does not declare (declared: ${listNames(facts.results.keys())})`,
        );
      }
    }
  }
  if (resultRefs === 0) {
    r.report(
      'pipeline-result-invalid',
      [...at, 'value'],
      `pipeline result ${quote(name)} holds no $(tasks.<task>.results.<result>) reference; a pipeline result must read task results`,
    );
  }
}
