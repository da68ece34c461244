// The deploy gate's constructs: what `kubectl apply -f dist/deploy` installs, judged as Tekton, the
// KServe CRDs and Pod Security "restricted" would judge it.
import { App, Chart, Testing } from 'cdk8s';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDocuments } from '../src/check';
import { KSERVE_DEPLOYMENT_MODE_ANNOTATION, ModelInferenceService } from '../src/kserve';
import { DEFAULT_DEPLOY_GATE_POLICY } from '../src/main';
import { verifierBundle } from '../src/models/verifier-bundle';
import { VerifierConfigMaps } from '../src/models/verifier-config-maps';
import { deployGatePolicyProblems, durationSeconds, renderDeployGatePolicy } from '../src/models/deploy-gate-policy';
import { SlsaForModelsDeploy } from '../src/models/deploy-gate';
import { SlsaForModelsDeployRun } from '../src/models/deploy-gate-run';
import { DOWNLOAD_MODEL_SCRIPT, gateScript, UPLOAD_GCS_SCRIPT } from '../src/models/deploy-gate-tasks';
import { NODE_IMAGE } from '../src/models/deploy-images';
import { HARDENED_STEP_SECURITY_CONTEXT } from '../src/models/hardening';
import { PINNED_IMAGE_PATTERN } from '../src/models/images';
import { crdSchemaAvailable, formatSchemaProblems, validateAgainstCrd } from './support/crd-schema';

const ROOT = path.resolve(__dirname, '..');
// the bundle is made from lib/ (npm test builds first)
const bundle = verifierBundle(path.join(ROOT, 'lib'));

function synthDeploy(props: Partial<ConstructorParameters<typeof SlsaForModelsDeploy>[2]> = {}): any[] {
  const chart = Testing.chart();
  const deploy = new SlsaForModelsDeploy(chart, 'Deploy', { policy: DEFAULT_DEPLOY_GATE_POLICY, bundle, ...props });
  new SlsaForModelsDeployRun(chart, 'Run', { pipeline: deploy.pipeline, serviceAccountName: deploy.serviceAccount.name });
  return Testing.synth(chart);
}

const byKind = (docs: any[], kind: string, name?: string) =>
  docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

