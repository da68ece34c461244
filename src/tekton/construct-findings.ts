/**
 * How the constructs are judged: each Tekton construct hands its own synthesized JSON, together with
 * the objects it refers to, to a {@link DocumentJudge}, and reports the findings about itself, each
 * carrying the construct path. The constructs import no rule engine: the judge is an input, resolved
 * in this order:
 * 1. the judge in the setting {@link judgeUnderFeatureFlags} made on the construct (`synthesizeAtomically`
 *    makes it for every construct of its apps, from its `judge` option);
 * 2. the default judge set with {@link useDocumentJudge}: loading `src/synth` (and so the package
 *    entry, `slsa-for-models`) sets `src/check`'s, loaded on first use.
 * With neither, judging a construct throws, naming the construct.
 *
 * What a construct is judged under is an explicit input too, resolved in this order:
 * 1. the setting {@link judgeUnderFeatureFlags} made on the construct (`synthesizeAtomically` makes
 *    it for every construct of its apps, from its `featureFlags` option or the ConfigMap one app defines);
 * 2. the construct context {@link FEATURE_FLAGS_CONTEXT} (the `data` of Tekton's `feature-flags`, or
 *    `null` for none), e.g. `app.node.setContext(FEATURE_FLAGS_CONTEXT, { 'enable-api-fields': 'beta' })` before adding charts;
 * 3. the `feature-flags` ConfigMap in `tekton-pipelines` that the construct's own app defines, if any.
 * The findings are cached on the construct, keyed by what was judged, so a construct changed by a
 * later `add*` call is judged afresh.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { DocumentJudge, Finding } from '../tekton-model/document-judge';
import { FeatureFlagsError, readTektonFeatureFlags } from '../tekton-model/feature-flags';

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

/** Tekton's `feature-flags` data, by key. */
export type FeatureFlagData = Readonly<Record<string, string>>;

/** The construct context key whose value is the `feature-flags` data to judge under (`null`: none). */
export const FEATURE_FLAGS_CONTEXT = 'slsa-for-models:tekton-feature-flags';

/** How one construct is judged, and what it was last judged to be: kept on the construct itself. */
interface Judging {
  /** Set by {@link judgeUnderFeatureFlags}; `undefined`: not set. */
  featureFlags?: FeatureFlagData | null;
  /** Set by {@link judgeUnderFeatureFlags}; `undefined`: the default judge. */
  judge?: DocumentJudge;
  /** False while a synthesizer that prints the findings itself is at work. */
  printsWarnings: boolean;
  /** True while a synthesizer promises the construct does not change: the findings are then judged once. */
  unchanging: boolean;
  /** The last findings, and the judge, documents and flags they were judged from. */
  cached?: { readonly judge: DocumentJudge; readonly key: string; readonly findings: readonly ConstructFinding[] };
  /** The warning lines already printed. */
  readonly printed: Set<string>;
}

const JUDGING = Symbol.for('slsa-for-models.tekton.Judging');

function judgingOf(construct: IConstruct): Judging | undefined {
  return (construct as unknown as Record<symbol, Judging | undefined>)[JUDGING];
}

/** Whether `x` is a construct judged by the rule engine. */
export function isCheckedConstruct(x: unknown): x is ICheckedConstruct {
  return typeof x === 'object' && x !== null && judgingOf(x as IConstruct) !== undefined;
}

/** How a construct is judged: see {@link judgeUnderFeatureFlags}. */
export interface JudgingSetting {
  /** The flags (`null`: no flag-dependent rule; `undefined`: the context or the app's ConfigMap decides). */
  readonly featureFlags: FeatureFlagData | null | undefined;
  /** Whether a plain cdk8s synthesis prints the construct's warnings and notes. @default true */
  readonly printsWarnings?: boolean;
  /** A promise that the construct does not change until the setting is made again, so it is judged once. @default false */
  readonly unchanging?: boolean;
  /** The judge. @default - the default judge ({@link useDocumentJudge}) */
  readonly judge?: DocumentJudge;
}

/** The judge of constructs whose setting names none. */
let defaultJudge: DocumentJudge | undefined;

/**
 * Makes `judge` the judge of every construct whose setting names none (`undefined`: no default, so
 * judging such a construct throws). Returns the previous default. The layer that composes the
 * constructs with a rule engine calls it: `src/synth` with `src/check`'s `checkDocuments`.
 */
export function useDocumentJudge(judge: DocumentJudge | undefined): DocumentJudge | undefined {
  const previous = defaultJudge;
  defaultJudge = judge;
  return previous;
}

/**
 * Judges `construct` under `setting` (a synthesizer sets every construct of its apps, then restores
 * what it returns). Returns the previous setting.
 */
export function judgeUnderFeatureFlags(
  construct: ICheckedConstruct,
  setting: JudgingSetting | FeatureFlagData | null | undefined,
): JudgingSetting {
  const judging = judgingOf(construct);
  if (!judging) throw new Error(`${construct.node.path} is not a judged construct`);
  const previous: JudgingSetting = {
    featureFlags: judging.featureFlags,
    printsWarnings: judging.printsWarnings,
    unchanging: judging.unchanging,
    judge: judging.judge,
  };
  const full: JudgingSetting = isJudgingSetting(setting) ? setting : { featureFlags: setting };
  judging.featureFlags = full.featureFlags;
  judging.printsWarnings = full.printsWarnings ?? true;
  judging.unchanging = full.unchanging ?? false;
  judging.judge = full.judge;
  judging.cached = undefined;
  return previous;
}

