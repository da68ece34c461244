import { CheckContext } from './check-context';
import { TektonDocument } from './document-set';
import { FindingTarget } from './finding-collector';
import { asObject, asString, quote } from '../tekton-model/json-shape';
import { isDns1123Subdomain } from '../tekton-model/names';
import { checkUnknownFields } from './field-unknown-rules';
import { checkPipelineSpec } from './pipeline-spec-rules';
import { checkPipelineRunSpec, checkTaskRunSpec } from './run-rules';
import { checkStepActionSpec } from './step-ref-rules';
import { checkTaskSpec } from './task-spec-rules';

/** The API versions Tekton Pipelines v1.15.0 serves, by kind (its CRDs). */
const SERVED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  Task: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  Pipeline: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  TaskRun: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  PipelineRun: ['tekton.dev/v1', 'tekton.dev/v1beta1'],
  StepAction: ['tekton.dev/v1beta1', 'tekton.dev/v1alpha1'],
};

/**
 * Judges one Tekton document: its metadata and its spec, by kind. An API version the v1.15.0
 * CRDs do not serve is reported alone (the API server refuses the object before anything else).
 */
export function checkDocument(context: CheckContext, document: TektonDocument): void {
  const root: FindingTarget = { object: `${document.kind}/${document.name}`, documentIndex: document.documentIndex, basePath: [] };
  const apiVersion = asString(document.object.apiVersion);
  const served = SERVED_VERSIONS[document.kind];
  if (apiVersion !== undefined && served && !served.includes(apiVersion)) {
    context.report(root, 'api-version-unserved', ['apiVersion'], `the Tekton Pipelines v1.15.0 CRDs serve no ${document.kind} in ${quote(apiVersion)}, so the API server refuses it; use ${served.map(quote).join(' or ')}`);
    return;
  }
  checkUnknownFields(context, document);
  const metadata = asObject(document.object.metadata);
  const name = asString(metadata?.name);
  const rawName = metadata?.name;
  if (rawName !== undefined && rawName !== null && name === undefined) {
    context.report(root, 'metadata-name-invalid', ['metadata', 'name'], `metadata.name is ${Array.isArray(rawName) ? 'a list' : typeof rawName === 'object' ? 'a mapping' : `the ${typeof rawName} ${String(rawName)}`}, not a string, so the API server refuses the object; quote it`);
  } else if (name === undefined) {
    if (!asString(metadata?.generateName)) context.report(root, 'metadata-name-invalid', ['metadata', 'name'], 'neither metadata.name nor metadata.generateName is set; set a name');
  } else if (name.length > 63) {
    context.report(root, 'metadata-name-invalid', ['metadata', 'name'], `name ${quote(name)} is ${name.length} characters long; Tekton allows at most 63`);
  } else if (!isDns1123Subdomain(name)) {
    context.report(root, 'metadata-name-invalid', ['metadata', 'name'], `name ${quote(name)} is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and ".", starting and ending alphanumeric`);
  }
  const spec = asObject(document.object.spec);
  const specTarget: FindingTarget = { ...root, basePath: ['spec'] };
  if (!spec) {
    context.report(root, 'document-invalid', ['spec'], 'spec is missing or not an object; add a spec');
    return;
  }
  switch (document.kind) {
    case 'Task':
      checkTaskSpec(context, specTarget, spec);
      return;
    case 'Pipeline':
      checkPipelineSpec(context, specTarget, spec, { validation: 'pipeline' });
      return;
    case 'PipelineRun':
      checkPipelineRunSpec(context, specTarget, spec);
      return;
    case 'TaskRun':
      checkTaskRunSpec(context, specTarget, spec);
      return;
    case 'StepAction':
      checkStepActionSpec(context, specTarget, spec);
      return;
    default:
      return;
  }
}