describe('SlsaForModelsDeploy', () => {
  const docs = synthDeploy();

  test('installs a namespaced Role, the store, two Tasks and the Pipeline; no Secret, no cluster-wide role, no second verifier', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name ?? d.metadata.generateName}`).sort()).toEqual([
      'PersistentVolumeClaim/slsa-for-models-models',
      'Pipeline/slsa-for-models-deploy',
      'PipelineRun/slsa-for-models-deploy-',
      'Role/slsa-for-models-deploy',
      'RoleBinding/slsa-for-models-deploy',
      'ServiceAccount/slsa-for-models-deploy',
      'Task/slsa-for-models-deploy-gate',
      'Task/slsa-for-models-deploy-inference-service',
    ]);
    expect(JSON.stringify(docs)).not.toMatch(/"kind":"(Secret|ClusterRole|ClusterRoleBinding)"|secretName|signing-secrets/);
  });

  test('the Role may get pipelineruns and write only the one InferenceService', () => {
    expect(byKind(docs, 'Role').rules).toEqual([
      { apiGroups: ['tekton.dev'], resources: ['pipelineruns'], verbs: ['get'] },
      { apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'], verbs: ['create'] },
      { apiGroups: ['serving.kserve.io'], resources: ['inferenceservices'], resourceNames: ['slsa-for-models'], verbs: ['get', 'patch'] },
    ]);
    expect(byKind(docs, 'RoleBinding')).toMatchObject({
      roleRef: { kind: 'Role', name: 'slsa-for-models-deploy' },
      subjects: [{ kind: 'ServiceAccount', name: 'slsa-for-models-deploy' }],
    });
  });

  test("mounts the verifier's ConfigMaps projected into one directory, and every gate step refuses an entry that is anything else", () => {
    expect(bundle.files.length).toBeGreaterThan(1);
    // the ConfigMaps are the training pipeline's (kubectl apply -f dist): one verifier for the namespace
    const chart = Testing.chart();
    new VerifierConfigMaps(chart, 'Verifier', { bundle });
    const configMaps = Testing.synth(chart);
    expect(configMaps.map((d) => d.metadata.name)).toEqual(
      bundle.files.map((_, i) => (i === 0 ? 'slsa-for-models-verifier' : `slsa-for-models-verifier-${i + 1}`)),
    );
    for (const [i, file] of bundle.files.entries()) {
      const configMap = byKind(configMaps, 'ConfigMap', i === 0 ? 'slsa-for-models-verifier' : `slsa-for-models-verifier-${i + 1}`);
      expect(configMap.data).toEqual({ [file.name]: file.text });
      expect(configMap.metadata.annotations['slsa-for-models.dev/sha256']).toBe(file.sha256);
      // what kubectl apply copies into its last-applied annotation (at most 256 KiB for all annotations)
      expect(Buffer.byteLength(JSON.stringify(configMap))).toBeLessThan(256 * 1024 - 4096);
    }
    for (const task of docs.filter((d) => d.kind === 'Task')) {
      expect(task.spec.volumes.find((v: any) => v.name === 'verifier')).toEqual({
        name: 'verifier',
        projected: {
          sources: bundle.files.map((file, i) => ({
            configMap: {
              name: i === 0 ? 'slsa-for-models-verifier' : `slsa-for-models-verifier-${i + 1}`,
              items: [{ key: file.name, path: file.name }],
            },
          })),
        },
      });
    }
    const steps = docs.filter((d) => d.kind === 'Task').flatMap((t) => t.spec.steps);
    expect(steps.map((s: any) => s.name)).toEqual(['fetch-run', 'download', 'verify', 'promote', 'deploy']);
    for (const step of steps.filter((s: any) => s.name !== 'download')) {
      expect(step.image).toBe(NODE_IMAGE);
      expect(step.script).toContain(`printf '%s  %s\\n' '${bundle.files[0].sha256}' '/verifier/verifier.js' | sha256sum -c --status`);
      expect(step.script).toContain(`exec node '/verifier/verifier.js' ${step.name === 'fetch-run' ? 'fetch-run' : step.name}`);
    }
  });

  test('every step is hardened, every pod restricted, every image pinned', () => {
    const steps = docs.filter((d) => d.kind === 'Task').flatMap((t) => t.spec.steps);
    for (const step of steps) {
      expect(step.securityContext).toEqual(HARDENED_STEP_SECURITY_CONTEXT);
      expect(step.image === '$(params.gcloud-image)' || PINNED_IMAGE_PATTERN.test(step.image)).toBe(true);
    }
    const gate = byKind(docs, 'Task', 'slsa-for-models-deploy-gate');
    expect(gate.spec.params.find((p: any) => p.name === 'gcloud-image').default).toMatch(PINNED_IMAGE_PATTERN);
    expect(byKind(docs, 'PipelineRun').spec.taskRunTemplate.podTemplate.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // volume types Pod Security "restricted" allows
    const volumes = docs.filter((d) => d.kind === 'Task').flatMap((t) => t.spec.volumes ?? []);
    expect(volumes.flatMap((v: any) => Object.keys(v).filter((k) => k !== 'name')).sort()).toEqual([
      'configMap',
      'configMap',
      'emptyDir',
      'projected',
      'projected',
    ]);
  });

  test('reads the public key from the published ConfigMap and renders the policy into the verify step', () => {
    const gate = byKind(docs, 'Task', 'slsa-for-models-deploy-gate');
    expect(gate.spec.volumes).toContainEqual({ name: 'signing-key', configMap: { name: 'slsa-for-models-signing-key' } });
    const verify = gate.spec.steps.find((s: any) => s.name === 'verify');
    const env = Object.fromEntries(verify.env.map((e: any) => [e.name, e.value]));
    expect(JSON.parse(env.POLICY)).toEqual({
      builderId: 'https://tekton.dev/chains/v2',
      runKind: 'PipelineRun',
      pipeline: { name: 'slsa-for-models', clusterNamespace: '$(context.taskRun.namespace)', forbidInlineSpec: true },
      sourceUri: 'git+https://github.com/sigstore/model-transparency',
      sourceDigest: 'd56521f123fa0ad14127f40ed831334cd47a80e8',
      params: [{ name: 'model-name', value: 'pytorch_jitted_model.pt' }],
      time: { maxAgeSeconds: 2592000 },
      requireSucceeded: true,
    });
    expect(env.KEY).toBe('/signing-key');
  });

  test('checks the transparency log by default: the entry fetched from the configured Rekor, the root from its ConfigMap', () => {
    const gate = byKind(docs, 'Task', 'slsa-for-models-deploy-gate');
    const envOf = (name: string) =>
      Object.fromEntries(gate.spec.steps.find((s: any) => s.name === name).env.map((e: any) => [e.name, e.value]));
    expect(envOf('fetch-run')).toMatchObject({ REKOR_ENTRY_FILE: '/scratch/rekor-entry.json', REKOR_URL: 'https://rekor.sigstore.dev' });
    expect(envOf('verify')).toMatchObject({ REKOR_ENTRY: '/scratch/rekor-entry.json', TRUSTED_ROOT: '/trusted-root/trusted_root.json' });
    expect(JSON.parse(envOf('verify').POLICY).insecureIgnoreTlog).toBeUndefined();
    expect(gate.spec.volumes).toContainEqual({ name: 'trusted-root', configMap: { name: 'slsa-for-models-trusted-root', optional: true } });
    expect(gate.spec.steps.find((s: any) => s.name === 'verify').volumeMounts).toContainEqual({
      name: 'trusted-root',
      mountPath: '/trusted-root',
      readOnly: true,
    });
  });

  test('a policy with transparencyLog: false skips the log, as --insecure-ignore-tlog, and says so in the policy', () => {
    const skipped = synthDeploy({
      policy: { ...DEFAULT_DEPLOY_GATE_POLICY, transparencyLog: false },
      rekorUrl: 'https://rekor.example.com',
    });
    const gate = byKind(skipped, 'Task', 'slsa-for-models-deploy-gate');
    const verify = gate.spec.steps.find((s: any) => s.name === 'verify');
    const env = Object.fromEntries(verify.env.map((e: any) => [e.name, e.value]));
    expect(JSON.parse(env.POLICY).insecureIgnoreTlog).toBe(true);
    expect(env.TRUSTED_ROOT).toBeUndefined();
    expect(gate.spec.volumes.map((v: any) => v.name)).not.toContain('trusted-root');
    const fetchEnv = gate.spec.steps.find((s: any) => s.name === 'fetch-run').env.map((e: any) => e.name);
    expect(fetchEnv).not.toContain('REKOR_URL');
  });

  test('an OMS publisher (key) renders into the policy, downloads the signature beside the model, and reads it in verify', () => {
    const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const withOms = synthDeploy({
      policy: { ...DEFAULT_DEPLOY_GATE_POLICY, omsPublisher: { publicKeyPem, signatureFile: 'release.sig' } },
    });
    const gate = byKind(withOms, 'Task', 'slsa-for-models-deploy-gate');
    const envOf = (name: string) =>
      Object.fromEntries(gate.spec.steps.find((s: any) => s.name === name).env.map((e: any) => [e.name, e.value]));
    expect(JSON.parse(envOf('verify').POLICY).omsPublisher).toEqual({ publicKeyPem });
    expect(envOf('verify').OMS_SIGNATURE).toBe('/scratch/oms/release.sig');
    expect(envOf('download').OMS_SIGNATURE_FILE).toBe('release.sig');
    expect(checkDocuments(withOms, { featureFlags: { 'enable-api-fields': 'beta' } })).toEqual([]);
    // the near case: without a publisher no signature is downloaded or required
    const plain = byKind(docs, 'Task', 'slsa-for-models-deploy-gate');
    const plainEnv = plain.spec.steps.flatMap((s: any) => s.env.map((e: any) => `${e.name}=${e.value}`)).join('\n');
    expect(plainEnv).not.toMatch(/OMS_SIGNATURE|omsPublisher/);
  });

  test('an OMS publisher by identity mounts the trusted root even when the log check is skipped', () => {
    const identity = synthDeploy({
      policy: {
        ...DEFAULT_DEPLOY_GATE_POLICY,
        transparencyLog: false,
        omsPublisher: { identity: 'releases@example.com', oidcIssuer: 'https://accounts.google.com' },
      },
    });
    const gate = byKind(identity, 'Task', 'slsa-for-models-deploy-gate');
    const verify = gate.spec.steps.find((s: any) => s.name === 'verify');
    const env = Object.fromEntries(verify.env.map((e: any) => [e.name, e.value]));
    expect(JSON.parse(env.POLICY).omsPublisher).toEqual({ identity: 'releases@example.com', oidcIssuer: 'https://accounts.google.com' });
    expect(env.OMS_SIGNATURE).toBe('/scratch/oms/model.sig');
    expect(env.TRUSTED_ROOT).toBe('/trusted-root/trusted_root.json');
    expect(env.REKOR_ENTRY).toBeUndefined();
  });

  test('an OMS publisher that names nothing, a key that is not one, or a path as signature file is refused at synth', () => {
    const problems = (omsPublisher: object) => deployGatePolicyProblems({ ...DEFAULT_DEPLOY_GATE_POLICY, omsPublisher });
    expect(problems({})).toEqual([
      'deploy gate policy omsPublisher names no publicKeyPem, and no identity with its oidcIssuer: a publisher that names nothing would accept any signer',
    ]);
    expect(problems({ identity: 'a@b' })).toHaveLength(1);
    expect(problems({ publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' })).toEqual([
      'deploy gate policy omsPublisher publicKeyPem is not a public key node:crypto can read',
    ]);
    expect(problems({ identity: 'a@b', oidcIssuer: 'https://i', signatureFile: '../x.sig' })).toEqual([
      'deploy gate policy omsPublisher signatureFile "../x.sig" is not a plain file name',
    ]);
    expect(problems({ identity: 'a@b', oidcIssuer: 'https://i' })).toEqual([]);
    expect(() => synthDeploy({ policy: { ...DEFAULT_DEPLOY_GATE_POLICY, omsPublisher: {} } })).toThrow(
      /omsPublisher names no publicKeyPem/,
    );
  });

  test("with omsSigningKeySecret the promote step, and only it, mounts the gate's OMS key", () => {
    const signing = synthDeploy({ omsSigningKeySecret: 'gate-oms-key' });
    const gate = byKind(signing, 'Task', 'slsa-for-models-deploy-gate');
    expect(gate.spec.volumes).toContainEqual({
      name: 'oms-signing-key',
      secret: { secretName: 'gate-oms-key', items: [{ key: 'gate.key', path: 'gate.key' }], defaultMode: 0o440 },
    });
    const mounting = gate.spec.steps.filter((s: any) => (s.volumeMounts ?? []).some((m: any) => m.name === 'oms-signing-key'));
    expect(mounting.map((s: any) => s.name)).toEqual(['promote']);
    expect(mounting[0].env).toContainEqual({ name: 'OMS_SIGNING_KEY', value: '/oms-signing-key/gate.key' });
    expect(checkDocuments(signing, { featureFlags: { 'enable-api-fields': 'beta' } })).toEqual([]);
    // the near case: by default no Secret is mounted anywhere
    expect(JSON.stringify(docs.filter((d) => d.kind === 'Task'))).not.toMatch(/oms-signing-key|OMS_SIGNING_KEY/);
  });

  test('a Rekor URL that is not https://HOST[/PATH] is refused at synth', () => {
    expect(() => synthDeploy({ rekorUrl: 'http://rekor.example.com' })).toThrow(
      /rekorUrl "http:\/\/rekor.example.com" is not an https URL of a Rekor/,
    );
    expect(() => synthDeploy({ rekorUrl: 'https://rekor.example.com/' })).toThrow(/no trailing slash/);
    expect(() => synthDeploy({ rekorUrl: 'https://rekor.example.com' })).not.toThrow();
  });

  test('deploys only after the gate, with a storageUri that names the promoted digest copy', () => {
    const pipeline = byKind(docs, 'Pipeline');
    expect(pipeline.spec.tasks.map((t: any) => t.name)).toEqual(['gate', 'deploy-model']);
    expect(pipeline.spec.tasks[1].params).toEqual([
      { name: 'directory', value: '$(tasks.gate.results.directory)' },
      { name: 'sha256', value: '$(tasks.gate.results.sha256)' },
    ]);
    const deploy = byKind(docs, 'Task', 'slsa-for-models-deploy-inference-service').spec.steps[0];
    const env = Object.fromEntries(deploy.env.map((e: any) => [e.name, e.value]));
    expect(env.STORAGE_URI).toBe('pvc://slsa-for-models-models/$(params.directory)');
    expect(JSON.parse(env.INFERENCE_SERVICE)).toMatchObject({
      kind: 'InferenceService',
      metadata: { name: 'slsa-for-models', annotations: { [KSERVE_DEPLOYMENT_MODE_ANNOTATION]: 'Standard' } },
      spec: { predictor: { model: { modelFormat: { name: 'pytorch' }, runtime: 'kserve-torchserve' } } },
    });
    expect(pipeline.spec.results.find((r: any) => r.name === 'served-model_ARTIFACT_OUTPUTS').value).toEqual({
      uri: 'pvc://slsa-for-models-models/$(tasks.gate.results.directory)/model-store/slsa-for-models.mar',
      digest: 'sha256:$(tasks.gate.results.package-sha256)',
      isBuildArtifact: 'true',
    });
  });

  test('passes the check engine with no finding', () => {
    expect(checkDocuments(docs, { featureFlags: { 'enable-api-fields': 'beta' } })).toEqual([]);
  });

  (crdSchemaAvailable() ? test : test.skip)(
    'passes the Tekton and KServe CRD schemas with nothing pruned, the InferenceService it applies included',
    () => {
      for (const doc of docs.filter((d) => d.apiVersion === 'tekton.dev/v1')) {
        expect([doc.kind, formatSchemaProblems(validateAgainstCrd(doc))]).toEqual([doc.kind, '']);
      }
      const deploy = byKind(docs, 'Task', 'slsa-for-models-deploy-inference-service').spec.steps[0];
      const template = JSON.parse(deploy.env.find((e: any) => e.name === 'INFERENCE_SERVICE').value);
      const applied = {
        ...template,
        spec: {
          predictor: {
            ...template.spec.predictor,
            model: { ...template.spec.predictor.model, storageUri: `pvc://c/sha256-${'a'.repeat(64)}` },
          },
        },
      };
      expect(formatSchemaProblems(validateAgainstCrd(applied))).toBe('');
      // and the check fires on a field KServe would prune
      expect(
        formatSchemaProblems(validateAgainstCrd({ ...applied, spec: { predictor: { ...applied.spec.predictor, storageURI: 'x' } } })),
      ).toMatch(/pruned spec.predictor.storageURI/);
    },
  );

  test('refuses a model no stock runtime loads without unverified code', () => {
    expect(() => synthDeploy({ modelName: 'pytorch_model.pth' })).toThrow(
      /model "pytorch_model.pth" cannot be served by a stock KServe runtime/,
    );
  });

  test('refuses a policy that names nothing, at synth', () => {
    expect(() =>
      synthDeploy({ policy: { builderId: '', sourceUri: 'git+https://x', sourceDigest: 'a'.repeat(40), maxAge: '1h' } }),
    ).toThrow('deploy gate policy names no builderId');
  });
});

