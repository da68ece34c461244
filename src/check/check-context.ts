import { DocumentSet } from './document-set';
import { FieldPathSegment, Severity } from './finding';
import { FindingCollector, FindingTarget } from './finding-collector';
import { FeatureFlags } from './feature-flags';
import { RuleId } from './rule-catalog';

/** What every rule needs: the other documents, the cluster's feature flags (when known), and where to report. */
export class CheckContext {
  /** Starts a context over `documents`, reporting into `collector`. */
  public constructor(
    /** The documents, for resolving references by name. */
    public readonly documents: DocumentSet,
    /** The feature flags, or undefined when unknown (then nothing is judged by them). */
    public readonly featureFlags: FeatureFlags | undefined,
    /** Where findings go. */
    public readonly collector: FindingCollector,
  ) {}

  /** Reports a finding about `target` at `path` (relative to the target's spec). */
  public report(target: FindingTarget, rule: RuleId, path: readonly FieldPathSegment[], message: string, severity?: Severity): void {
    this.collector.report(target, rule, path, message, severity);
  }
}