function isJudgingSetting(x: unknown): x is JudgingSetting {
  return (
    typeof x === 'object' &&
    x !== null &&
    'featureFlags' in x &&
    Object.keys(x).every((k) => k === 'featureFlags' || k === 'printsWarnings' || k === 'unchanging' || k === 'judge')
  );
}

/**
 * The `data` of the Tekton `feature-flags` ConfigMap (namespace `tekton-pipelines`) among the
 * objects under `root`, when there is one: the app then says how its cluster is configured.
 */
export function findFeatureFlags(root: IConstruct): FeatureFlagData | undefined {
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind !== 'ConfigMap' || c.apiVersion !== 'v1' || c.name !== 'feature-flags') continue;
    const json = c.toJson() as { metadata?: { namespace?: string }; data?: Record<string, string> };
    if ((json.metadata?.namespace ?? 'tekton-pipelines') === 'tekton-pipelines') return json.data ?? {};
  }
  return undefined;
}

/** The flags `construct` is judged under: its setting, else its context, else its app's ConfigMap. */
function featureFlagsFor(construct: IConstruct, judging: Judging): FeatureFlagData | undefined {
  if (judging.featureFlags !== undefined) return judging.featureFlags ?? undefined;
  const fromContext = construct.node.tryGetContext(FEATURE_FLAGS_CONTEXT) as FeatureFlagData | null | undefined;
  if (fromContext !== undefined) return fromContext ?? undefined;
  return findFeatureFlags(construct.node.root);
}

/**
 * Judges `documents[0]` (the construct's own object) in the context of the other documents
 * (the Tasks and Pipelines it refers to) and returns the findings about `documents[0]`. Flags
 * that Tekton would refuse are not used: the construct that holds them reports them, and each
 * construct judged under them says, in a note, that its flag-dependent rules were not applied.
 */
export function judge(construct: ICheckedConstruct, documents: () => readonly unknown[]): readonly ConstructFinding[] {
  const judging = judgingOf(construct);
  if (!judging) throw new Error(`${construct.node.path} is not a judged construct: call addFindingsValidation in its constructor`);
  const engine = judging.judge ?? defaultJudge;
  const constructPath = construct.node.path;
  if (!engine) {
    throw new Error(
      `[${constructPath}] no document judge to judge it with: load the package entry (slsa-for-models), whose synth layer sets check's, or call useDocumentJudge`,
    );
  }
  if (judging.unchanging && judging.cached?.judge === engine) return judging.cached.findings;
  const docs = documents();
  const flags = featureFlagsFor(construct, judging);
  const key = JSON.stringify([flags ?? null, docs]);
  if (judging.cached?.key === key && judging.cached.judge === engine) return judging.cached.findings;
  let refused: string | undefined;
  if (flags) {
    try {
      readTektonFeatureFlags(flags);
    } catch (err) {
      if (!(err instanceof FeatureFlagsError)) throw err;
      refused = err.message;
    }
  }
  const raw = engine(docs, refused === undefined && flags ? { featureFlags: flags } : {});
  const findings: ConstructFinding[] = raw.filter((f) => f.documentIndex === 0).map((f) => ({ ...f, constructPath }));
  if (refused !== undefined) {
    const object = raw[0]?.object ?? objectName(docs[0]);
    findings.push({
      severity: 'note',
      rule: 'feature-flags-refused',
      object,
      path: [],
      documentIndex: 0,
      constructPath,
      message: `${object}: judged without the rules that depend on feature flags, because Tekton would refuse the flags (${refused})`,
    });
  }
  judging.cached = { judge: engine, key, findings };
  return findings;
}

function objectName(document: unknown): string {
  const o = document as { kind?: unknown; metadata?: { name?: unknown } } | undefined;
  return `${typeof o?.kind === 'string' ? o.kind : 'object'}/${typeof o?.metadata?.name === 'string' ? o.metadata.name : '(unnamed)'}`;
}

/** Prints each warning and note of `construct` to stderr once: `[path] warning rule: message`. */
function printWarnings(judging: Judging, findings: readonly ConstructFinding[]): void {
  for (const f of findings) {
    if (f.severity === 'error') continue;
    const line = `[${f.constructPath}] ${f.severity} ${f.rule}: ${f.message}`;
    if (judging.printed.has(line)) continue;
    judging.printed.add(line);
    process.stderr.write(`${line}\n`);
  }
}

/**
 * Makes `construct` a judged one and registers the validation that fails synthesis on every
 * `error` finding. Under a plain cdk8s synthesis (`app.synth()`, `Testing.synth`) warnings and
 * notes are printed to stderr; `synthesizeAtomically` prints them itself.
 */
export function addFindingsValidation(construct: ICheckedConstruct): void {
  const judging: Judging = { printsWarnings: true, unchanging: false, printed: new Set() };
  Object.defineProperty(construct, JUDGING, { value: judging });
  construct.node.addValidation({
    validate: () => {
      const findings = construct.findings();
      if (judging.printsWarnings) printWarnings(judging, findings);
      return findings.filter((f) => f.severity === 'error').map((f) => f.message);
    },
  });
}