describe('deploy gate policy', () => {
  test('reads Go-style durations of h, m and s', () => {
    expect(durationSeconds('720h')).toBe(2592000);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('0s')).toBeUndefined();
    expect(durationSeconds('7d')).toBeUndefined();
    expect(durationSeconds('')).toBeUndefined();
  });

  test('names each problem; a full policy has none', () => {
    expect(deployGatePolicyProblems(DEFAULT_DEPLOY_GATE_POLICY)).toEqual([]);
    expect(deployGatePolicyProblems({ ...DEFAULT_DEPLOY_GATE_POLICY, sourceDigest: 'main', maxAge: '30d' })).toEqual([
      'deploy gate policy sourceDigest "main" is not a full lowercase git commit (40 or 64 hex)',
      'deploy gate policy maxAge "30d" is not a positive duration of h, m and s (for example 720h)',
    ]);
    expect(renderDeployGatePolicy({ ...DEFAULT_DEPLOY_GATE_POLICY, predicateType: 'slsaprovenance1' }).predicateType).toBe(
      'slsaprovenance1',
    );
  });
});

describe('ModelInferenceService', () => {
  test('renders a Standard-mode InferenceService with restricted security, as a construct and as plain JSON', () => {
    const chart = new Chart(new App(), 'c');
    new ModelInferenceService(chart, 'Isvc', {
      name: 'm',
      modelFormat: 'tensorflow',
      storageUri: 'gs://bucket/m',
      resources: { limits: { memory: '1Gi' } },
    });
    const [isvc] = Testing.synth(chart);
    expect(isvc).toEqual(
      ModelInferenceService.manifest({
        name: 'm',
        modelFormat: 'tensorflow',
        storageUri: 'gs://bucket/m',
        resources: { limits: { memory: '1Gi' } },
      }),
    );
    expect(isvc).toMatchObject({
      apiVersion: 'serving.kserve.io/v1beta1',
      metadata: { annotations: { 'serving.kserve.io/deploymentMode': 'Standard' } },
      spec: {
        predictor: {
          automountServiceAccountToken: false,
          model: { runtime: 'kserve-tensorflow-serving', storageUri: 'gs://bucket/m', resources: { limits: { memory: '1Gi' } } },
        },
      },
    });
    if (crdSchemaAvailable()) expect(formatSchemaProblems(validateAgainstCrd(isvc))).toBe('');
  });

  test('a bad name fails the synth with one line', () => {
    const chart = Testing.chart();
    new ModelInferenceService(chart, 'Isvc', { name: 'Bad_Name', modelFormat: 'pytorch' });
    expect(() => Testing.synth(chart)).toThrow(/InferenceService name "Bad_Name" is not a DNS-1035 label/);
  });
});

