/**
 * The bridge between the constructs and the shared rule engine (`src/check`): each Tekton
 * construct judges its own synthesized JSON together with the objects it refers to, and
 * reports the findings about itself, each carrying the construct path.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { Finding } from '../check';

/** A finding of the rule engine, attributed to the construct whose object it is about. */
export interface ConstructFinding extends Finding {
  /** The construct path, e.g. `slsa-for-models/pipeline`. */
  readonly constructPath: string;
}

/** A construct whose synthesized object is judged by the rule engine. */
export interface ICheckedConstruct extends IConstruct {
  /** Every finding (errors, warnings, notes) about this construct's object. */
  findings(): readonly ConstructFinding[];
}

const CHECKED = Symbol.for('slsa-for-models.tekton.CheckedConstruct');

/** Marks `construct` as judged: `findings()` will be collected by the synthesizer. */
export function markChecked(construct: ICheckedConstruct): void {
  Object.defineProperty(construct, CHECKED, { value: true });
}

/** Whether `x` is a construct judged by the rule engine. */
export function isCheckedConstruct(x: unknown): x is ICheckedConstruct {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[CHECKED] === true;
}

/** Tekton's `feature-flags` data, by key. */
export type FeatureFlagData = Readonly<Record<string, string>>;

interface JudgingScope {
  readonly findings: WeakMap<ICheckedConstruct, readonly ConstructFinding[]>;
  /** The flags to judge with; `undefined` means: look for a feature-flags ConfigMap in the construct's app. */
  readonly featureFlags?: FeatureFlagData | null;
}

let scope: JudgingScope | undefined;

/**
 * Runs `fn` with findings memoised per construct, so that one synthesis judges each object
 * once even though both validation and warning collection ask for its findings. When
 * `featureFlags` is given, every construct is judged under them (`null`: under none).
 */
export function withFindingsCache<T>(fn: () => T, featureFlags?: FeatureFlagData | null): T {
  const outer = scope;
  scope = outer ?? { findings: new WeakMap(), featureFlags };
  try {
    return fn();
  } finally {
    scope = outer;
  }
}

/**
 * The `data` of the Tekton `feature-flags` ConfigMap (namespace `tekton-pipelines`) among the
 * objects under `root`, when there is one: the app then says how its cluster is configured, and
 * the constructs are judged as that cluster would judge them.
 */
export function findFeatureFlags(root: IConstruct): FeatureFlagData | undefined {
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind !== 'ConfigMap' || c.apiVersion !== 'v1' || c.name !== 'feature-flags') continue;
    const json = c.toJson() as { metadata?: { namespace?: string }; data?: Record<string, string> };
    if ((json.metadata?.namespace ?? 'tekton-pipelines') === 'tekton-pipelines') return json.data ?? {};
  }
  return undefined;
}

type CheckModule = typeof import('../check');
let checkModule: CheckModule | undefined;

/** The rule engine, loaded on first use so that merely loading the constructs stays cheap. */
function engine(): CheckModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return checkModule ??= require('../check') as CheckModule;
}

/**
 * Judges `documents[0]` (the construct's own object) in the context of the other documents
 * (the Tasks and Pipelines it refers to) and returns the findings about `documents[0]`.
 */
export function judge(construct: ICheckedConstruct, documents: () => readonly unknown[]): readonly ConstructFinding[] {
  const cached = scope?.findings.get(construct);
  if (cached) return cached;
  const constructPath = construct.node.path;
  const flags = scope?.featureFlags === undefined ? findFeatureFlags(construct.node.root) : scope.featureFlags ?? undefined;
  const check = engine();
  let raw;
  try {
    raw = check.checkDocuments(documents(), { featureFlags: flags });
  } catch {
    // flags Tekton would refuse: their own construct reports that; judge without them
    raw = check.checkDocuments(documents());
  }
  const findings = raw.filter(f => f.documentIndex === 0).map(f => ({ ...f, constructPath }));
  scope?.findings.set(construct, findings);
  return findings;
}

const printed = new WeakMap<ICheckedConstruct, Set<string>>();

/** Prints each warning and note of `construct` to stderr once per process: `[path] warning rule: message`. */
function printWarnings(construct: ICheckedConstruct, findings: readonly ConstructFinding[]): void {
  let seen = printed.get(construct);
  for (const f of findings) {
    if (f.severity === 'error') continue;
    const line = `[${f.constructPath}] ${f.severity} ${f.rule}: ${f.message}`;
    if (!seen) printed.set(construct, (seen = new Set()));
    if (seen.has(line)) continue;
    seen.add(line);
    process.stderr.write(`${line}\n`);
  }
}

/**
 * Registers the validation that fails synthesis on every `error` finding of `construct`.
 * Under a plain cdk8s synthesis (`app.synth()`, `Testing.synth`) warnings and notes are printed
 * to stderr; `synthesizeAtomically` prints them itself.
 */
export function addFindingsValidation(construct: ICheckedConstruct): void {
  markChecked(construct);
  construct.node.addValidation({
    validate: () => {
      const findings = construct.findings();
      if (!scope) printWarnings(construct, findings);
      return findings.filter(f => f.severity === 'error').map(f => f.message);
    },
  });
}
