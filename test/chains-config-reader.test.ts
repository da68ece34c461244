import { Chart, Testing } from 'cdk8s';
import { chainsAnnotations, isChainsResultAnnotation, withoutChainsResultAnnotations } from '../src/chains/chains-annotations';
import { ChainsConfig } from '../src/chains/chains-config';
import { ChainsConfigError, CHAINS_CONFIG_KEYS, provenanceConfigFor, readChainsConfig } from '../src/chains/chains-config-reader';

describe('readChainsConfig', () => {
  test('reads back what the ChainsConfig construct writes (one set of key names for both)', () => {
    const chart: Chart = Testing.chart();
    const written = new ChainsConfig(chart, 'chains', {
      pipelineRunFormat: 'slsa/v2alpha3',
      taskRunFormat: 'slsa/v1',
      pipelineRunDeepInspection: true,
      pipelineRunStorage: ['tekton', 'oci'],
      taskRunStorage: [],
      builderId: 'https://example.com/b',
      buildType: 'https://tekton.dev/chains/v2/slsa-tekton',
      transparency: 'manual',
      pipelineRunSigner: 'kms',
      kmsRef: 'gcpkms://k',
    });
    expect(readChainsConfig(written.data)).toEqual({
      format: 'slsa/v2alpha3',
      builderId: 'https://example.com/b',
      buildType: 'https://tekton.dev/chains/v2/slsa-tekton',
      deepInspection: true,
      storage: ['tekton', 'oci'],
      transparency: true,
      signer: 'kms',
      taskRunFormat: 'slsa/v1',
      taskRunStorage: [],
      taskRunSigner: 'x509',
    });
  });
  test("booleans are Go's strconv.ParseBool; text it refuses leaves the default, as in Chains", () => {
    expect(readChainsConfig({ [CHAINS_CONFIG_KEYS.pipelineRunDeepInspection]: 'T' }).deepInspection).toBe(true);
    expect(readChainsConfig({ [CHAINS_CONFIG_KEYS.pipelineRunDeepInspection]: '1' }).deepInspection).toBe(true);
    expect(readChainsConfig({ [CHAINS_CONFIG_KEYS.pipelineRunDeepInspection]: 'yes' }).deepInspection).toBe(false);
  });
  test('storage lists are trimmed; an empty one turns signing off; an unknown backend is refused', () => {
    expect(readChainsConfig({ 'artifacts.taskrun.storage': ' tekton , oci' }).taskRunStorage).toEqual(['tekton', 'oci']);
    expect(readChainsConfig({ 'artifacts.pipelinerun.storage': '' }).storage).toEqual([]);
    expect(() => readChainsConfig({ 'artifacts.pipelinerun.storage': 'kafka' })).toThrow(ChainsConfigError);
    expect(() => readChainsConfig({ 'artifacts.taskrun.storage': 'kafka' })).not.toThrow();
  });
  test('values Chains refuses are refused, naming the key', () => {
    expect(() => readChainsConfig({ 'builddefinition.buildtype': 'https://x' })).toThrow(
      /chains-config builddefinition.buildtype "https:\/\/x" is not one Chains v0.29.2 accepts/,
    );
    expect(() => readChainsConfig({ 'artifacts.pipelinerun.signer': 'pgp' })).toThrow(/artifacts.pipelinerun.signer "pgp"/);
  });
  test('provenanceConfigFor: the TaskRun format for TaskRuns, deep inspection for PipelineRuns only', () => {
    const settings = readChainsConfig({
      'artifacts.pipelinerun.format': 'slsa/v2alpha4',
      'artifacts.taskrun.format': 'slsa/v2alpha3',
      'artifacts.pipelinerun.enable-deep-inspection': 'true',
    });
    expect(provenanceConfigFor(settings, 'PipelineRun')).toMatchObject({ format: 'slsa/v2alpha4', deepInspection: true });
    expect(provenanceConfigFor(settings, 'TaskRun')).toMatchObject({ format: 'slsa/v2alpha3', deepInspection: false });
  });
});

describe('Chains annotations', () => {
  test('the tekton storage keys: payload, signature, cert, chain by kind and uid, and signed', () => {
    expect(Object.keys(chainsAnnotations('taskrun', 'u1', Buffer.from('{}'), { payload: '' }))).toEqual([
      'chains.tekton.dev/payload-taskrun-u1',
      'chains.tekton.dev/signature-taskrun-u1',
      'chains.tekton.dev/cert-taskrun-u1',
      'chains.tekton.dev/chain-taskrun-u1',
      'chains.tekton.dev/signed',
    ]);
  });
  test('a signed run seen as Chains saw it: the annotations of its signing set aside, others kept', () => {
    const run = {
      metadata: {
        annotations: {
          ...chainsAnnotations('pipelinerun', 'u', Buffer.from('{}'), {}),
          'chains.tekton.dev/transparency': 'https://rekor',
          mine: 'x',
        },
      },
    };
    expect(withoutChainsResultAnnotations(run).metadata.annotations).toEqual({ mine: 'x' });
    expect(isChainsResultAnnotation('chains.tekton.dev/retries')).toBe(false);
    const only = { metadata: { name: 'n', annotations: { 'chains.tekton.dev/signed': 'true' } } };
    expect(withoutChainsResultAnnotations(only).metadata).toEqual({ name: 'n' });
    const untouched = { metadata: { annotations: { mine: 'x' } } };
    expect(withoutChainsResultAnnotations(untouched)).toBe(untouched);
  });
});