describe('gateScript', () => {
  test('checks the digest before running, and runs nothing else', () => {
    expect(gateScript('ab'.repeat(32), 'verify', 'MODEL=/x')).toBe(`#!/bin/sh
set -eu
if ! printf '%s  %s\\n' '${'ab'.repeat(32)}' '/verifier/verifier.js' | sha256sum -c --status; then
  echo 'deploy-gate: verify failed: ConfigMap slsa-for-models-verifier does not hold the verifier this Task was made with (sha256 ${'ab'.repeat(32)}); kubectl apply -f dist again' >&2
  exit 1
fi
MODEL=/x
exec node '/verifier/verifier.js' verify
`);
  });
});

describe('dist/ with the deploy gate', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'lib', 'src', 'cli', 'main.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

  test('graph draws the training pipeline by default and the gate when asked', () => {
    const training = cli(['graph', 'dist']);
    expect(training.status).toBe(0);
    expect(training.stdout).toContain('%% Pipeline slsa-for-models\n');
    const gate = cli(['graph', '--pipeline', 'slsa-for-models-deploy', 'dist']);
    expect(gate.status).toBe(0);
    expect(gate.stdout).toContain('%% Pipeline slsa-for-models-deploy\n');
    expect(gate.stdout).toContain('task_gate -- "directory, sha256" --> task_deploy_model\n');
  });

  test('check finds nothing in dist/deploy', () => {
    const result = cli(['check', 'dist/deploy']);
    expect(result.stdout + result.stderr).toMatch(/^0 errors, 0 warnings, 0 notes in 2 files/m);
    expect(result.status).toBe(0);
  });
});

