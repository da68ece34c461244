import { DocumentSet } from './document-set';
import { FieldPathSegment, Severity } from './finding';
import { FindingCollector, FindingTarget } from './finding-collector';
import { FeatureFlagSettings } from '../tekton-model/feature-flags';
import { RuleId } from './rule-catalog';

/** kubectl's `--validate` (the API server's `fieldValidation`): `strict`, the default since Kubernetes 1.27, refuses unknown fields the schema covers; `warn` and `ignore` let the server drop them. */
export type FieldValidation = 'strict' | 'warn' | 'ignore';

/** What every rule needs: the other documents, the cluster's feature flags (when known), and where to report. */
export class CheckContext {
  /** Starts a context over `documents`, reporting into `collector`. */
  public constructor(
    /** The documents, for resolving references by name. */
    public readonly documents: DocumentSet,
    /** The feature flags, or undefined when unknown (then nothing is judged by them). */
    public readonly featureFlags: FeatureFlagSettings | undefined,
    /** Where findings go. */
    public readonly collector: FindingCollector,
    /** How the API server is told to treat fields its schema prunes (kubectl's --validate): `strict` refuses them, `warn` and `ignore` drop them. */
    public readonly fieldValidation: FieldValidation = 'strict',
  ) {}

  /** Memo of per-document facts (e.g. a Task's params and results), so a Task used 2000 times is read once. */
  private readonly memo = new Map<unknown, unknown>();

  /** Returns the memoized value for `key`, computing it with `make` the first time. */
  public remember<T>(key: object, make: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = make();
    this.memo.set(key, value);
    return value;
  }

  /** Reports a finding about `target` at `path` (relative to the target's spec). */
  public report(target: FindingTarget, rule: RuleId, path: readonly FieldPathSegment[], message: string, severity?: Severity): void {
    this.collector.report(target, rule, path, message, severity);
  }
}
