import { Testing } from 'cdk8s';
import { ChainsConfig, ChainsConfigProps } from '../src/chains/chains-config';
import { TektonFeatureFlags, TektonFeatureFlagsProps } from '../src/chains/tekton-feature-flags';
import { missingSubjectProblem, PipelineJson, TaskJson } from '../src/chains/attestation-subject-check';

/** Runs the construct validations of a fresh chart holding one construct; returns the messages. */
function validationErrors(make: (chart: ReturnType<typeof Testing.chart>) => void): string[] {
  const chart = Testing.chart();
  make(chart);
  return chart.node.findAll().flatMap((c) => c.node.validate());
}

describe('TektonFeatureFlags', () => {
  test('renders every key with tekton v1.15.0 defaults, param enum on', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new TektonFeatureFlags(chart, 'flags');
    // THEN
    const [cm] = Testing.synth(chart);
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'feature-flags', namespace: 'tekton-pipelines' } });
    expect(cm.data['enable-param-enum']).toBe('true');
    expect(cm.data['enable-api-fields']).toBe('beta');
    expect(cm.data['results-from']).toBe('termination-message');
    expect(cm.data['coschedule']).toBe('workspaces');
    expect(cm.data['enable-provenance-in-status']).toBe('true');
    expect(cm.data['disable-inline-spec']).toBe('');
    expect(cm.data).not.toHaveProperty('max-result-size');
    expect(Object.keys(cm.data)).toHaveLength(25);
  });

  test('renders the keys of the v1.15.0 ConfigMap and no other', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const file = path.resolve(__dirname, '..', '..', 'shared', 'tekton', 'pipeline-crds', 'config-feature-flags.yaml');
    if (!fs.existsSync(file)) {
      console.log(`skipped: ${file} is absent (no ../shared checkout)`);
      return;
    }
    const upstream = require('yaml').parse(fs.readFileSync(file, 'utf8'));
    const chart = Testing.chart();
    new TektonFeatureFlags(chart, 'flags', { resultsFrom: 'sidecar-logs', maxResultSize: 8192 });
    const [cm] = Testing.synth(chart);
    // upstream comments max-result-size out; every key it lists is ours too, with the same default but param enum
    const ours = Object.keys(cm.data)
      .filter((k) => k !== 'max-result-size')
      .sort();
    expect(ours).toEqual(Object.keys(upstream.data).sort());
    for (const key of ours) {
      if (['enable-param-enum', 'results-from'].includes(key)) continue;
      expect([key, cm.data[key]]).toEqual([key, upstream.data[key]]);
    }
  });

  test('typed props land on their wire names', () => {
    const chart = Testing.chart();
    new TektonFeatureFlags(chart, 'flags', {
      enableApiFields: 'alpha',
      disableInlineSpec: ['pipelinerun', 'taskrun'],
      setSecurityContext: true,
      enableParamEnum: false,
    });
    const [cm] = Testing.synth(chart);
    expect(cm.data).toMatchObject({
      'enable-api-fields': 'alpha',
      'disable-inline-spec': 'pipelinerun,taskrun',
      'set-security-context': 'true',
      'enable-param-enum': 'false',
    });
  });

  test.each<[string, TektonFeatureFlagsProps, RegExp]>([
    ['bad api level', { enableApiFields: 'gamma' as never }, /enable-api-fields is "gamma", expected one of stable, beta, alpha/],
    ['bad coschedule', { coschedule: 'nodes' as never }, /coschedule is "nodes"/],
    ['bad inline kind', { disableInlineSpec: ['task' as never] }, /disable-inline-spec is "task"/],
    ['result size at the CRD limit', { resultsFrom: 'sidecar-logs', maxResultSize: 1572864 }, /reaches the 1.5 MiB CRD limit/],
    ['result size without sidecar logs', { maxResultSize: 8192 }, /results-from is not "sidecar-logs"/],
  ])('reports %s', (_name, props, message) => {
    const errors = validationErrors((chart) => new TektonFeatureFlags(chart, 'flags', props));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test('accepts a result size just under the limit with sidecar logs', () => {
    expect(
      validationErrors((chart) => new TektonFeatureFlags(chart, 'flags', { resultsFrom: 'sidecar-logs', maxResultSize: 1572863 })),
    ).toEqual([]);
  });
});

