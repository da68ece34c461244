import { CheckContext } from './check-context';
import { MisfitDocument, servedUnjudgedVersions, TektonDocument } from './document-set';
import { asObject, asString, quote } from '../tekton-model/json-shape';
import { isDns1123Subdomain, isDns1123SubdomainPrefix } from '../tekton-model/names';
import { isPacDocument, pacGenerateName } from '../tekton-model/pac-placeholders';
import { checkUnknownFields } from './field-unknown-rules';
import { checkPipelineSpec } from './pipeline-spec-rules';
import { checkPipelineRunSpec, checkTaskRunSpec } from './run-rules';
import { checkStepActionSpec } from './step-ref-rules';
import { checkTaskSpec } from './task-spec-rules';
import { ScopedReporter } from './scoped-reporter';
import { checkV1beta1Fields } from './v1beta1-rules';
import { TRIGGERS_KINDS } from '../tekton-model/triggers';

/** The API versions Tekton Pipelines v1.15.0 serves, by kind (its CRDs). */
const SERVED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  Task: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  Pipeline: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  TaskRun: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  PipelineRun: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  StepAction: ['tekton.dev/v1beta1', 'tekton.dev/v1alpha1'],
};

/** What to use instead of a `tekton.dev` kind that Tekton Pipelines no longer serves. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  PipelineResource:
    "PipelineResources are gone from Tekton Pipelines; pass what they held through params, results and workspaces (e.g. the catalog's git-clone Task)",
  Run: 'the v1alpha1 Run became tekton.dev/v1beta1 CustomRun',
  Condition: 'Conditions are gone from Tekton Pipelines; use when expressions on the pipeline task',
  ClusterTask: 'ClusterTask is gone from Tekton Pipelines; use a Task, referred to through the cluster resolver for a shared one',
};

/**
 * Judges a document the API server refuses whole (see {@link DocumentSet.misfits}): a
 * `tekton.dev` kind or version no v1.15.0 CRD serves, or a document with no kind.
 */
export function checkMisfitDocument(context: CheckContext, document: MisfitDocument): void {
  if (document.kind === undefined) {
    const raw = document.object.kind;
    const what =
      raw === undefined || raw === null
        ? 'kind is missing'
        : `kind is ${Array.isArray(raw) ? 'a list' : typeof raw === 'object' ? 'a mapping' : `the ${typeof raw} ${String(raw)}`}, not a string`;
    const r = ScopedReporter.forDocument(context, `Object/${document.name}`, document.documentIndex);
    r.report(
      'kind-missing',
      ['kind'],
      `${what} (apiVersion ${quote(document.apiVersion)}), so kubectl and the API server refuse the document; set the kind`,
    );
    return;
  }
  const r = ScopedReporter.forDocument(context, `${document.kind}/${document.name}`, document.documentIndex);
  const served =
    (Object.hasOwn(SERVED_VERSIONS, document.kind) ? SERVED_VERSIONS[document.kind] : undefined) ?? servedUnjudgedVersions(document.kind);
  const instead = TRIGGERS_KINDS.has(document.kind)
    ? `${document.kind} is a Tekton Triggers kind, served in triggers.tekton.dev (e.g. triggers.tekton.dev/v1beta1), not tekton.dev`
    : ((Object.hasOwn(REPLACEMENTS, document.kind) ? REPLACEMENTS[document.kind] : undefined) ??
      (served
        ? `use ${served.map(quote).join(' or ')}`
        : 'the tekton.dev kinds are Task, Pipeline, TaskRun, PipelineRun, StepAction, CustomRun and VerificationPolicy'));
  r.report(
    'api-version-unserved',
    [served ? 'apiVersion' : 'kind'],
    `the Tekton Pipelines v1.15.0 CRDs serve no ${document.kind} in ${quote(document.apiVersion)}, so the API server refuses it; ${instead}`,
  );
}

