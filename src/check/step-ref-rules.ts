import { CheckContext } from './check-context';
import { FieldPathSegment } from './finding';
import { FindingTarget } from './finding-collector';
import { JsonObject } from './json-shape';
import { ParamDeclaration } from './param-types';

/** Judges a step's `ref` to a StepAction (filled in by the StepAction rules). */
export function checkStepRef(_context: CheckContext, _target: FindingTarget, _step: JsonObject, _at: readonly FieldPathSegment[], _params: ReadonlyMap<string, ParamDeclaration>): void {
  // resolved and wired in step-ref rules
}
