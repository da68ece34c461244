/**
 * The check engine: judges Tekton objects (plain JSON, as parsed from YAML or made by cdk8s
 * `toJson()`) as Tekton v1.15.0 would at admission and at run time.
 */
import { CheckContext } from './check-context';
import { DocumentSet } from './document-set';
import { readTektonFeatureFlags } from '../tekton-model/feature-flags';
import { Finding } from './finding';
import { compareFindings, FindingCollector } from './finding-collector';
import { checkDocument, checkMisfitDocument } from './document-rules';
import { checkTriggersDocument } from './triggers-rules';
import type { DocumentJudgeOptions } from '../tekton-model/document-judge';

export type { Finding, Severity, FieldPathSegment } from './finding';
export { RULES } from './rule-catalog';
export type { RuleId, RuleDescription } from './rule-catalog';

/** How to judge: the feature flags and where each document came from (see {@link DocumentJudgeOptions}). */
export type CheckOptions = DocumentJudgeOptions;

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
  const set = new DocumentSet(documents, options.documentSources);
  const collector = new FindingCollector();
  const context = new CheckContext(set, featureFlags, collector);
  for (const document of set.misfits) checkMisfitDocument(context, document);
  for (const document of set.judged) checkDocument(context, document);
  for (const document of set.triggers) checkTriggersDocument(context, document);
  return collector.all().sort(compareFindings);
}