describe('ChainsConfig', () => {
  test('defaults: slsa/v2alpha4 in tekton storage, transparency on, nothing else', () => {
    const chart = Testing.chart();
    const config = new ChainsConfig(chart, 'chains');
    const [cm] = Testing.synth(chart);
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'chains-config', namespace: 'tekton-chains' } });
    expect(cm.data).toEqual({
      'artifacts.taskrun.format': 'slsa/v2alpha4',
      'artifacts.taskrun.storage': 'tekton',
      'artifacts.pipelinerun.format': 'slsa/v2alpha4',
      'artifacts.pipelinerun.storage': 'tekton',
      'transparency.enabled': 'true',
    });
    expect(config.pipelineRunFormat).toBe('slsa/v2alpha4');
  });

  test('has a prop for every key Chains v0.29.2 reads (pkg/config/config.go at tag v0.29.2)', () => {
    // the keys of NewConfigFromMap at tektoncd/chains 95351f58cbe207721c93699b384a87abd23c9934
    const upstreamKeys = [
      'artifacts.taskrun.format',
      'artifacts.taskrun.storage',
      'artifacts.taskrun.signer',
      'artifacts.pipelinerun.format',
      'artifacts.pipelinerun.storage',
      'artifacts.pipelinerun.signer',
      'artifacts.pipelinerun.enable-deep-inspection',
      'artifacts.oci.format',
      'artifacts.oci.storage',
      'artifacts.oci.signer',
      'storage.gcs.bucket',
      'storage.oci.repository',
      'storage.oci.repository.insecure',
      'storage.oci.encoding-format',
      'storage.docdb.url',
      'storage.docdb.mongo-server-url',
      'storage.docdb.mongo-server-url-dir',
      'storage.docdb.mongo-server-url-path',
      'storage.archivista.url',
      'storage.grafeas.projectid',
      'storage.grafeas.noteid',
      'storage.grafeas.notehint',
      'storage.pubsub.provider',
      'storage.pubsub.topic',
      'storage.pubsub.kafka.bootstrap.servers',
      'signers.kms.kmsref',
      'signers.kms.auth.address',
      'signers.kms.auth.token',
      'signers.kms.auth.oidc.path',
      'signers.kms.auth.oidc.role',
      'signers.kms.auth.oidc.token-path',
      'signers.kms.auth.token-path',
      'signers.kms.auth.spire.sock',
      'signers.kms.auth.spire.audience',
      'signers.x509.fulcio.enabled',
      'signers.x509.fulcio.address',
      'signers.x509.fulcio.issuer',
      'signers.x509.fulcio.provider',
      'signers.x509.identity.token.file',
      'signers.x509.tuf.mirror.url',
      'builder.id',
      'transparency.enabled',
      'transparency.url',
      'builddefinition.buildtype',
    ];
    const chart = Testing.chart();
    const every: Required<Omit<ChainsConfigProps, 'namespace'>> = {
      taskRunFormat: 'in-toto',
      taskRunStorage: ['tekton'],
      taskRunSigner: 'x509',
      pipelineRunFormat: 'slsa/v2alpha4',
      pipelineRunStorage: ['tekton'],
      pipelineRunSigner: 'x509',
      pipelineRunDeepInspection: true,
      ociFormat: 'simplesigning',
      ociStorage: ['oci'],
      ociSigner: 'x509',
      gcsBucket: 'b',
      ociRepository: 'r',
      ociRepositoryInsecure: false,
      ociEncodingFormat: 'dsse',
      docdbUrl: 'firestore://x',
      docdbMongoServerUrl: 'mongodb://x',
      docdbMongoServerUrlDir: '/d',
      docdbMongoServerUrlPath: '/p',
      archivistaUrl: 'https://a.example',
      grafeasProjectId: 'p',
      grafeasNoteId: 'n',
      grafeasNoteHint: 'h',
      pubsubProvider: 'kafka',
      pubsubTopic: 't',
      pubsubKafkaBootstrapServers: 'k:9092',
      kmsRef: 'hashivault://k',
      kmsAuthAddress: 'https://v',
      kmsAuthToken: 't',
      kmsAuthOidcPath: 'jwt',
      kmsAuthOidcRole: 'r',
      kmsAuthOidcTokenPath: '/t',
      kmsAuthTokenPath: '/s',
      kmsAuthSpireSock: 'unix:///s',
      kmsAuthSpireAudience: 'a',
      x509FulcioEnabled: true,
      x509FulcioAddress: 'https://f',
      x509FulcioIssuer: 'https://i',
      x509FulcioProvider: 'google',
      x509IdentityTokenFile: '/id',
      x509TufMirrorUrl: 'https://tuf',
      builderId: 'https://b',
      transparency: true,
      transparencyUrl: 'https://rekor',
      buildType: 'https://tekton.dev/chains/v2/slsa',
    };
    new ChainsConfig(chart, 'chains', every);
    expect(Object.keys(Testing.synth(chart)[0].data).sort()).toEqual([...upstreamKeys].sort());
  });

  test('storage lists join with commas; an empty list disables', () => {
    const chart = Testing.chart();
    new ChainsConfig(chart, 'chains', {
      pipelineRunStorage: ['tekton', 'gcs'],
      gcsBucket: 'attestations',
      taskRunStorage: [],
      transparency: 'manual',
    });
    const [cm] = Testing.synth(chart);
    expect(cm.data).toMatchObject({
      'artifacts.pipelinerun.storage': 'tekton,gcs',
      'artifacts.taskrun.storage': '',
      'storage.gcs.bucket': 'attestations',
      'transparency.enabled': 'manual',
    });
  });

  test.each<[string, ChainsConfigProps, RegExp]>([
    [
      'an unknown format',
      { pipelineRunFormat: 'slsa/v2alpha2' as never },
      /artifacts\.pipelinerun\.format is "slsa\/v2alpha2", expected one of in-toto, slsa\/v1, slsa\/v2alpha3, slsa\/v2alpha4/,
    ],
    ['kafka for pipelineruns', { pipelineRunStorage: ['kafka' as never] }, /artifacts\.pipelinerun\.storage is "kafka"/],
    [
      'gcs without a bucket',
      { pipelineRunStorage: ['tekton', 'gcs'] },
      /storage backend "gcs" is used but storage\.gcs\.bucket is not set/,
    ],
    ['kms without a key', { pipelineRunSigner: 'kms' }, /the kms signer is used but signers\.kms\.kmsref is not set/],
    ['a kms ref of an unknown scheme', { kmsRef: 'vault://key' }, /signers\.kms\.kmsref is "vault:\/\/key"/],
    ['an unknown build type', { buildType: 'https://example.com/x' as never }, /builddefinition\.buildtype is "https:\/\/example\.com\/x"/],
    ['a note id with spaces', { grafeasNoteId: 'my note' }, /noteid is "my note"/],
    ['a transparency url that is no url', { transparencyUrl: 'rekor' }, /transparency\.url is "rekor", expected an http\(s\) url/],
  ])('reports %s', (_name, props, message) => {
    const errors = validationErrors((chart) => new ChainsConfig(chart, 'chains', props));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  test('accepts the close cases: gcs with a bucket, kms with a gcpkms key, slsa-tekton build type', () => {
    expect(
      validationErrors(
        (chart) =>
          new ChainsConfig(chart, 'chains', {
            pipelineRunStorage: ['tekton', 'gcs'],
            gcsBucket: 'b',
            pipelineRunSigner: 'kms',
            kmsRef: 'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k',
            buildType: 'https://tekton.dev/chains/v2/slsa-tekton',
            transparencyUrl: 'https://rekor.example.com',
          }),
      ),
    ).toEqual([]);
  });
});

