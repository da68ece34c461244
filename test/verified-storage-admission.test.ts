// The admission policy that lets the serving namespace serve only copies the deploy gate promoted:
// each CEL validation evaluated (with a CEL interpreter) on InferenceServices that must pass and
// ones that must be refused, and held to KServe's CRD so that no storage field is left unchecked.
import { Testing } from 'cdk8s';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PREDICTOR_FRAMEWORK_FIELDS, VerifiedStorageAdmission, verifiedStorageValidations } from '../src/kserve';

const HEX = 'ab'.repeat(32);
const CRD = path.resolve(__dirname, '..', '..', 'shared', 'kserve', 'crds', 'serving.kserve.io_inferenceservices.yaml');

/** Evaluates CEL expressions on an object in a child process (the CEL interpreter is an ES module). */
const CEL_EVALUATOR = `
import { evaluate } from '@marcbachmann/cel-js';
const { expressions, object } = JSON.parse(process.argv[1]);
process.stdout.write(JSON.stringify(expressions.map((e) => { try { return evaluate(e, { object }) === true; } catch { return false; } })));
`;

/** The messages of the validations an InferenceService fails (an evaluation error counts as a failure, as failurePolicy Fail). */
function refusals(object: unknown, gcsBucket?: string): string[] {
  const validations = verifiedStorageValidations('slsa-for-models-models', gcsBucket);
  const result = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', CEL_EVALUATOR, JSON.stringify({ expressions: validations.map((v) => v.expression), object })],
    { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(result.stderr);
  const passed = JSON.parse(result.stdout) as boolean[];
  return validations.filter((_, i) => !passed[i]).map((v) => v.message);
}

const isvc = (predictor: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'm' },
  spec: { predictor, ...spec },
});
const promoted = {
  modelFormat: { name: 'pytorch' },
  runtime: 'kserve-torchserve',
  storageUri: `pvc://slsa-for-models-models/sha256-${HEX}`,
};

describe('VerifiedStorageAdmission', () => {
  test('renders a Deny-bound ValidatingAdmissionPolicy for InferenceServices in the serving namespace', () => {
    const chart = Testing.chart();
    new VerifiedStorageAdmission(chart, 'Admission', { namespace: 'ml' });
    const [policy, binding] = Testing.synth(chart);
    expect(policy).toMatchObject({
      kind: 'ValidatingAdmissionPolicy',
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'] }] },
      },
    });
    expect(binding).toMatchObject({
      kind: 'ValidatingAdmissionPolicyBinding',
      spec: {
        policyName: policy.metadata.name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ml' } } },
      },
    });
  });

  test('the InferenceService the gate applies passes; so does a bucket copy where a bucket is named', () => {
    expect(refusals(isvc({ model: promoted, serviceAccountName: 'sa', minReplicas: 1 }))).toEqual([]);
    const gs = { ...promoted, storageUri: `gs://my-models/sha256-${HEX}` };
    expect(refusals(isvc({ model: gs }), 'my-models')).toEqual([]);
    // the near case: the same bucket copy without a bucket configured is refused
    expect(refusals(isvc({ model: gs }))).toHaveLength(1);
  });

  test.each([
    [
      'a model from anywhere else',
      isvc({ model: { ...promoted, storageUri: 'gs://evil/model.pt' } }),
      'spec.predictor.model.storageUri must name',
    ],
    [
      'another claim',
      isvc({ model: { ...promoted, storageUri: `pvc://other/sha256-${HEX}` } }),
      'spec.predictor.model.storageUri must name',
    ],
    ['a path under the copy', isvc({ model: { ...promoted, storageUri: `pvc://slsa-for-models-models/sha256-${HEX}/../x` } }), 'must name'],
    ['no storageUri', isvc({ model: { modelFormat: { name: 'pytorch' } } }), 'spec.predictor.model.storageUri must name'],
    ['storageUris beside it', isvc({ model: { ...promoted, storageUris: [{ uri: 'gs://evil/x' }] } }), 'no storage, no storageUris'],
    ['a storage spec', isvc({ model: { ...promoted, storage: { key: 'k', path: 'x' } } }), 'no storage, no storageUris'],
    ['a storage container by name', isvc({ model: promoted, storageContainerName: 'default' }), 'storageContainerName'],
    ['a framework field', isvc({ model: promoted, pytorch: { storageUri: 'gs://evil/m' } }), 'framework field'],
    ['custom containers', isvc({ model: promoted, containers: [{ name: 'c', image: 'evil' }] }), 'containers or initContainers'],
    ['an init container', isvc({ model: promoted, initContainers: [{ name: 'c', image: 'evil' }] }), 'containers or initContainers'],
    ['a transformer', isvc({ model: promoted }, { transformer: { containers: [] } }), 'a transformer, an explainer or a canary'],
    ['a canary', isvc({ model: promoted }, { canary: [{ predictor: {} }] }), 'a transformer, an explainer or a canary'],
  ])('refuses %s', (_what, object, message) => {
    const refused = refusals(object);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.join('\n')).toContain(message);
  });

  (fs.existsSync(CRD) ? test : test.skip)("every predictor field of KServe's CRD that names a model is refused, model aside", () => {
    const crd = parse(fs.readFileSync(CRD, 'utf8'));
    const predictor = crd.spec.versions.find((v: any) => v.name === 'v1beta1').schema.openAPIV3Schema.properties.spec.properties.predictor
      .properties;
    const withStorage = Object.keys(predictor).filter((k) => predictor[k]?.properties?.storageUri !== undefined && k !== 'model');
    expect([...withStorage].sort()).toEqual([...PREDICTOR_FRAMEWORK_FIELDS].sort());
  });
});