describe('promotion to a GCS bucket', () => {
  test('the gate copies the promoted copy to gs://BUCKET/sha256-<hex>/ and serves it from there', () => {
    const withBucket = synthDeploy({ gcsBucket: 'my-models' });
    const gate = byKind(withBucket, 'Task', 'slsa-for-models-deploy-gate');
    expect(gate.spec.steps.map((s: any) => s.name)).toEqual(['fetch-run', 'download', 'verify', 'promote', 'upload-gcs']);
    const upload = gate.spec.steps[4];
    expect(upload.script).toBe(UPLOAD_GCS_SCRIPT);
    expect(upload.env).toEqual(
      expect.arrayContaining([
        { name: 'BUCKET', value: 'my-models' },
        { name: 'DIRECTORY_FILE', value: '$(results.directory.path)' },
        { name: 'PROMOTED', value: '$(workspaces.store.path)' },
      ]),
    );
    const deploy = byKind(withBucket, 'Task', 'slsa-for-models-deploy-inference-service').spec.steps[0];
    expect(deploy.env).toContainEqual({ name: 'STORAGE_URI', value: 'gs://my-models/$(params.directory)' });
    expect(byKind(withBucket, 'Pipeline').spec.results.find((r: any) => r.name === 'served-model_ARTIFACT_OUTPUTS').value.uri).toBe(
      'gs://my-models/$(tasks.gate.results.directory)/model-store/slsa-for-models.mar',
    );
    expect(checkDocuments(withBucket, { featureFlags: { 'enable-api-fields': 'beta' } })).toEqual([]);
    // the near case: without a bucket, nothing goes to GCS
    expect(byKind(synthDeploy(), 'Task', 'slsa-for-models-deploy-gate').spec.steps.map((s: any) => s.name)).not.toContain('upload-gcs');
    expect(() => synthDeploy({ gcsBucket: 'gs://my-models' })).toThrow(/gcsBucket "gs:\/\/my-models" is not a bucket name/);
  });

  describe('the upload step, run in bash against a gcloud stand-in that records its arguments', () => {
    const hex = 'a'.repeat(64);
    function sandbox() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gate-gcs-'));
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      // gcloud storage objects describe gs://B/O | gcloud storage cp SRC DST, over a bucket kept in a directory
      fs.writeFileSync(
        path.join(bin, 'gcloud'),
        [
          '#!/usr/bin/env bash',
          'printf "%s\\n" "$*" >> "$STUB_LOG"',
          'case "$1 $2 $3" in',
          '  "storage objects describe") [ -f "$BUCKET_DIR/${4#gs://}" ] ;;',
          '  "storage cp "*) if [[ "$3" == gs://* ]]; then cp "$BUCKET_DIR/${3#gs://}" "$4"; else mkdir -p "$(dirname "$BUCKET_DIR/${4#gs://}")"; cp "$3" "$BUCKET_DIR/${4#gs://}"; fi ;;',
          '  *) echo "unexpected gcloud $*" >&2; exit 2 ;;',
          'esac',
        ].join('\n'),
        { mode: 0o755 },
      );
      const store = path.join(dir, 'store');
      fs.mkdirSync(path.join(store, `sha256-${hex}`, 'model-store'), { recursive: true });
      fs.mkdirSync(path.join(store, `sha256-${hex}`, 'config'));
      fs.writeFileSync(path.join(store, `sha256-${hex}`, 'model-store', 'm.mar'), 'the archive');
      fs.writeFileSync(path.join(store, `sha256-${hex}`, 'config', 'config.properties'), 'model_store=/mnt/models/model-store\n');
      fs.writeFileSync(path.join(dir, 'directory'), `sha256-${hex}`);
      const script = path.join(dir, 'upload.sh');
      fs.writeFileSync(script, UPLOAD_GCS_SCRIPT);
      const env = {
        PATH: `${bin}:${process.env.PATH}`,
        STUB_LOG: path.join(dir, 'gcloud.log'),
        BUCKET_DIR: path.join(dir, 'buckets'),
        PROMOTED: store,
        DIRECTORY_FILE: path.join(dir, 'directory'),
        BUCKET: 'my-models',
        TMPDIR: dir,
      };
      const run = (extra: Record<string, string> = {}) => spawnSync('bash', [script], { env: { ...env, ...extra }, encoding: 'utf8' });
      const calls = () => fs.readFileSync(env.STUB_LOG, 'utf8').trim().split('\n');
      return { dir, run, calls, object: (name: string) => path.join(env.BUCKET_DIR, 'my-models', `sha256-${hex}`, name) };
    }

    test('uploads each file under the digest prefix, never over an object; a re-run finds the same bytes and uploads nothing', () => {
      const s = sandbox();
      const first = s.run();
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toBe(`deploy-gate: the promoted copy is gs://my-models/sha256-${hex}\n`);
      const prefix = `gs://my-models/sha256-${hex}`;
      expect(s.calls()).toEqual([
        `storage objects describe ${prefix}/config/config.properties --format=value(name)`,
        `storage cp config/config.properties ${prefix}/config/config.properties --if-generation-match=0`,
        `storage objects describe ${prefix}/model-store/m.mar --format=value(name)`,
        `storage cp model-store/m.mar ${prefix}/model-store/m.mar --if-generation-match=0`,
      ]);
      expect(fs.readFileSync(s.object('model-store/m.mar'), 'utf8')).toBe('the archive');
      fs.writeFileSync(path.join(s.dir, 'gcloud.log'), '');
      expect(s.run().status).toBe(0);
      expect(s.calls().filter((c) => c.includes('--if-generation-match'))).toEqual([]);
    });

    test('an object under the digest name that differs fails the step with one line, and is not overwritten', () => {
      const s = sandbox();
      expect(s.run().status).toBe(0);
      fs.writeFileSync(s.object('model-store/m.mar'), 'swapped');
      const result = s.run();
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        `deploy-gate: upload-gcs failed: gs://my-models/sha256-${hex}/model-store/m.mar exists and differs from the verified copy; refusing to serve it\n`,
      );
      expect(fs.readFileSync(s.object('model-store/m.mar'), 'utf8')).toBe('swapped');
    });

    test('a directory result that is not sha256-<hex>, or a bucket that is not a name, is refused before gcloud runs', () => {
      const s = sandbox();
      fs.writeFileSync(path.join(s.dir, 'directory'), '../etc');
      expect(s.run().stderr).toBe('deploy-gate: upload-gcs failed: ../etc is not a promoted copy (sha256-<hex>)\n');
      fs.writeFileSync(path.join(s.dir, 'directory'), `sha256-${hex}`);
      expect(s.run({ BUCKET: 'gs://x' }).stderr).toBe('deploy-gate: upload-gcs failed: gs://x is not a bucket name\n');
      expect(fs.existsSync(path.join(s.dir, 'gcloud.log'))).toBe(false);
    });
  });
});

describe('the bash the gate embeds', () => {
  const haveShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  (haveShellcheck ? test : test.skip).each([
    ['download', DOWNLOAD_MODEL_SCRIPT],
    ['upload-gcs', UPLOAD_GCS_SCRIPT],
  ])('shellcheck finds nothing in the %s script', (_name, script) => {
    const result = spawnSync('shellcheck', ['--shell=bash', '--exclude=SC1091', '-'], { input: script, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
