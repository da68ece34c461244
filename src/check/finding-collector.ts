import { FieldPathSegment, Finding, Severity } from './finding';
import { formatFieldPath } from '../tekton-model/names';
import { ruleSeverity, RuleId } from './rule-catalog';

/** Gathers the findings of one object: knows its `Kind/name` and document index, so rules give only path and message. */
export class FindingCollector {
  /** Starts a collector that appends to `findings`. */
  public constructor(private readonly findings: Finding[] = []) {}

  /**
   * Reports one finding of `rule` at `path` (relative to the target's base path). The message is
   * prefixed with the object and the field: `Pipeline/p spec.tasks[0].name: <message>`.
   */
  public report(target: FindingTarget, rule: RuleId, path: readonly FieldPathSegment[], message: string, severity?: Severity): void {
    const fullPath = [...target.basePath, ...path];
    this.findings.push({
      severity: severity ?? ruleSeverity(rule),
      rule,
      message: `${target.object} ${formatFieldPath(fullPath) || '(document)'}: ${message}`,
      object: target.object,
      path: fullPath,
      documentIndex: target.documentIndex,
    });
  }

  /** Everything reported so far. */
  public all(): Finding[] {
    return this.findings;
  }
}

/** Which object findings are about, and where in its document the judged spec sits. */
export interface FindingTarget {
  /** `Kind/name` of the top-level document. */
  readonly object: string;
  /** Index of the document among those checked. */
  readonly documentIndex: number;
  /** Path from the document root to the spec being judged (e.g. `['spec', 'pipelineSpec']`). */
  readonly basePath: readonly FieldPathSegment[];
}

/** A target for a spec nested at `path` under `target`'s spec. */
export function nestedTarget(target: FindingTarget, path: readonly FieldPathSegment[]): FindingTarget {
  return { ...target, basePath: [...target.basePath, ...path] };
}

/** Orders findings deterministically: by document, then path, then rule, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.documentIndex !== b.documentIndex) return a.documentIndex - b.documentIndex;
  const n = Math.min(a.path.length, b.path.length);
  for (let i = 0; i < n; i++) {
    const x = a.path[i];
    const y = b.path[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  if (a.path.length !== b.path.length) return a.path.length - b.path.length;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