/**
 * Judges one Tekton document: its metadata and its spec, by kind. An API version the v1.15.0
 * CRDs do not serve is reported alone (the API server refuses the object before anything else).
 */
export function checkDocument(context: CheckContext, document: TektonDocument): void {
  const root = ScopedReporter.forDocument(context, `${document.kind}/${document.name}`, document.documentIndex);
  const apiVersion = asString(document.object.apiVersion);
  const served = SERVED_VERSIONS[document.kind];
  if (apiVersion !== undefined && served && !served.includes(apiVersion)) {
    root.report(
      'api-version-unserved',
      ['apiVersion'],
      `the Tekton Pipelines v1.15.0 CRDs serve no ${document.kind} in ${quote(apiVersion)}, so the API server refuses it; use ${served.map(quote).join(' or ')}`,
    );
    return;
  }
  checkUnknownFields(root, document);
  const metadata = asObject(document.object.metadata);
  const name = asString(metadata?.name);
  const rawName = metadata?.name;
  const generateName = asString(metadata?.generateName) || undefined;
  // a PipelineRun Pipelines-as-Code creates gets its name as a generateName prefix
  const pacPrefix = document.kind === 'PipelineRun' && isPacDocument(document.object) ? pacGenerateName(document.object) : undefined;
  if (pacPrefix !== undefined) {
    if (!isDns1123SubdomainPrefix(pacPrefix))
      root.report(
        'metadata-name-invalid',
        ['metadata', 'name'],
        `name ${quote(name ?? '')} is not a DNS-1123 subdomain, so the generateName ${quote(pacPrefix)} Pipelines-as-Code creates the run with is refused; use lowercase letters, digits, "-" and ".", starting alphanumeric`,
      );
  } else if (name === undefined && generateName !== undefined && (rawName === undefined || rawName === null)) {
    if (!isDns1123SubdomainPrefix(generateName))
      root.report(
        'metadata-name-invalid',
        ['metadata', 'generateName'],
        `generateName ${quote(generateName)} is not a DNS-1123 subdomain prefix, so the API server refuses it; use lowercase letters, digits, "-" and ".", starting alphanumeric`,
      );
  } else if (rawName !== undefined && rawName !== null && name === undefined) {
    root.report(
      'metadata-name-invalid',
      ['metadata', 'name'],
      `metadata.name is ${Array.isArray(rawName) ? 'a list' : typeof rawName === 'object' ? 'a mapping' : `the ${typeof rawName} ${String(rawName)}`}, not a string, so the API server refuses the object; quote it`,
    );
  } else if (name === undefined) {
    if (generateName === undefined)
      root.report('metadata-name-invalid', ['metadata', 'name'], 'neither metadata.name nor metadata.generateName is set; set a name');
  } else if (name.length > 63) {
    root.report(
      'metadata-name-invalid',
      ['metadata', 'name'],
      `name ${quote(name)} is ${name.length} characters long; Tekton allows at most 63`,
    );
  } else if (!isDns1123Subdomain(name)) {
    root.report(
      'metadata-name-invalid',
      ['metadata', 'name'],
      `name ${quote(name)} is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and ".", starting and ending alphanumeric`,
    );
  }
  const spec = asObject(document.object.spec);
  const specReporter = root.nested(['spec']);
  if (!spec) {
    root.report('document-invalid', ['spec'], 'spec is missing or not an object; add a spec');
    return;
  }
  if (apiVersion === 'tekton.dev/v1beta1') checkV1beta1Fields(specReporter, document, spec);
  switch (document.kind) {
    case 'Task':
      checkTaskSpec(specReporter, spec);
      return;
    case 'Pipeline':
      checkPipelineSpec(specReporter, spec, { validation: 'pipeline' });
      return;
    case 'PipelineRun':
      checkPipelineRunSpec(specReporter, spec);
      return;
    case 'TaskRun':
      checkTaskRunSpec(specReporter, spec);
      return;
    case 'StepAction':
      checkStepActionSpec(specReporter, spec);
      return;
    default:
      return;
  }
}