describe('missingSubjectProblem', () => {
  const upload: TaskJson = {
    metadata: { name: 'upload' },
    spec: { results: [{ name: 'model_ARTIFACT_OUTPUTS', type: 'object', properties: { uri: {}, digest: {}, isBuildArtifact: {} } }] },
  };
  const pipelineWith = (results: NonNullable<PipelineJson['spec']>['results']): PipelineJson => ({
    metadata: { name: 'p' },
    spec: { tasks: [{ name: 'upload-model', taskRef: { name: 'upload' } }], results },
  });

  test('an ARTIFACT_OUTPUTS object with a literal isBuildArtifact "true" is a subject under v2alpha4', () => {
    const pipeline = pipelineWith([
      {
        name: 'model_ARTIFACT_OUTPUTS',
        type: 'object',
        value: {
          uri: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS.uri)',
          digest: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS.digest)',
          isBuildArtifact: 'true',
        },
      },
    ]);
    expect(missingSubjectProblem(pipeline, 'slsa/v2alpha4', [upload])).toBeUndefined();
  });

  test('without isBuildArtifact the same result is only a byproduct under v2alpha4, and the message names it and the fix', () => {
    const pipeline = pipelineWith([
      {
        name: 'model_ARTIFACT_OUTPUTS',
        type: 'object',
        value: {
          uri: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS.uri)',
          digest: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS.digest)',
        },
      },
    ]);
    const problem = missingSubjectProblem(pipeline, 'slsa/v2alpha4', [upload]);
    expect(problem).toMatch(/^pipeline "p": no result would become an attestation subject under chains format slsa\/v2alpha4/);
    expect(problem).toMatch(/result "model_ARTIFACT_OUTPUTS" has no isBuildArtifact key.*set isBuildArtifact: "true"/);
    // slsa/v2alpha3 makes every ARTIFACT_OUTPUTS a subject
    expect(missingSubjectProblem(pipeline, 'slsa/v2alpha3', [upload])).toBeUndefined();
  });

  test('a whole-object reference takes its keys from the task result declaration', () => {
    const pipeline = pipelineWith([
      { name: 'model_ARTIFACT_OUTPUTS', type: 'object', value: '$(tasks.upload-model.results.model_ARTIFACT_OUTPUTS[*])' },
    ]);
    expect(missingSubjectProblem(pipeline, 'slsa/v2alpha4', [upload])).toBeUndefined();
    const withoutMarker: TaskJson = {
      metadata: { name: 'upload' },
      spec: { results: [{ name: 'model_ARTIFACT_OUTPUTS', type: 'object', properties: { uri: {}, digest: {} } }] },
    };
    expect(missingSubjectProblem(pipeline, 'slsa/v2alpha4', [withoutMarker])).toMatch(/no isBuildArtifact key/);
  });

  test('only inputs: no subject, with the generic fix', () => {
    const pipeline = pipelineWith([
      { name: 'source_ARTIFACT_INPUTS', type: 'object', value: { uri: 'git+https://x', digest: '$(tasks.a.results.b)' } },
    ]);
    expect(missingSubjectProblem(pipeline, 'slsa/v2alpha4')).toMatch(/declare an object pipeline result "<name>_ARTIFACT_OUTPUTS"/);
  });
});
