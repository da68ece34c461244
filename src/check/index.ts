/**
 * The check engine: judges Tekton objects (plain JSON, as parsed from YAML or made by cdk8s
 * `toJson()`) as Tekton v1.15.0 would at admission and at run time.
 */
import { CheckContext, FieldValidation } from './check-context';
import { DocumentSet } from './document-set';
import { readTektonFeatureFlags } from '../tekton-model/feature-flags';
import type { SourceRepository } from '../tekton-model/source-repository';
import { Finding } from './finding';
import { compareFindings, FindingCollector } from './finding-collector';
import { checkDocument, checkMisfitDocument } from './document-rules';
import { checkTriggersDocument } from './triggers-rules';
import type { DocumentJudgeOptions } from '../tekton-model/document-judge';

export type { Finding, Severity, FieldPathSegment } from './finding';
export { RULES } from './rule-catalog';
export type { RuleId, RuleDescription } from './rule-catalog';
export type { SourceRepository } from '../tekton-model/source-repository';
export type { FieldValidation } from './check-context';

/**
 * How to judge: the feature flags and where each document came from (see {@link DocumentJudgeOptions}),
 * and what only `check` reads.
 */
export interface CheckOptions extends DocumentJudgeOptions {
  /**
   * Where each document's file sits in its git repository (remote URLs and path inside), index
   * for index, where known (`SourceRepositoryFinder` reads it from `.git`). A git resolver
   * reference is judged against a local file only when that file is its `pathInRepo` in a
   * repository with its `url`; without this, git resolver references are not judged.
   */
  readonly documentRepositories?: readonly (SourceRepository | undefined)[];
  /**
   * How the objects reach the API server, as kubectl's `--validate` says: `strict` (kubectl's
   * default since Kubernetes 1.27) refuses a field the CRD schema prunes, so `field-unknown` is an
   * error; `warn` or `ignore` (or a client that asks for no field validation) lets the server drop
   * it: a warning. An unknown field inside an embedded taskSpec/pipelineSpec is an error either way
   * (Tekton's webhook decodes with unknown fields disallowed).
   * @default 'strict'
   */
  readonly fieldValidation?: FieldValidation;
}

/**
 * Judges every Task, Pipeline, PipelineRun, TaskRun and StepAction among `documents`, the Tekton
 * Triggers objects (a TriggerTemplate's resource templates as the runs they become, bindings
 * against templates, CEL interceptors), and refuses
 * a `tekton.dev` kind or version the v1.15.0 CRDs do not serve and a document with an apiVersion
 * but no kind (other kinds are ignored); `taskRef`, `pipelineRef` and step `ref` are resolved by name among the documents.
 * Returns the findings sorted by document, path, rule and message.
 *
 * Throws only when `options.featureFlags` holds a value Tekton would refuse.
 */
export function checkDocuments(documents: readonly unknown[], options: CheckOptions = {}): Finding[] {
  const featureFlags = options.featureFlags ? readTektonFeatureFlags(options.featureFlags) : undefined;
  const set = new DocumentSet(documents, options.documentSources, options.documentRepositories);
  const collector = new FindingCollector();
  const context = new CheckContext(set, featureFlags, collector, options.fieldValidation ?? 'strict');
  for (const document of set.misfits) checkMisfitDocument(context, document);
  for (const document of set.judged) checkDocument(context, document);
  for (const document of set.triggers) checkTriggersDocument(context, document);
  return collector.all().sort(compareFindings);
}
