import { CheckContext } from './check-context';
import { FieldPathSegment, Severity } from './finding';
import { FindingTarget, nestedTarget } from './finding-collector';
import { RuleId } from './rule-catalog';

/**
 * Reports findings about one judged spec: the context and the target bound together, so a judge
 * says only the rule, the path below the spec and the message.
 */
export class ScopedReporter {
  /** A reporter for the spec at `target`. */
  public constructor(
    public readonly context: CheckContext,
    public readonly target: FindingTarget,
  ) {}

  /** Reports one finding of `rule` at `path` (relative to the judged spec). */
  public report(rule: RuleId, path: readonly FieldPathSegment[], message: string, severity?: Severity): void {
    this.context.report(this.target, rule, path, message, severity);
  }

  /** A reporter for the spec nested at `path` below this one (an embedded taskSpec or pipelineSpec). */
  public nested(path: readonly FieldPathSegment[]): ScopedReporter {
    return new ScopedReporter(this.context, nestedTarget(this.target, path));
  }
}
