import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRUSTED_ROOT_CONFIG_MAP } from '../src/models/trusted-root-config-map';
import { IN_TOTO_PAYLOAD_TYPE, preAuthenticationEncoding } from '../src/verify/dsse-pae';

// The scripts run in real bash with a PATH that holds only a sandbox bin directory: symlinks to the
// few system tools the scripts use, and stubs for the cloud tools (gcloud, kubectl, tkn, cosign,
// crane, docker) that record their arguments and answer like the real tool would. Real gcloud or
// kubectl on this machine can never be reached.

const ROOT = path.resolve(__dirname, '..');
const SCRIPTS_DIR = path.join(ROOT, 'scripts');
const BASH = findSystemTool('bash') ?? '/bin/bash';
const CLOUD_TOOLS = ['gcloud', 'kubectl', 'tkn', 'cosign', 'crane', 'docker', 'curl'];
const SYSTEM_TOOLS = [
  'bash',
  'env',
  'dirname',
  'basename',
  'cat',
  'mktemp',
  'mv',
  'rm',
  'grep',
  'tr',
  'openssl',
  'sleep',
  'cp',
  'mkdir',
  'touch',
  'base64',
];

const CONTEXT_ENV = { PROJECT_ID: 'my-project', REGION: 'us-central1', CLUSTER_NAME: 'models' };
const GKE_CONTEXT = 'gke_my-project_us-central1_models';
const ALL_ENV = { ...CONTEXT_ENV, LOCATION: 'us', REPOSITORY_NAME: 'ml-artifacts' };

/** Each script and the variables it must insist on. */
const REQUIRED_ENV: Record<string, string[]> = {
  'create-cluster.sh': ['PROJECT_ID', 'CLUSTER_NAME', 'REGION', 'LOCATION', 'REPOSITORY_NAME'],
  'install-tekton.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
  'generate-signing-key.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
  'run-pipeline.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
  'fetch-attestation.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
  'verify-model.sh': ['PROJECT_ID', 'LOCATION', 'REPOSITORY_NAME'],
  'update-image-digests.sh': [],
  'create-accelerator-pool.sh': ['PROJECT_ID', 'CLUSTER_NAME', 'REGION'],
  'install-kserve.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME', 'LOCATION', 'REPOSITORY_NAME'],
  'deploy-model.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
  'install-triggers.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
  'create-webhook-secret.sh': ['PROJECT_ID', 'REGION', 'CLUSTER_NAME'],
};
const SCRIPTS = Object.keys(REQUIRED_ENV);

function findSystemTool(name: string): string | undefined {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const location = found.stdout.trim();
  return found.status === 0 && location.startsWith('/') ? location : undefined;
}

/** A temporary directory with a bin/ of symlinked system tools and stubbed cloud tools. */
class Sandbox {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-scripts-'));
  readonly bin = path.join(this.dir, 'bin');
  readonly log = path.join(this.dir, 'calls.log');

  constructor() {
    fs.mkdirSync(this.bin);
    fs.writeFileSync(this.log, '');
    for (const tool of SYSTEM_TOOLS) {
      const location = findSystemTool(tool);
      if (location !== undefined) fs.symlinkSync(location, path.join(this.bin, tool));
    }
    fs.symlinkSync(process.execPath, path.join(this.bin, 'node'));
    for (const tool of CLOUD_TOOLS) this.failingStub(tool);
  }

  /** A stub that records its call, then runs `body` (bash, with "$*" the arguments). */
  stub(tool: string, body = ''): void {
    const script = [
      `#!${BASH}`,
      // one write per call, so that stubs running at once (both sides of a pipe) never interleave their lines
      `__call=$(printf '%s' ${tool}; for a in "$@"; do printf '\\t%s' "$a"; done)`,
      `printf '%s\\n' "$__call" >>"$STUB_LOG"`,
      body,
      'exit 0',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(this.bin, tool), script, { mode: 0o755 });
  }

  /** A stub that records its call and fails: for tools that must not be called. */
  failingStub(tool: string): void {
    this.stub(tool, `echo "stub: ${tool} must not be called" >&2; exit 97`);
  }

  /** Puts one more system tool (such as jq) on PATH; false when this machine does not have it. */
  addSystemTool(tool: string): boolean {
    const location = findSystemTool(tool);
    if (location === undefined) return false;
    fs.symlinkSync(location, path.join(this.bin, tool));
    return true;
  }

  /** Removes a tool from PATH entirely. */
  remove(tool: string): void {
    fs.rmSync(path.join(this.bin, tool), { force: true });
  }

  run(script: string, args: string[] = [], env: Record<string, string> = {}): SpawnSyncReturns<string> {
    return spawnSync(BASH, [path.join(SCRIPTS_DIR, script), ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { PATH: this.bin, HOME: this.dir, STUB_LOG: this.log, STUB_DIR: this.dir, POLL_INTERVAL: '0', RETRY_DELAY: '0', ...env },
    });
  }

  /** Every recorded call, as [tool, ...args]. */
  calls(): string[][] {
    return fs
      .readFileSync(this.log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split('\t'));
  }

  /** The recorded calls of one tool, each as its arguments joined by spaces. */
  callsOf(tool: string): string[] {
    return this.calls()
      .filter((c) => c[0] === tool)
      .map((c) => c.slice(1).join(' '));
  }

  file(name: string, content: string | Buffer): string {
    const full = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return full;
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

let sandboxes: Sandbox[] = [];
function sandbox(): Sandbox {
  const s = new Sandbox();
  sandboxes.push(s);
  return s;
}
afterEach(() => {
  sandboxes.forEach((s) => s.cleanup());
  sandboxes = [];
});

/** A public key as cosign.pub holds it, and the kubectl stub lines that answer it from the Secret (and print what create configmap is given). */
const PUBLIC_KEY_PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n';
const PUBLIC_KEY_ANSWER = [
  `if [[ "$1 $2" == "get secret" && "$*" == *cosign\\\\.pub* ]]; then printf %s ${Buffer.from(PUBLIC_KEY_PEM).toString('base64')}; exit 0; fi`,
  'if [[ "$1 $2" == "create configmap" ]]; then f="${6#--from-file=cosign.pub=}"; cat "$f"; exit 0; fi',
].join('\n');

/** The kubectl stub lines every cluster script needs: the expected context. */
const KUBECTL_CONTEXT = `if [[ "$1 $2" == "config current-context" ]]; then echo ${GKE_CONTEXT}; exit 0; fi`;

/** Sigstore's public-good trusted_root.json in the team's shared folder (absent elsewhere: the tests that need it say so and skip). */
const PUBLIC_GOOD_TRUSTED_ROOT = path.resolve(ROOT, '..', 'shared', 'sigstore', 'trusted_root.public-good.json');
const HAVE_PUBLIC_GOOD_TRUSTED_ROOT = fs.existsSync(PUBLIC_GOOD_TRUSTED_ROOT);
if (!HAVE_PUBLIC_GOOD_TRUSTED_ROOT) {
  console.log(
    `skipping the tests that publish a real trusted root: ${PUBLIC_GOOD_TRUSTED_ROOT} is absent (it comes with the team's shared folder)`,
  );
}
/** jq is optional for the scripts: the trusted-root check parses with it when it is on PATH. */
const HAVE_JQ = findSystemTool('jq') !== undefined;
if (!HAVE_JQ) console.log('skipping the trusted-root checks with jq: jq is not installed (apt-get install jq; CI installs it)');

/** Files that are not a Sigstore trusted_root.json, each refused with and without jq. */
const NOT_TRUSTED_ROOTS: Record<string, string> = {
  'a public key': PUBLIC_KEY_PEM,
  'a Sigstore bundle': JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { tlogEntries: [] },
  }),
  'a ClientTrustConfig holding a trusted root': JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
    trustedRoot: { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [] },
  }),
  'tlogs that are not a list': '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": "rekor"}',
  'an empty file': '',
};

/** kubectl and tkn as they answer for a run that uploads to us/ml-artifacts, is created as slsa-for-models-q1w2e, succeeds and is signed. */
function stubSucceedingRun(s: Sandbox) {
  s.stub(
    'kubectl',
    [
      KUBECTL_CONTEXT,
      'case "$1 $2" in',
      '  "create --dry-run=client") printf %s us/ml-artifacts ;;',
      '  "create -f") printf %s slsa-for-models-q1w2e ;;',
      '  "get pipelinerun") printf %s "True|true|Succeeded: ok" ;;',
      'esac',
    ].join('\n'),
  );
  s.stub('tkn');
}

/** A pinned-images file in the format the models helper keeps src/models/images.ts in. */
const IMAGES_TS = [
  '/** images */',
  'export const GIT_IMAGE =',
  `  'docker.io/library/buildpack-deps:bookworm-scm@sha256:${'a'.repeat(64)}';`,
  'export const PYTHON_IMAGE =',
  `  'docker.io/library/python:3.11.15-slim-bookworm@sha256:${'b'.repeat(64)}';`,
  'export const OTHER = 42;',
  '',
].join('\n');

/** A real signed DSSE envelope over an in-toto SLSA v1 statement for `model`, as Chains would store it. */
function signedProvenance(model: Buffer) {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'pytorch_model.pth', digest: { sha256: crypto.createHash('sha256').update(model).digest('hex') } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {
      buildDefinition: {
        buildType: 'https://tekton.dev/chains/v2/slsa',
        externalParameters: {},
        internalParameters: {},
        resolvedDependencies: [],
      },
      runDetails: { builder: { id: 'https://tekton.dev/chains/v2' }, metadata: { invocationID: 'uid-1234' } },
    },
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = crypto.sign('sha256', preAuthenticationEncoding(IN_TOTO_PAYLOAD_TYPE, payload), privateKey);
  const envelope = JSON.stringify({
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ keyid: '', sig: sig.toString('base64') }],
  });
  return { envelope, statement: payload.toString('utf8'), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

/** A PipelineRun as `kubectl get pipelinerun -o json` prints it after Chains signed it. */
function signedPipelineRun(envelope: string, statement: string, uid = 'uid-1234') {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: {
      name: 'slsa-for-models-abcde',
      namespace: 'default',
      uid,
      annotations: {
        'chains.tekton.dev/signed': 'true',
        [`chains.tekton.dev/signature-pipelinerun-${uid}`]: Buffer.from(envelope).toString('base64'),
        [`chains.tekton.dev/payload-pipelinerun-${uid}`]: Buffer.from(statement).toString('base64'),
      },
    },
    spec: {
      params: [
        { name: 'model-name', value: 'pytorch_model.pth' },
        { name: 'model-storage', value: { package: 'pytorch-model', location: 'us', repository: 'ml-artifacts' } },
      ],
    },
    status: {
      results: [
        {
          name: 'source_ARTIFACT_INPUTS',
          value: { uri: 'git+https://github.com/sigstore/model-transparency', digest: 'sha1:d56521f123fa0ad14127f40ed831334cd47a80e8' },
        },
        {
          name: 'model_ARTIFACT_OUTPUTS',
          value: {
            uri: 'https://artifactregistry.googleapis.com/v1/projects/my-project/locations/us/repositories/ml-artifacts/files/pytorch-model:0f1e2d:pytorch_model.pth',
            digest: `sha256:${'c'.repeat(64)}`,
            isBuildArtifact: 'true',
          },
        },
      ],
    },
  };
}

describe.each(SCRIPTS)('%s', (script) => {
  test('--help prints the usage and exits 0, calling no tool', () => {
    const s = sandbox();
    const result = s.run(script, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^usage: scripts/${script.replace('.', '\\.')} `));
    expect(result.stdout).toContain('--dry-run');
    expect(s.calls()).toEqual([]);
  });

  test('an unknown argument is a usage error (exit 2)', () => {
    const s = sandbox();
    const result = s.run(script, ['--dry-run', '--no-such-option', 'x', 'y'], ALL_ENV);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('(see --help)');
    expect(s.calls()).toEqual([]);
  });

  const required = REQUIRED_ENV[script];
  if (required.length > 0) {
    test.each(required)('without %s it fails naming the variable, before any tool runs', (name) => {
      const s = sandbox();
      const env: Record<string, string> = { ...ALL_ENV };
      delete env[name];
      const result = s.run(script, ['--dry-run'], env);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`environment variable ${name} is not set`);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(s.calls()).toEqual([]);
    });
  }
});

describe('--dry-run prints every command and calls no cloud tool', () => {
  function dryRun(
    script: string,
    args: string[] = [],
    env: Record<string, string> = {},
    prepare?: (s: Sandbox) => Record<string, string> | void,
  ) {
    const s = sandbox();
    const extraEnv = prepare?.(s) ?? {};
    const result = s.run(script, ['--dry-run', ...args], { ...ALL_ENV, ...env, ...extraEnv });
    expect(result.stderr).not.toContain('must not be called');
    expect(s.calls()).toEqual([]);
    expect(result.status).toBe(0);
    return result.stdout.split('\n').filter((l) => l.startsWith('+ '));
  }

  test('create-cluster.sh', () => {
    const commands = dryRun('create-cluster.sh');
    expect(commands).toEqual([
      '+ gcloud services enable container.googleapis.com artifactregistry.googleapis.com iam.googleapis.com iamcredentials.googleapis.com sts.googleapis.com --project=my-project',
      "+ gcloud container clusters describe models --region=us-central1 --project=my-project '--format=value(name)'",
      '+ gcloud container clusters create models --project=my-project --region=us-central1 --workload-pool=my-project.svc.id.goog --machine-type=e2-standard-4 --num-nodes=1 --enable-autoscaling --min-nodes=1 --max-nodes=3 --release-channel=regular --no-issue-client-certificate',
      '+ gcloud container clusters get-credentials models --region=us-central1 --project=my-project',
      "+ gcloud artifacts repositories describe ml-artifacts --location=us --project=my-project '--format=value(name)'",
      "+ gcloud artifacts repositories create ml-artifacts --repository-format=generic --location=us --project=my-project '--description=Models trained and attested by slsa-for-models'",
      "+ gcloud projects describe my-project '--format=value(projectNumber)'",
      expect.stringMatching(/^\+ gcloud artifacts repositories get-iam-policy ml-artifacts --location=us --project=my-project/),
      '+ gcloud artifacts repositories add-iam-policy-binding ml-artifacts --location=us --project=my-project --member=principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/my-project.svc.id.goog/subject/ns/default/sa/slsa-for-models --role=roles/artifactregistry.writer --condition=None',
    ]);
    expect(commands.join('\n')).not.toContain('--scopes');
  });

  test('create-accelerator-pool.sh', () => {
    expect(dryRun('create-accelerator-pool.sh', ['--spot'], { ACCELERATOR: 'nvidia-l4' })).toEqual([
      "+ gcloud compute accelerator-types list --project=my-project '--filter=name=nvidia-l4 AND zone~us-central1-[a-z]+$' '--format=value(zone.basename())'",
      "+ gcloud container node-pools describe gpu-nvidia-l4 --cluster=models --region=us-central1 --project=my-project '--format=value(name)'",
      '+ gcloud container node-pools create gpu-nvidia-l4 --cluster=models --region=us-central1 --project=my-project --node-locations=us-central1-a --machine-type=g2-standard-8 --accelerator=type=nvidia-l4,count=1,gpu-driver-version=default --enable-autoscaling --num-nodes=0 --min-nodes=0 --max-nodes=1 --disk-size=100 --workload-metadata=GKE_METADATA --spot --node-taints=cloud.google.com/gke-spot=true:NoSchedule',
    ]);
  });

  test('install-tekton.sh', () => {
    let dist = '';
    const commands = dryRun('install-tekton.sh', [], {}, (s) => {
      dist = path.join(s.dir, 'dist');
      fs.mkdirSync(dist);
      return { DIST_DIR: dist };
    });
    expect(commands).toContain(
      '+ kubectl apply --server-side --force-conflicts -f https://infra.tekton.dev/tekton-releases/pipeline/previous/v1.15.0/release.yaml',
    );
    expect(commands).toContain(
      '+ kubectl apply --server-side --force-conflicts -f https://infra.tekton.dev/tekton-releases/chains/previous/v0.29.2/release.yaml',
    );
    expect(commands).toContain('+ kubectl wait --for=condition=Available deployment --all -n tekton-chains --timeout=300s');
    expect(commands).toContain(`+ kubectl apply -f ${dist}`);
    expect(commands.indexOf("+ kubectl config view --minify '-o=jsonpath={.contexts[0].context.namespace}'")).toBe(1);
  });

  test('generate-signing-key.sh', () => {
    expect(dryRun('generate-signing-key.sh')).toEqual([
      '+ kubectl config current-context',
      "+ kubectl get secret signing-secrets -n tekton-chains --ignore-not-found '-o=jsonpath={.data.cosign\\.key}'",
      '+ cosign generate-key-pair k8s://tekton-chains/signing-secrets',
      '+ kubectl rollout restart deployment/tekton-chains-controller -n tekton-chains',
      '+ kubectl rollout status deployment/tekton-chains-controller -n tekton-chains --timeout=300s',
      "+ kubectl get secret signing-secrets -n tekton-chains '-o=jsonpath={.data.cosign\\.pub}'",
      '+ kubectl create configmap slsa-for-models-signing-key -n default --from-file=cosign.pub=COSIGN_PUB --dry-run=client -o yaml',
      '+ kubectl apply -f -',
    ]);
  });

  test('install-kserve.sh', () => {
    let dist = '';
    const commands = dryRun('install-kserve.sh', [], {}, (s) => {
      dist = path.join(s.dir, 'dist', 'deploy');
      fs.mkdirSync(dist, { recursive: true });
      return { DEPLOY_DIST_DIR: dist };
    });
    expect(commands).toEqual([
      '+ kubectl config current-context',
      '+ kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/v1.17.0/cert-manager.yaml',
      '+ kubectl wait --for=condition=Available deployment --all -n cert-manager --timeout=300s',
      '+ kubectl apply --server-side --force-conflicts -f https://github.com/kserve/kserve/releases/download/v0.20.0/kserve.yaml',
      '+ kubectl wait --for=condition=Available deployment --all -n kserve --timeout=300s',
      '+ kubectl apply --server-side --force-conflicts -f https://github.com/kserve/kserve/releases/download/v0.20.0/kserve-cluster-resources.yaml',
      `+ kubectl patch configmap/inferenceservice-config -n kserve --type=merge '-p={"data":{"deploy":"{\\"defaultDeploymentMode\\": \\"Standard\\"}"}}'`,
      '+ kubectl rollout restart deployment/kserve-controller-manager -n kserve',
      '+ kubectl rollout status deployment/kserve-controller-manager -n kserve --timeout=300s',
      `+ kubectl apply -n default -f ${dist}`,
      "+ gcloud projects describe my-project '--format=value(projectNumber)'",
      '+ gcloud artifacts repositories add-iam-policy-binding ml-artifacts --location=us --project=my-project --member=principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/my-project.svc.id.goog/subject/ns/default/sa/slsa-for-models-deploy --role=roles/artifactregistry.reader --condition=None',
    ]);
  });

  test('deploy-model.sh', () => {
    const commands = dryRun('deploy-model.sh', ['slsa-for-models-q1w2e'], {}, (s) => ({
      DEPLOY_RUN_FILE: s.file('deploy-run.yaml', 'kind: PipelineRun\n'),
    }));
    expect(commands).toEqual([
      '+ kubectl config current-context',
      "+ kubectl get pipelinerun slsa-for-models-q1w2e -n default '-o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/signed}'",
      '+ kubectl get configmap slsa-for-models-trusted-root -n default --ignore-not-found -o=name',
      expect.stringMatching(
        /^\+ kubectl patch --local -f \S+deploy-run\.yaml --type=json '-p=\[\{"op":"replace","path":"\/spec\/params\/0","value":\{"name":"training-run","value":"slsa-for-models-q1w2e"\}\}\]' -o json$/,
      ),
      "+ kubectl create -n default -f - '-o=jsonpath={.metadata.name}'",
      '+ tkn pipelinerun logs slsa-for-models-deploy-xxxxx -f -n default',
      expect.stringMatching(/^\+ kubectl get pipelinerun slsa-for-models-deploy-xxxxx -n default/),
      '+ kubectl get inferenceservice slsa-for-models -n default',
    ]);
  });

  test('deploy-model.sh publishes TRUSTED_ROOT for the log check, and refuses a file that is not a trusted root', () => {
    let root = '';
    const commands = dryRun('deploy-model.sh', ['slsa-for-models-q1w2e'], {}, (s) => {
      root = s.file('trusted_root.json', '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": []}\n');
      return { DEPLOY_RUN_FILE: s.file('deploy-run.yaml', 'kind: PipelineRun\n'), TRUSTED_ROOT: root };
    });
    expect(commands.slice(2, 4)).toEqual([
      `+ kubectl create configmap slsa-for-models-trusted-root -n default --from-file=trusted_root.json=${root} --dry-run=client -o yaml`,
      '+ kubectl apply -f -',
    ]);
    const s = sandbox();
    const refused = s.run('deploy-model.sh', ['--dry-run', 'slsa-for-models-q1w2e'], {
      ...ALL_ENV,
      DEPLOY_RUN_FILE: s.file('deploy-run.yaml', 'kind: PipelineRun\n'),
      TRUSTED_ROOT: s.file('cosign.pub', '-----BEGIN PUBLIC KEY-----\n'),
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/TRUSTED_ROOT .*cosign\.pub is not a Sigstore trusted_root.json \(no tlogs\)/);
  });

  test('run-pipeline.sh', () => {
    const commands = dryRun('run-pipeline.sh', ['runs/run.yaml'], {}, (s) => {
      s.file('runs/run.yaml', 'kind: PipelineRun\n');
    });
    expect(commands.slice(0, 4)).toEqual([
      '+ kubectl config current-context',
      `+ kubectl create --dry-run=client -f runs/run.yaml '-o=jsonpath={.spec.params[?(@.name=="model-storage")].value.location}/{.spec.params[?(@.name=="model-storage")].value.repository}'`,
      "+ kubectl create -f runs/run.yaml -n default '-o=jsonpath={.metadata.name}'",
      '+ tkn pipelinerun logs slsa-for-models-xxxxx -f -n default',
    ]);
    expect(commands[4]).toContain('chains\\.tekton\\.dev/signed');
  });

  test('run-pipeline.sh with TRUSTED_ROOT publishes it before the run; without it, reads a base model identity and looks for the ConfigMap', () => {
    let root = '';
    const published = dryRun('run-pipeline.sh', ['runs/run.yaml'], {}, (s) => {
      s.file('runs/run.yaml', 'kind: PipelineRun\n');
      root = s.file('trusted_root.json', '{"mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1", "tlogs": []}\n');
      return { TRUSTED_ROOT: root };
    });
    expect(published.slice(2, 5)).toEqual([
      `+ kubectl create configmap slsa-for-models-trusted-root -n default --from-file=trusted_root.json=${root} --dry-run=client -o yaml`,
      '+ kubectl apply -f -',
      "+ kubectl create -f runs/run.yaml -n default '-o=jsonpath={.metadata.name}'",
    ]);
    const identity = dryRun('run-pipeline.sh', ['runs/run.yaml'], {}, (s) => {
      s.file(
        'runs/run.yaml',
        'kind: PipelineRun\nspec:\n  params:\n    - name: base-model\n      value:\n        certificate-identity: a@example.com\n',
      );
    });
    expect(identity.slice(2, 5)).toEqual([
      `+ kubectl create --dry-run=client -f runs/run.yaml '-o=jsonpath={.spec.params[?(@.name=="base-model")].value.certificate-identity}'`,
      '+ kubectl get configmap slsa-for-models-trusted-root -n default --ignore-not-found -o=name',
      "+ kubectl create -f runs/run.yaml -n default '-o=jsonpath={.metadata.name}'",
    ]);
  });

  test('fetch-attestation.sh', () => {
    const commands = dryRun('fetch-attestation.sh');
    expect(commands).toContain(
      "+ kubectl get pipelinerun -n default -l tekton.dev/pipeline=slsa-for-models --sort-by=.metadata.creationTimestamp '-o=jsonpath={.items[-1:].metadata.name}'",
    );
    expect(commands).toContain(
      "+ kubectl get pipelinerun slsa-for-models-xxxxx -n default '-o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/signature-pipelinerun-PIPELINERUN_UID}'",
    );
    expect(commands).toContain(
      "+ curl --fail --silent --show-error --proto =https --max-time 60 'https://rekor.sigstore.dev/api/v1/log/entries?logIndex=LOG_INDEX'",
    );
  });

  test('verify-model.sh (the model facts read from pipelinerun.json)', () => {
    const run = signedPipelineRun('{}', '{}');
    const commands = dryRun(
      'verify-model.sh',
      ['--', '--source-uri', 'git+https://github.com/sigstore/model-transparency'],
      { SLSA_FOR_MODELS: 'slsa-for-models' },
      (s) => {
        s.file('pipelinerun.json', JSON.stringify(run));
      },
    );
    expect(commands).toEqual([
      '+ kubectl config current-context',
      '+ gcloud artifacts generic download --project=my-project --location=us --repository=ml-artifacts --package=pytorch-model --version=0f1e2d --name=pytorch_model.pth --destination=./.verify-model.XXXXXX',
      '+ cosign verify-blob-attestation --key k8s://tekton-chains/signing-secrets --signature ./model.build-slsa --type slsaprovenance1 ./pytorch_model.pth',
      '+ slsa-for-models verify --key k8s://tekton-chains/signing-secrets --signature ./model.build-slsa --source-uri git+https://github.com/sigstore/model-transparency ./pytorch_model.pth',
    ]);
  });

  test('update-image-digests.sh shows the queries and leaves the file alone', () => {
    let file = '';
    const commands = dryRun('update-image-digests.sh', ['--file', 'images.ts'], {}, (s) => {
      s.remove('crane');
      s.remove('docker');
      s.remove('gcloud');
      file = s.file('images.ts', IMAGES_TS);
    });
    expect(commands).toEqual([
      '+ crane digest docker.io/library/buildpack-deps:bookworm-scm',
      '+ crane digest docker.io/library/python:3.11.15-slim-bookworm',
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe(IMAGES_TS);
  });

  test("update-image-digests.sh finds every image in the models helper's src/models/images.ts", () => {
    const images = path.join(ROOT, 'src', 'models', 'images.ts');
    if (!fs.existsSync(images)) {
      console.log('skipping: src/models/images.ts does not exist yet');
      return;
    }
    const pinned = fs.readFileSync(images, 'utf8').match(/^\s*'[^']+@sha256:[0-9a-f]{64}'/gm) ?? [];
    const commands = dryRun('update-image-digests.sh', ['--file', images], { DIGEST_TOOL: 'crane' });
    expect(pinned.length).toBeGreaterThan(0);
    expect(commands).toHaveLength(pinned.length);
  });
});

describe('the walkthrough in --dry-run, against this checkout', () => {
  const runs = path.join(ROOT, 'dist', 'runs');
  const haveDist = fs.existsSync(path.join(runs, 'slsa-for-models-run.yaml'));
  if (!haveDist) console.log('skipping the walkthrough dry run: dist/runs/slsa-for-models-run.yaml is not synthesized yet');
  (haveDist ? test : test.skip)('every step runs in order with the committed dist/, calling nothing', () => {
    const s = sandbox();
    const steps: Array<[string, string[]]> = [
      ['create-cluster.sh', []],
      ['install-tekton.sh', []],
      ['generate-signing-key.sh', []],
      ['run-pipeline.sh', []],
      ['fetch-attestation.sh', []],
      ['verify-model.sh', ['--package', 'pytorch-model', '--version', 'v1', '--model', 'pytorch_model.pth']],
      ['install-kserve.sh', []],
      ['deploy-model.sh', ['slsa-for-models-xxxxx']],
      // run on every push
      ['create-webhook-secret.sh', []],
      ['install-triggers.sh', []],
    ];
    const transcript = steps.flatMap(([script, args]) => {
      const result = s.run(script, ['--dry-run', ...args], ALL_ENV);
      expect({ script, status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
        script,
        status: 0,
        stderr: '',
      });
      return result.stdout.split('\n').filter((l) => l.startsWith('+ '));
    });
    expect(s.calls()).toEqual([]);
    expect(transcript).toContain(`+ kubectl apply -f ${path.join(ROOT, 'dist')}`);
    expect(transcript).toContain(`+ kubectl apply -n default -f ${path.join(ROOT, 'dist', 'deploy')}`);
    expect(transcript).toContain('+ tkn pipelinerun logs slsa-for-models-deploy-xxxxx -f -n default');
    expect(transcript).toContain(`+ kubectl apply -n default -f ${path.join(ROOT, 'dist', 'triggers')}`);
    expect(transcript).toContain(
      `+ kubectl create -f ${path.join(runs, fs.readdirSync(runs).find((f) => f.endsWith('.yaml')) as string)} -n default '-o=jsonpath={.metadata.name}'`,
    );
  });
});

describe('create-accelerator-pool.sh against stub gcloud', () => {
  /** gcloud answering which zones offer what, and whether the pool exists (state kept in files). */
  function stubGcloud(s: Sandbox, zones: string): void {
    s.stub(
      'gcloud',
      [
        'state="$STUB_DIR/state"; mkdir -p "$state"',
        'case "$*" in',
        `  "compute accelerator-types list"*|"compute machine-types list"*) printf '${zones}' ;;`,
        '  "container node-pools describe"*) [[ -f "$state/pool" ]] || { echo "ERROR: NOT_FOUND" >&2; exit 1; } ;;',
        '  "container node-pools create"*) touch "$state/pool" ;;',
        'esac',
      ].join('\n'),
    );
  }

  test('a GPU pool: checks the zones of the region first, then autoscales from 0 with the driver installed by GKE', () => {
    const s = sandbox();
    stubGcloud(s, 'us-central1-a\\nus-central1-c\\n');
    const result = s.run('create-accelerator-pool.sh', [], CONTEXT_ENV);
    expect(result.stderr).not.toContain('error');
    expect(result.status).toBe(0);
    const calls = s.callsOf('gcloud');
    expect(calls[0]).toBe(
      'compute accelerator-types list --project=my-project --filter=name=nvidia-l4 AND zone~us-central1-[a-z]+$ --format=value(zone.basename())',
    );
    expect(calls).toContain(
      'container node-pools create gpu-nvidia-l4 --cluster=models --region=us-central1 --project=my-project --node-locations=us-central1-a,us-central1-c --machine-type=g2-standard-8 --accelerator=type=nvidia-l4,count=1,gpu-driver-version=default --enable-autoscaling --num-nodes=0 --min-nodes=0 --max-nodes=1 --disk-size=100 --workload-metadata=GKE_METADATA',
    );
    expect(result.stderr).toContain('zones for the GPU nvidia-l4: us-central1-a,us-central1-c');
  });

  test('--spot adds Spot VMs and their taint; other types need a machine type, T4 has a default', () => {
    const s = sandbox();
    stubGcloud(s, 'us-central1-b\\n');
    expect(s.run('create-accelerator-pool.sh', ['--spot'], { ...CONTEXT_ENV, ACCELERATOR: 'nvidia-tesla-t4', MAX_NODES: '2' }).status).toBe(
      0,
    );
    expect(s.callsOf('gcloud').find((c) => c.startsWith('container node-pools create'))).toBe(
      'container node-pools create gpu-nvidia-tesla-t4 --cluster=models --region=us-central1 --project=my-project --node-locations=us-central1-b --machine-type=n1-standard-8 --accelerator=type=nvidia-tesla-t4,count=1,gpu-driver-version=default --enable-autoscaling --num-nodes=0 --min-nodes=0 --max-nodes=2 --disk-size=100 --workload-metadata=GKE_METADATA --spot --node-taints=cloud.google.com/gke-spot=true:NoSchedule',
    );
    const other = sandbox();
    stubGcloud(other, 'us-central1-b\\n');
    const result = other.run('create-accelerator-pool.sh', [], { ...CONTEXT_ENV, ACCELERATOR: 'nvidia-l4', ACCELERATOR_COUNT: '2' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'create-accelerator-pool.sh: error: no default machine type for 2 x nvidia-l4; set MACHINE_TYPE (see --help)\n',
    );
    expect(other.calls()).toEqual([]);
  });

  test('a region without the accelerator, or a named zone without it, stops before creating anything', () => {
    const s = sandbox();
    stubGcloud(s, '');
    const none = s.run('create-accelerator-pool.sh', [], { ...CONTEXT_ENV, ACCELERATOR: 'nvidia-h100-80gb' });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('error: no zone of us-central1 offers the GPU nvidia-h100-80gb');
    const z = sandbox();
    stubGcloud(z, 'us-central1-a\\n');
    const wrong = z.run('create-accelerator-pool.sh', [], { ...CONTEXT_ENV, ZONES: 'us-central1-a,us-central1-f' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(
      'error: zone us-central1-f does not offer the GPU nvidia-l4 (zones of us-central1 that do: us-central1-a)',
    );
    for (const sb of [s, z]) expect(sb.callsOf('gcloud').filter((c) => c.includes('node-pools'))).toEqual([]);
  });

  test('a TPU pool is made by machine type and --tpu-topology, not --accelerator', () => {
    const s = sandbox();
    stubGcloud(s, 'us-central1-a\\n');
    const result = s.run('create-accelerator-pool.sh', [], { ...CONTEXT_ENV, TPU_MACHINE_TYPE: 'ct5lp-hightpu-4t', TPU_TOPOLOGY: '2x2' });
    expect(result.status).toBe(0);
    const calls = s.callsOf('gcloud');
    expect(calls[0]).toBe(
      'compute machine-types list --project=my-project --filter=name=ct5lp-hightpu-4t AND zone~us-central1-[a-z]+$ --format=value(zone.basename())',
    );
    const create = calls.find((c) => c.startsWith('container node-pools create'))!;
    expect(create).toBe(
      'container node-pools create tpu-ct5lp-hightpu-4t --cluster=models --region=us-central1 --project=my-project --node-locations=us-central1-a --machine-type=ct5lp-hightpu-4t --tpu-topology=2x2 --enable-autoscaling --num-nodes=0 --min-nodes=0 --max-nodes=1 --disk-size=100 --workload-metadata=GKE_METADATA',
    );
    expect(create).not.toContain('--accelerator');
    const bad = sandbox();
    const topology = bad.run('create-accelerator-pool.sh', [], {
      ...CONTEXT_ENV,
      TPU_MACHINE_TYPE: 'ct5lp-hightpu-4t',
      TPU_TOPOLOGY: '2by2',
    });
    expect(topology.status).toBe(1);
    expect(topology.stderr).toContain('TPU_TOPOLOGY "2by2" is not a topology such as 2x2 or 2x2x1');
  });

  test('run twice against a stateful gcloud: the second run keeps the pool and says so', () => {
    const s = sandbox();
    stubGcloud(s, 'us-central1-a\\n');
    expect(s.run('create-accelerator-pool.sh', [], CONTEXT_ENV).status).toBe(0);
    const second = s.run('create-accelerator-pool.sh', [], CONTEXT_ENV);
    expect(second.status).toBe(0);
    expect(second.stderr).toContain('node pool gpu-nvidia-l4 already exists in cluster models: keeping it');
    expect(s.callsOf('gcloud').filter((c) => c.startsWith('container node-pools create'))).toHaveLength(1);
  });
});

describe('create-cluster.sh against stub gcloud', () => {
  test('a fresh project: enables, creates cluster and repository, binds the service account principal', () => {
    const s = sandbox();
    s.stub(
      'gcloud',
      [
        'case "$*" in',
        '  "container clusters describe"*|"artifacts repositories describe"*) echo "ERROR: NOT_FOUND" >&2; exit 1 ;;',
        '  "projects describe"*) echo 123456789012 ;;',
        '  "artifacts repositories get-iam-policy"*) ;;',
        'esac',
      ].join('\n'),
    );
    const result = s.run('create-cluster.sh', [], { ...ALL_ENV, NAMESPACE: 'ml', SERVICE_ACCOUNT: 'trainer' });
    expect(result.status).toBe(0);
    const calls = s.callsOf('gcloud');
    expect(calls.find((c) => c.startsWith('container clusters create'))).toBe(
      'container clusters create models --project=my-project --region=us-central1 --workload-pool=my-project.svc.id.goog --machine-type=e2-standard-4 --num-nodes=1 --enable-autoscaling --min-nodes=1 --max-nodes=3 --release-channel=regular --no-issue-client-certificate',
    );
    expect(calls).toContain(
      'artifacts repositories create ml-artifacts --repository-format=generic --location=us --project=my-project --description=Models trained and attested by slsa-for-models',
    );
    expect(calls).toContain(
      'artifacts repositories add-iam-policy-binding ml-artifacts --location=us --project=my-project --member=principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/my-project.svc.id.goog/subject/ns/ml/sa/trainer --role=roles/artifactregistry.writer --condition=None',
    );
    expect(calls).toContain('container clusters get-credentials models --region=us-central1 --project=my-project');
  });

  test('re-run: an existing cluster, repository and binding are kept, and said so', () => {
    const s = sandbox();
    const member =
      'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/my-project.svc.id.goog/subject/ns/default/sa/slsa-for-models';
    s.stub(
      'gcloud',
      [
        'case "$*" in',
        '  "container clusters describe"*) echo models ;;',
        '  "artifacts repositories describe"*) echo ml-artifacts ;;',
        '  "projects describe"*) echo 123456789012 ;;',
        `  "artifacts repositories get-iam-policy"*) echo ${member} ;;`,
        'esac',
      ].join('\n'),
    );
    const result = s.run('create-cluster.sh', [], ALL_ENV);
    expect(result.status).toBe(0);
    const calls = s.callsOf('gcloud');
    expect(calls.filter((c) => /clusters create|repositories create|add-iam-policy-binding/.test(c))).toEqual([]);
    expect(result.stderr).toContain('cluster models already exists in us-central1: keeping it');
    expect(result.stderr).toContain('repository ml-artifacts already exists in us: keeping it');
    expect(result.stderr).toContain('already has roles/artifactregistry.writer on ml-artifacts');
    const policyCheck = calls.find((c) => c.startsWith('artifacts repositories get-iam-policy'));
    expect(policyCheck).toContain(`--filter=bindings.role="roles/artifactregistry.writer" AND bindings.members="${member}"`);
  });

  test('run twice against a stateful gcloud: the second run creates nothing', () => {
    const s = sandbox();
    // The stub keeps what was created in files, and describes only what exists.
    s.stub(
      'gcloud',
      [
        'state="$STUB_DIR/state"; mkdir -p "$state"',
        'case "$*" in',
        '  "container clusters describe"*) [[ -f "$state/cluster" ]] || { echo "ERROR: NOT_FOUND" >&2; exit 1; } ;;',
        '  "container clusters create"*) touch "$state/cluster" ;;',
        '  "artifacts repositories describe"*) [[ -f "$state/repository" ]] || { echo "ERROR: NOT_FOUND" >&2; exit 1; } ;;',
        '  "artifacts repositories create"*) touch "$state/repository" ;;',
        '  "projects describe"*) echo 42 ;;',
        '  "artifacts repositories get-iam-policy"*) [[ -f "$state/binding" ]] && cat "$state/binding" ;;',
        '  "artifacts repositories add-iam-policy-binding"*) for a in "$@"; do [[ "$a" == --member=* ]] && echo "${a#--member=}" >"$state/binding"; done ;;',
        'esac',
      ].join('\n'),
    );
    const mutations = () => s.callsOf('gcloud').filter((c) => /clusters create|repositories create|add-iam-policy-binding/.test(c));
    expect(s.run('create-cluster.sh', [], ALL_ENV).status).toBe(0);
    expect(mutations()).toHaveLength(3);
    const again = s.run('create-cluster.sh', [], ALL_ENV);
    expect(again.status).toBe(0);
    expect(mutations()).toHaveLength(3);
    expect(again.stderr.match(/keeping it/g)).toHaveLength(3);
  });

  test('a failing gcloud stops the script with its exit status', () => {
    const s = sandbox();
    s.stub('gcloud', 'if [[ "$1 $2" == "services enable" ]]; then echo "PERMISSION_DENIED" >&2; exit 3; fi');
    const result = s.run('create-cluster.sh', [], ALL_ENV);
    expect(result.status).toBe(3);
    expect(s.callsOf('gcloud')).toHaveLength(1);
  });
});

describe('install-tekton.sh against stub kubectl', () => {
  test('installs both pinned releases, waits, applies dist/ and restarts the controllers', () => {
    const s = sandbox();
    s.file('dist/a.yaml', 'kind: ConfigMap\n');
    s.stub('kubectl', KUBECTL_CONTEXT);
    const result = s.run('install-tekton.sh', [], { ...CONTEXT_ENV, DIST_DIR: path.join(s.dir, 'dist') });
    expect(result.status).toBe(0);
    expect(s.callsOf('kubectl')).toEqual([
      'config current-context',
      'config view --minify -o=jsonpath={.contexts[0].context.namespace}',
      'apply --server-side --force-conflicts -f https://infra.tekton.dev/tekton-releases/pipeline/previous/v1.15.0/release.yaml',
      'apply --server-side --force-conflicts -f https://infra.tekton.dev/tekton-releases/chains/previous/v0.29.2/release.yaml',
      'wait --for=condition=Available deployment --all -n tekton-pipelines --timeout=300s',
      'wait --for=condition=Available deployment --all -n tekton-pipelines-resolvers --timeout=300s',
      'wait --for=condition=Available deployment --all -n tekton-chains --timeout=300s',
      `apply -f ${path.join(s.dir, 'dist')}`,
      'rollout restart deployment/tekton-pipelines-controller -n tekton-pipelines',
      'rollout restart deployment/tekton-chains-controller -n tekton-chains',
      'rollout status deployment/tekton-pipelines-controller -n tekton-pipelines --timeout=300s',
      'rollout status deployment/tekton-chains-controller -n tekton-chains --timeout=300s',
    ]);
  });

  test('a dist/ apply the webhook rejects once is retried; one that keeps failing stops the script', () => {
    const s = sandbox();
    s.file('dist/a.yaml', 'kind: ConfigMap\n');
    const failFirstApply = [
      KUBECTL_CONTEXT,
      'if [[ "$1 $2" == "apply -f" ]]; then',
      '  n=0; [[ -f "$STUB_DIR/applies" ]] && read -r n <"$STUB_DIR/applies"',
      '  echo $((n + 1)) >"$STUB_DIR/applies"',
      '  if ((n < FAILURES)); then echo "admission webhook denied the request: enum" >&2; exit 1; fi',
      'fi',
    ].join('\n');
    s.stub('kubectl', failFirstApply);
    const once = s.run('install-tekton.sh', [], { ...CONTEXT_ENV, DIST_DIR: path.join(s.dir, 'dist'), FAILURES: '1' });
    expect(once.status).toBe(0);
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('apply -f'))).toHaveLength(2);
    expect(once.stderr).toContain('apply failed (attempt 1 of 3)');

    fs.rmSync(path.join(s.dir, 'applies'));
    const always = s.run('install-tekton.sh', [], { ...CONTEXT_ENV, DIST_DIR: path.join(s.dir, 'dist'), FAILURES: '99' });
    expect(always.status).toBe(1);
    expect(always.stderr).toContain(`kubectl apply -f ${path.join(s.dir, 'dist')} failed 3 times`);
  });

  test('refuses a context namespace other than NAMESPACE (dist/ lands in the former, runs go to the latter)', () => {
    const s = sandbox();
    s.file('dist/a.yaml', 'kind: ConfigMap\n');
    s.stub('kubectl', [KUBECTL_CONTEXT, 'if [[ "$1 $2" == "config view" ]]; then printf %s "$CONTEXT_NAMESPACE"; fi'].join('\n'));
    const env = { ...CONTEXT_ENV, DIST_DIR: path.join(s.dir, 'dist'), CONTEXT_NAMESPACE: 'ml-team' };
    const other = s.run('install-tekton.sh', [], env);
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('kubectl\'s current namespace is "ml-team" but NAMESPACE is "default"');
    expect(other.stderr).toContain('kubectl config set-context --current --namespace=default, or export NAMESPACE=ml-team');
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('apply'))).toEqual([]);
    expect(s.run('install-tekton.sh', [], { ...env, NAMESPACE: 'ml-team' }).status).toBe(0);
    // a context without a namespace means "default"
    expect(s.run('install-tekton.sh', [], { ...env, CONTEXT_NAMESPACE: '' }).status).toBe(0);
    expect(s.run('install-tekton.sh', [], { ...env, CONTEXT_NAMESPACE: '', NAMESPACE: 'ml-team' }).status).toBe(1);
  });

  test('refuses to touch a cluster other than the expected one', () => {
    const s = sandbox();
    s.file('dist/a.yaml', 'kind: ConfigMap\n');
    s.stub('kubectl', 'if [[ "$1 $2" == "config current-context" ]]; then echo kind-kind; fi');
    const result = s.run('install-tekton.sh', [], { ...CONTEXT_ENV, DIST_DIR: path.join(s.dir, 'dist') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`kubectl's current context is "kind-kind", expected "${GKE_CONTEXT}"`);
    expect(s.callsOf('kubectl')).toEqual(['config current-context']);
    // KUBE_CONTEXT names another cluster on purpose, and then the GKE variables are not needed.
    const other = s.run('install-tekton.sh', [], { KUBE_CONTEXT: 'kind-kind', DIST_DIR: path.join(s.dir, 'dist') });
    expect(other.status).toBe(0);
  });

  test('a missing dist/ is one clear error', () => {
    const s = sandbox();
    s.stub('kubectl', KUBECTL_CONTEXT);
    const result = s.run('install-tekton.sh', [], { ...CONTEXT_ENV, DIST_DIR: path.join(s.dir, 'nowhere') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('nowhere does not exist (run npm run synth first)');
    expect(s.calls()).toEqual([]);
  });
});

describe('install-triggers.sh against stub kubectl', () => {
  const TRIGGERS_YAML =
    'kind: ClusterRoleBinding\nsubjects:\n  - kind: ServiceAccount\n    name: slsa-for-models-triggers\n    namespace: default\n';

  test('installs the pinned Triggers release and interceptors, waits, applies dist/triggers in NAMESPACE', () => {
    const s = sandbox();
    s.file('triggers/a.yaml', TRIGGERS_YAML);
    s.stub('kubectl', KUBECTL_CONTEXT);
    const result = s.run('install-triggers.sh', [], { ...CONTEXT_ENV, TRIGGERS_DIR: path.join(s.dir, 'triggers') });
    expect(result.status).toBe(0);
    expect(s.callsOf('kubectl')).toEqual([
      'config current-context',
      'apply -f https://infra.tekton.dev/tekton-releases/triggers/previous/v0.37.0/release.yaml',
      'apply -f https://infra.tekton.dev/tekton-releases/triggers/previous/v0.37.0/interceptors.yaml',
      'wait --for=condition=Available deployment -l app.kubernetes.io/part-of=tekton-triggers -n tekton-pipelines --timeout=300s',
      `apply -n default -f ${path.join(s.dir, 'triggers')}`,
      'get secret github-webhook-secret -n default',
    ]);
    // the stub answers every get: the Secret exists, so there is no reminder
    expect(result.stderr).not.toContain('create-webhook-secret.sh');
  });

  test('an apply the starting webhook refuses is retried; a missing webhook Secret is named', () => {
    const s = sandbox();
    s.file('triggers/a.yaml', TRIGGERS_YAML);
    s.stub(
      'kubectl',
      [
        KUBECTL_CONTEXT,
        'if [[ "$1 $2 $3" == "apply -n default" && ! -f "$STUB_DIR/once" ]]; then touch "$STUB_DIR/once"; echo "connection refused" >&2; exit 1; fi',
        'if [[ "$1 $2" == "get secret" ]]; then echo "NotFound" >&2; exit 1; fi',
      ].join('\n'),
    );
    const result = s.run('install-triggers.sh', [], { ...CONTEXT_ENV, TRIGGERS_DIR: path.join(s.dir, 'triggers') });
    expect(result.status).toBe(0);
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('apply -n'))).toHaveLength(2);
    expect(result.stderr).toContain('apply failed (attempt 1 of 5)');
    expect(result.stderr).toContain('no secret default/github-webhook-secret yet: run scripts/create-webhook-secret.sh');
  });

  test('refuses a NAMESPACE other than the one dist/triggers was synthesized for, before any cluster call', () => {
    const s = sandbox();
    s.file('triggers/a.yaml', TRIGGERS_YAML);
    s.stub('kubectl', KUBECTL_CONTEXT);
    const result = s.run('install-triggers.sh', [], { ...CONTEXT_ENV, TRIGGERS_DIR: path.join(s.dir, 'triggers'), NAMESPACE: 'ml' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `install-triggers.sh: error: ${path.join(s.dir, 'triggers')} was synthesized for namespace "default" but NAMESPACE is "ml" (run: TRIGGER_NAMESPACE=ml npm run synth, or export NAMESPACE=default)`,
    );
    expect(s.calls()).toEqual([]);
    s.file('triggers/a.yaml', TRIGGERS_YAML.replace('namespace: default', 'namespace: ml'));
    expect(s.run('install-triggers.sh', [], { ...CONTEXT_ENV, TRIGGERS_DIR: path.join(s.dir, 'triggers'), NAMESPACE: 'ml' }).status).toBe(
      0,
    );
  });

  test('the committed dist/triggers is what it applies by default', () => {
    const s = sandbox();
    const commands = s.run('install-triggers.sh', ['--dry-run'], CONTEXT_ENV);
    expect(commands.status).toBe(0);
    expect(commands.stdout).toContain(`+ kubectl apply -n default -f ${path.join(ROOT, 'dist', 'triggers')}`);
    expect(s.calls()).toEqual([]);
  });
});

describe('create-webhook-secret.sh against stub kubectl', () => {
  /** kubectl with a Secret store in $STUB_DIR/secret: get prints the stored token (base64), create|apply stores the file's. */
  function stubSecretStore(s: Sandbox) {
    s.stub(
      'kubectl',
      [
        KUBECTL_CONTEXT,
        'if [[ "$1 $2" == "get secret" ]]; then [[ -f "$STUB_DIR/secret" ]] && base64 <"$STUB_DIR/secret" | tr -d "\\n"; exit 0; fi',
        'if [[ "$1 $2 $3" == "create secret generic" ]]; then f="${7#--from-file=token=}"; cp "$f" "$STUB_DIR/secret"; exit 0; fi',
        'if [[ "$1 $2" == "apply -f" ]]; then cat >/dev/null; exit 0; fi',
      ].join('\n'),
    );
  }

  test('makes a random token, stores it from a file, prints it once on stdout; a re-run keeps it and prints nothing', () => {
    const s = sandbox();
    stubSecretStore(s);
    const first = s.run('create-webhook-secret.sh', [], CONTEXT_ENV);
    expect(first.status).toBe(0);
    const token = first.stdout.trim();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(path.join(s.dir, 'secret'), 'utf8')).toBe(token);
    // the token is on no command line
    expect(s.calls().flat().join(' ')).not.toContain(token);
    expect(first.stderr).toContain('It is printed this once');

    const second = s.run('create-webhook-secret.sh', [], CONTEXT_ENV);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('already holds a token: keeping it');
    expect(fs.readFileSync(path.join(s.dir, 'secret'), 'utf8')).toBe(token);
  });

  test('--rotate replaces the token with a new one and says so', () => {
    const s = sandbox();
    stubSecretStore(s);
    const old = s.run('create-webhook-secret.sh', [], CONTEXT_ENV).stdout.trim();
    const rotated = s.run('create-webhook-secret.sh', ['--rotate'], CONTEXT_ENV);
    expect(rotated.status).toBe(0);
    const fresh = rotated.stdout.trim();
    expect(fresh).toMatch(/^[0-9a-f]{64}$/);
    expect(fresh).not.toBe(old);
    expect(fs.readFileSync(path.join(s.dir, 'secret'), 'utf8')).toBe(fresh);
    expect(rotated.stderr).toContain('rotated the token in default/github-webhook-secret');
  });

  test('--dry-run makes no token and calls nothing', () => {
    const s = sandbox();
    const result = s.run('create-webhook-secret.sh', ['--dry-run', '--rotate'], { ...CONTEXT_ENV, NAMESPACE: 'ml' });
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('+ '))).toEqual([
      '+ kubectl config current-context',
      "+ kubectl get secret github-webhook-secret -n ml --ignore-not-found '-o=jsonpath={.data.token}'",
      '+ openssl rand -hex 32',
      '+ kubectl create secret generic github-webhook-secret -n ml --from-file=token=TOKEN_FILE --dry-run=client -o yaml',
      '+ kubectl apply -f -',
    ]);
    expect(s.calls()).toEqual([]);
  });
});

describe('generate-signing-key.sh against stub kubectl and cosign', () => {
  test('no key yet: cosign generates it into the Chains secret, and only its public key is published for the gate', () => {
    const s = sandbox();
    s.stub(
      'kubectl',
      [KUBECTL_CONTEXT, PUBLIC_KEY_ANSWER, 'if [[ "$1 $2" == "apply -f" ]]; then cat >"$STUB_DIR/applied.yaml"; fi'].join('\n'),
    );
    s.stub('cosign');
    const result = s.run('generate-signing-key.sh', [], CONTEXT_ENV);
    expect(result.status).toBe(0);
    expect(s.callsOf('kubectl')[1]).toBe('get secret signing-secrets -n tekton-chains --ignore-not-found -o=jsonpath={.data.cosign\\.key}');
    expect(s.callsOf('cosign')).toEqual(['generate-key-pair k8s://tekton-chains/signing-secrets']);
    expect(s.callsOf('kubectl').slice(2, 5)).toEqual([
      'rollout restart deployment/tekton-chains-controller -n tekton-chains',
      'rollout status deployment/tekton-chains-controller -n tekton-chains --timeout=300s',
      'get secret signing-secrets -n tekton-chains -o=jsonpath={.data.cosign\\.pub}',
    ]);
    // the two ends of a pipe: they record their calls in either order
    expect(s.callsOf('kubectl').slice(5).sort()).toEqual([
      'apply -f -',
      expect.stringMatching(
        /^create configmap slsa-for-models-signing-key -n default --from-file=cosign\.pub=\S+ --dry-run=client -o yaml$/,
      ),
    ]);
    // the stub kubectl printed the file it was given as the ConfigMap: the public key, nothing else
    expect(fs.readFileSync(path.join(s.dir, 'applied.yaml'), 'utf8')).toBe(PUBLIC_KEY_PEM);
    expect(result.stderr).toContain('published the public key into configmap default/slsa-for-models-signing-key');
  });

  test('a Secret without a PEM cosign.pub is an error, not an empty ConfigMap', () => {
    const s = sandbox();
    s.stub(
      'kubectl',
      [
        KUBECTL_CONTEXT,
        `[[ "$*" == *cosign\\\\.key* ]] && printf %s a2V5`,
        `[[ "$*" == *cosign\\\\.pub* ]] && printf %s ${Buffer.from('not a key').toString('base64')}`,
      ].join('\n'),
    );
    const result = s.run('generate-signing-key.sh', [], CONTEXT_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe(
      'generate-signing-key.sh: error: cosign.pub in k8s://tekton-chains/signing-secrets is not a PEM public key',
    );
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('apply') || c.startsWith('create'))).toEqual([]);
  });

  test('run twice against a stateful cluster: the key is generated once', () => {
    const s = sandbox();
    s.stub(
      'kubectl',
      `${KUBECTL_CONTEXT}\n${PUBLIC_KEY_ANSWER}\n[[ "$1 $2" == "get secret" && "$*" == *cosign\\\\.key* && -f "$STUB_DIR/key" ]] && cat "$STUB_DIR/key"`,
    );
    s.stub('cosign', 'printf %s LS0tLS1CRUdJTg== >"$STUB_DIR/key"');
    expect(s.run('generate-signing-key.sh', [], CONTEXT_ENV).status).toBe(0);
    expect(s.run('generate-signing-key.sh', [], CONTEXT_ENV).status).toBe(0);
    expect(s.callsOf('cosign')).toEqual(['generate-key-pair k8s://tekton-chains/signing-secrets']);
  });

  test('the secret already holds cosign.key: nothing is generated', () => {
    const s = sandbox();
    s.stub(
      'kubectl',
      `${KUBECTL_CONTEXT}\n${PUBLIC_KEY_ANSWER}\n[[ "$1 $2" == "get secret" && "$*" == *cosign\\\\.key* ]] && printf '%s' ${Buffer.from('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----').toString('base64')}`,
    );
    const result = s.run('generate-signing-key.sh', [], CONTEXT_ENV);
    expect(result.status).toBe(0);
    expect(s.callsOf('cosign')).toEqual([]);
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('rollout'))).toEqual([]);
    expect(result.stderr).toContain('already holds cosign.key: keeping it');
  });
});

describe('deploy-model.sh against stub kubectl and tkn', () => {
  /** kubectl as it answers for training run slsa-for-models-q1w2e (signed or not) and a deploy run that ends with STATE. */
  function stubDeploy(s: Sandbox, signed: string, state: string) {
    s.stub(
      'kubectl',
      [
        KUBECTL_CONTEXT,
        'case "$1 $2 $3" in',
        `  "get pipelinerun slsa-for-models-q1w2e") printf %s '${signed}' ;;`,
        '  "patch --local -f") printf %s \'{"kind":"PipelineRun","spec":{"params":[{"name":"training-run","value":"slsa-for-models-q1w2e"}]}}\' ;;',
        '  "create -n default") cat >"$STUB_DIR/created.json"; printf %s slsa-for-models-deploy-a1b2c ;;',
        `  "get pipelinerun slsa-for-models-deploy-a1b2c") printf %s '${state}' ;;`,
        '  "get configmap slsa-for-models-trusted-root") printf %s configmap/slsa-for-models-trusted-root ;;',
        '  "create configmap slsa-for-models-trusted-root") f="${6#--from-file=trusted_root.json=}"; printf "data: %s\\n" "$(cat "$f")" ;;',
        '  "apply -f -") cat >"$STUB_DIR/applied.yaml" ;;',
        '  "logs -n default") printf "%s\\n" "deploy-gate: fetched pipelinerun default/slsa-for-models-q1w2e" "deploy-gate: verify failed: builder id is https://evil.example, not https://tekton.dev/chains/v2" ;;',
        '  "get inferenceservice slsa-for-models") printf "%s\\n" "abc pvc://slsa-for-models-models/sha256-abc" ;;',
        'esac',
      ].join('\n'),
    );
    s.stub('tkn');
    return s.file('deploy-run.yaml', 'kind: PipelineRun\n');
  }

  test('creates the deploy run for the training run, follows it, and shows what is served', () => {
    const s = sandbox();
    const runFile = stubDeploy(s, 'true', 'True|Succeeded: Tasks Completed: 2');
    const result = s.run('deploy-model.sh', ['slsa-for-models-q1w2e'], { ...CONTEXT_ENV, DEPLOY_RUN_FILE: runFile });
    expect(result.stderr).not.toContain('error');
    expect(result.status).toBe(0);
    expect(s.callsOf('kubectl')).toEqual([
      'config current-context',
      'get pipelinerun slsa-for-models-q1w2e -n default -o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/signed}',
      'get configmap slsa-for-models-trusted-root -n default --ignore-not-found -o=name',
      `patch --local -f ${runFile} --type=json -p=[{"op":"replace","path":"/spec/params/0","value":{"name":"training-run","value":"slsa-for-models-q1w2e"}}] -o json`,
      'create -n default -f - -o=jsonpath={.metadata.name}',
      expect.stringMatching(/^get pipelinerun slsa-for-models-deploy-a1b2c -n default/),
      expect.stringMatching(/^get inferenceservice slsa-for-models -n default/),
    ]);
    expect(result.stderr).not.toContain('no trusted root');
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, 'created.json'), 'utf8')).spec.params).toEqual([
      { name: 'training-run', value: 'slsa-for-models-q1w2e' },
    ]);
    expect(s.callsOf('tkn')).toEqual(['pipelinerun logs slsa-for-models-deploy-a1b2c -f -n default']);
    expect(result.stdout).toBe('abc pvc://slsa-for-models-models/sha256-abc\n');
  });

  test('with TRUSTED_ROOT it publishes the trusted root into its ConfigMap before the run', () => {
    const s = sandbox();
    const runFile = stubDeploy(s, 'true', 'True|Succeeded: Tasks Completed: 2');
    const root = s.file('trusted_root.json', '{"tlogs": []}');
    const result = s.run('deploy-model.sh', ['slsa-for-models-q1w2e'], { ...CONTEXT_ENV, DEPLOY_RUN_FILE: runFile, TRUSTED_ROOT: root });
    expect(result.status).toBe(0);
    // both sides of the pipe run at once: their order in the log is not fixed
    expect(s.callsOf('kubectl').slice(2, 4).sort()).toEqual([
      'apply -f -',
      `create configmap slsa-for-models-trusted-root -n default --from-file=trusted_root.json=${root} --dry-run=client -o yaml`,
    ]);
    expect(fs.readFileSync(path.join(s.dir, 'applied.yaml'), 'utf8')).toBe('data: {"tlogs": []}\n');
    expect(result.stderr).toContain('published');
  });

  test('a failed gate ends the script with the one line naming the failed check', () => {
    const s = sandbox();
    const runFile = stubDeploy(s, 'true', 'False|Failed: Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 1');
    const result = s.run('deploy-model.sh', ['slsa-for-models-q1w2e'], { ...CONTEXT_ENV, DEPLOY_RUN_FILE: runFile });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe(
      'deploy-model.sh: error: deploy run slsa-for-models-deploy-a1b2c stopped before serving anything: deploy-gate: verify failed: builder id is https://evil.example, not https://tekton.dev/chains/v2',
    );
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('get inferenceservice'))).toEqual([]);
  });

  test('an unsigned training run is refused before anything is created', () => {
    const s = sandbox();
    const runFile = stubDeploy(s, 'false', 'True|Succeeded');
    const result = s.run('deploy-model.sh', ['slsa-for-models-q1w2e'], { ...CONTEXT_ENV, DEPLOY_RUN_FILE: runFile });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'pipelinerun default/slsa-for-models-q1w2e is not signed by Tekton Chains (chains.tekton.dev/signed is "false")',
    );
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('create'))).toEqual([]);
  });

  test('a RUN that is not a PipelineRun name is a usage error', () => {
    const s = sandbox();
    const result = s.run('deploy-model.sh', ['../etc'], CONTEXT_ENV);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('deploy-model.sh: RUN "../etc" is not a PipelineRun name (see --help)\n');
    expect(s.calls()).toEqual([]);
  });
});

describe('run-pipeline.sh against stub kubectl and tkn', () => {
  function runStub(states: string[]): string {
    // Each status query answers the next state "Succeeded|signed|reason: message", the last one repeating.
    return [
      KUBECTL_CONTEXT,
      'case "$1" in',
      '  create) printf %s slsa-for-models-7x2kq ;;',
      '  get)',
      '    n=0; [[ -f "$STUB_DIR/polls" ]] && read -r n <"$STUB_DIR/polls"; echo $((n + 1)) >"$STUB_DIR/polls"',
      `    states=(${states.map((st) => `'${st}'`).join(' ')})`,
      '    i=$n; ((i < ${#states[@]})) || i=$((${#states[@]} - 1)); printf %s "${states[$i]}" ;;',
      'esac',
    ].join('\n');
  }

  function start(states: string[], env: Record<string, string> = {}) {
    const s = sandbox();
    s.file('dist/runs/run.yaml', 'apiVersion: tekton.dev/v1\nkind: PipelineRun\n');
    s.stub('kubectl', runStub(states));
    s.stub('tkn', 'echo "[train : train] epoch 1"');
    return { s, result: s.run('run-pipeline.sh', [path.join(s.dir, 'dist/runs/run.yaml')], { ...CONTEXT_ENV, ...env }) };
  }

  test('creates the run, follows its logs, waits for success and the Chains signature, prints the name', () => {
    const { s, result } = start(['Unknown||Running: Tasks Completed: 1', 'True||Succeeded: Tasks Completed: 3', 'True|true|Succeeded: ok']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').pop()).toBe('slsa-for-models-7x2kq');
    const kubectl = s.callsOf('kubectl');
    expect(kubectl[1]).toBe(`create -f ${path.join(s.dir, 'dist/runs/run.yaml')} -n default -o=jsonpath={.metadata.name}`);
    expect(kubectl.filter((c) => c.startsWith('get pipelinerun slsa-for-models-7x2kq'))).toHaveLength(3);
    expect(s.callsOf('tkn')).toEqual(['pipelinerun logs slsa-for-models-7x2kq -f -n default']);
  });

  test("a failed run fails with Tekton's reason", () => {
    const { result } = start(['False||Failed: Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pipelinerun slsa-for-models-7x2kq failed: Failed: Tasks Completed: 2 (Failed: 1');
  });

  test('chains.tekton.dev/signed "failed" fails', () => {
    const { result } = start(['True|failed|Succeeded: ok']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('tekton chains failed to sign pipelinerun slsa-for-models-7x2kq');
  });

  test('no signature before the timeout fails and says what to check', () => {
    const { result } = start(['True||Succeeded: ok'], { SIGNED_TIMEOUT: '0' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not signed after 0s');
    expect(result.stderr).toContain('generate-signing-key.sh');
  });

  test('a run that uploads to another repository than LOCATION/REPOSITORY_NAME is refused before it starts', () => {
    const s = sandbox();
    const runFile = s.file('run.yaml', 'kind: PipelineRun\n');
    s.stub('kubectl', `${KUBECTL_CONTEXT}\n[[ "$1 $2" == "create --dry-run=client" ]] && printf %s us/ml-artifacts`);
    const mismatch = s.run('run-pipeline.sh', [runFile], { ...ALL_ENV, REPOSITORY_NAME: 'models' });
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toContain('uploads to us/ml-artifacts (param model-storage) but LOCATION/REPOSITORY_NAME say us/models');
    expect(s.callsOf('kubectl')).toEqual([
      'config current-context',
      `create --dry-run=client -f ${runFile} -o=jsonpath={.spec.params[?(@.name=="model-storage")].value.location}/{.spec.params[?(@.name=="model-storage")].value.repository}`,
    ]);
    expect(s.callsOf('tkn')).toEqual([]);
    // with only one of the two set, only that one is compared
    const { LOCATION: _location, ...withoutLocation } = ALL_ENV;
    const onlyRepository = s.run('run-pipeline.sh', [runFile], { ...withoutLocation, REPOSITORY_NAME: 'models' });
    expect(onlyRepository.status).toBe(1);
    expect(onlyRepository.stderr).toContain('uploads to us/ml-artifacts (param model-storage) but LOCATION/REPOSITORY_NAME say /models');
    const onlyLocation = s.run('run-pipeline.sh', [runFile], { ...CONTEXT_ENV, LOCATION: 'europe-west4' });
    expect(onlyLocation.status).toBe(1);
  });

  test('a run that agrees with the one variable set is not refused for the other', () => {
    const s = sandbox();
    const runFile = s.file('run.yaml', 'kind: PipelineRun\n');
    stubSucceedingRun(s);
    for (const env of [
      { ...CONTEXT_ENV, LOCATION: 'us' },
      { ...CONTEXT_ENV, REPOSITORY_NAME: 'ml-artifacts' },
    ]) {
      const result = s.run('run-pipeline.sh', [runFile], env);
      expect(result.stderr).not.toContain('uploads to');
      expect(result.status).toBe(0);
    }
  });

  test('a run whose repository agrees starts', () => {
    const s = sandbox();
    const runFile = s.file('run.yaml', 'kind: PipelineRun\n');
    stubSucceedingRun(s);
    const result = s.run('run-pipeline.sh', [runFile], ALL_ENV);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('slsa-for-models-q1w2e');
  });

  test('refuses a run that still clones from the placeholder host, before any kubectl call', () => {
    const s = sandbox();
    const runFile = s.file('gpu.yaml', 'kind: PipelineRun\n        url: https://git.example.invalid/your-fork/slsa-for-models\n');
    const result = s.run('run-pipeline.sh', [runFile], ALL_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'clones its model source from the placeholder git.example.invalid; synthesize it with WORKLOAD_REPOSITORY=',
    );
    expect(s.calls()).toEqual([]);
  });

  test('without an argument it needs exactly one file in dist/runs/', () => {
    const s = sandbox();
    s.stub('kubectl', KUBECTL_CONTEXT);
    // The sandbox has no dist/: the checkout's dist/runs is used, so name a file that is certainly absent.
    const result = s.run('run-pipeline.sh', [path.join(s.dir, 'absent.yaml')], CONTEXT_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('absent.yaml does not exist');
  });
});

describe('run-pipeline.sh and the trusted root for a base model signed by a Sigstore identity', () => {
  const RUN = 'apiVersion: tekton.dev/v1\nkind: PipelineRun\nspec:\n  params:\n    - name: model-name\n      value: pytorch_model.pth\n';
  const IDENTITY_RUN = `${RUN}    - name: base-model\n      value:\n        uri: https://models.example/base\n        signature: https://models.example/base.sig\n        certificate-identity: publisher@example.com\n        certificate-oidc-issuer: https://accounts.google.com\n`;
  const KEY_RUN = `${RUN}    - name: base-model\n      value:\n        uri: https://models.example/base\n        signature: https://models.example/base.sig\n        key: https://models.example/publisher.pub\n        certificate-identity: ""\n        certificate-oidc-issuer: ""\n`;

  /** kubectl as it answers: the base-model identity (the run file's, read by a grep here), the ConfigMap (present or not), a run that succeeds and is signed. */
  function stubCluster(s: Sandbox, opts: { configMap: boolean }) {
    s.stub(
      'kubectl',
      [
        KUBECTL_CONTEXT,
        'if [[ "$1 $2" == "create --dry-run=client" && "$*" == *certificate-identity* ]]; then',
        '  f="$4"; line="$(grep "certificate-identity:" "$f")"; v="${line#*: }"; [[ "$v" == \'""\' ]] && v=""; printf %s "$v"; exit 0',
        'fi',
        'case "$1 $2 $3" in',
        `  "get configmap slsa-for-models-trusted-root") ${opts.configMap ? 'printf %s configmap/slsa-for-models-trusted-root' : 'true'} ;;`,
        '  "create configmap slsa-for-models-trusted-root") f="${6#--from-file=trusted_root.json=}"; printf "data: %s\\n" "$(cat "$f")" ;;',
        '  "apply -f -") cat >"$STUB_DIR/applied.yaml" ;;',
        '  "create -f "*) printf %s slsa-for-models-7x2kq ;;',
        '  "get pipelinerun slsa-for-models-7x2kq") printf %s "True|true|Succeeded: ok" ;;',
        'esac',
      ].join('\n'),
    );
    s.stub('tkn');
  }

  function start(run: string, env: Record<string, string>, opts: { configMap?: boolean; jq?: boolean } = {}) {
    const s = sandbox();
    if (opts.jq) s.addSystemTool('jq');
    const runFile = s.file('run.yaml', run);
    stubCluster(s, { configMap: opts.configMap ?? false });
    return { s, runFile, result: s.run('run-pipeline.sh', [runFile], { ...CONTEXT_ENV, ...env }) };
  }

  const WARNING =
    /^run-pipeline\.sh: warning: no configmap default\/slsa-for-models-trusted-root and no TRUSTED_ROOT: the training task will refuse base-model, checked by Sigstore identity publisher@example\.com \("no trusted root"\): set TRUSTED_ROOT$/m;

  (HAVE_PUBLIC_GOOD_TRUSTED_ROOT ? test : test.skip)(
    'with TRUSTED_ROOT it publishes the trusted root into its ConfigMap before it creates the run (with and without jq)',
    () => {
      for (const jq of HAVE_JQ ? [false, true] : [false]) {
        const { s, runFile, result } = start(IDENTITY_RUN, { TRUSTED_ROOT: PUBLIC_GOOD_TRUSTED_ROOT }, { jq });
        expect(result.stderr).not.toContain('error');
        expect(result.status).toBe(0);
        const kubectl = s.callsOf('kubectl');
        // both sides of the pipe run at once: their order in the log is not fixed
        expect(kubectl.slice(1, 3).sort()).toEqual([
          'apply -f -',
          `create configmap slsa-for-models-trusted-root -n default --from-file=trusted_root.json=${PUBLIC_GOOD_TRUSTED_ROOT} --dry-run=client -o yaml`,
        ]);
        expect(kubectl[3]).toBe(`create -f ${runFile} -n default -o=jsonpath={.metadata.name}`);
        // with TRUSTED_ROOT given, the run's base-model is not read: the root is published whatever it names
        expect(kubectl.filter((c) => c.includes('certificate-identity') || c.startsWith('get configmap'))).toEqual([]);
        expect(fs.readFileSync(path.join(s.dir, 'applied.yaml'), 'utf8')).toBe(
          `data: ${fs.readFileSync(PUBLIC_GOOD_TRUSTED_ROOT, 'utf8').trimEnd()}\n`,
        );
        expect(result.stderr).toContain(
          `+ kubectl create configmap slsa-for-models-trusted-root -n default --from-file=trusted_root.json=${PUBLIC_GOOD_TRUSTED_ROOT} --dry-run=client -o yaml | kubectl apply -f -\n`,
        );
        expect(result.stderr).toContain(
          `run-pipeline.sh: published ${PUBLIC_GOOD_TRUSTED_ROOT} into configmap default/slsa-for-models-trusted-root (for a base model checked by its Sigstore identity in the training task)\n`,
        );
        expect(result.stderr).not.toContain('warning');
      }
    },
  );

  test('with TRUSTED_ROOT it publishes for a run without a base model too, in the run namespace', () => {
    const s = sandbox();
    const root = s.file('trusted_root.json', '{"mediaType": "application/vnd.dev.sigstore.trustedroot.v0.2+json", "tlogs": []}');
    const runFile = s.file('run.yaml', RUN);
    stubCluster(s, { configMap: false });
    const result = s.run('run-pipeline.sh', [runFile], { ...CONTEXT_ENV, NAMESPACE: 'ml', TRUSTED_ROOT: root });
    expect(result.status).toBe(0);
    expect(s.callsOf('kubectl').slice(1, 3).sort()).toEqual([
      'apply -f -',
      `create configmap slsa-for-models-trusted-root -n ml --from-file=trusted_root.json=${root} --dry-run=client -o yaml`,
    ]);
  });

  test('a TRUSTED_ROOT that is not a file, or not a trusted root, stops in one line before anything is created', () => {
    const cases: Array<[string, (s: Sandbox) => string, RegExp, boolean]> = [
      ['a missing file', (s) => path.join(s.dir, 'absent.json'), /TRUSTED_ROOT \S+absent\.json is not a file$/, false],
      [
        'a directory',
        (s) => {
          fs.mkdirSync(path.join(s.dir, 'root'));
          return path.join(s.dir, 'root');
        },
        /TRUSTED_ROOT \S+root is not a file$/,
        false,
      ],
      ...Object.entries(NOT_TRUSTED_ROOTS).flatMap(([name, content]) =>
        (HAVE_JQ ? [false, true] : [false]).map((jq): [string, (s: Sandbox) => string, RegExp, boolean] => [
          `${name}${jq ? ' (jq)' : ''}`,
          (s) => s.file('trusted_root.json', content),
          /TRUSTED_ROOT \S+trusted_root\.json is not a Sigstore trusted_root\.json \([^)]+\)$/,
          jq,
        ]),
      ),
    ];
    for (const [name, file, message, jq] of cases) {
      const s = sandbox();
      if (jq) s.addSystemTool('jq');
      stubCluster(s, { configMap: true });
      const runFile = s.file('run.yaml', IDENTITY_RUN);
      const result = s.run('run-pipeline.sh', [runFile], { ...CONTEXT_ENV, TRUSTED_ROOT: file(s) });
      expect({ name, status: result.status, stdout: result.stdout, lines: result.stderr.trim().split('\n').length }).toEqual({
        name,
        status: 1,
        stdout: '',
        lines: 1,
      });
      expect(result.stderr.trimEnd()).toMatch(new RegExp(`^run-pipeline\\.sh: error: ${message.source}`));
      expect(s.calls()).toEqual([]);
    }
  });

  test('without TRUSTED_ROOT: one warning for a run whose base model names a certificate-identity and no ConfigMap', () => {
    const { s, runFile, result } = start(IDENTITY_RUN, {});
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(WARNING);
    expect(result.stderr.match(/warning/g)).toHaveLength(1);
    const kubectl = s.callsOf('kubectl');
    expect(kubectl.slice(1, 4)).toEqual([
      `create --dry-run=client -f ${runFile} -o=jsonpath={.spec.params[?(@.name=="base-model")].value.certificate-identity}`,
      'get configmap slsa-for-models-trusted-root -n default --ignore-not-found -o=name',
      `create -f ${runFile} -n default -o=jsonpath={.metadata.name}`,
    ]);
    expect(kubectl.filter((c) => c.startsWith('create configmap') || c.startsWith('apply'))).toEqual([]);
  });

  test('a run file kubectl cannot read stops before anything is created', () => {
    const s = sandbox();
    const runFile = s.file('run.yaml', IDENTITY_RUN);
    s.stub(
      'kubectl',
      `${KUBECTL_CONTEXT}\n[[ "$1 $2" == "create --dry-run=client" ]] && { echo 'error: no matches for kind "PipelineRun"' >&2; exit 1; }`,
    );
    const result = s.run('run-pipeline.sh', [runFile], CONTEXT_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe(
      `run-pipeline.sh: error: cannot read param base-model of ${runFile} (kubectl create --dry-run=client failed)`,
    );
    expect(s.callsOf('kubectl').filter((c) => c.startsWith('create -f') || c.startsWith('get configmap'))).toEqual([]);
  });

  test('without TRUSTED_ROOT: no warning when the ConfigMap exists, or the base model is checked by key, or there is none', () => {
    const published = start(IDENTITY_RUN, {}, { configMap: true });
    expect(published.result.status).toBe(0);
    expect(published.result.stderr).not.toContain('warning');
    expect(published.s.callsOf('kubectl')).toContain('get configmap slsa-for-models-trusted-root -n default --ignore-not-found -o=name');

    const byKey = start(KEY_RUN, {});
    expect(byKey.result.status).toBe(0);
    expect(byKey.result.stderr).not.toContain('warning');
    // the key is in the file, empty: kubectl reads it, and the ConfigMap is not asked for
    expect(byKey.s.callsOf('kubectl').filter((c) => c.startsWith('get configmap'))).toEqual([]);

    const none = start(RUN, {});
    expect(none.result.status).toBe(0);
    expect(none.result.stderr).not.toContain('warning');
    expect(none.s.callsOf('kubectl')).toEqual([
      'config current-context',
      `create -f ${none.runFile} -n default -o=jsonpath={.metadata.name}`,
      'get pipelinerun slsa-for-models-7x2kq -n default -o=jsonpath={.status.conditions[?(@.type=="Succeeded")].status}|{.metadata.annotations.chains\\.tekton\\.dev/signed}|{.status.conditions[?(@.type=="Succeeded")].reason}: {.status.conditions[?(@.type=="Succeeded")].message}',
    ]);
  });
});

describe('fetch-attestation.sh against stub kubectl', () => {
  const ENTRY_URL = 'https://rekor.sigstore.dev/api/v1/log/entries?logIndex=123';
  const REKOR_ENTRY =
    '{"24296fb24b8ad77a":{"body":"e30=","integratedTime":1,"logID":"c0","logIndex":123,"verification":{"signedEntryTimestamp":"MEUC"}}}';
  function kubectlServing(run: ReturnType<typeof signedPipelineRun>, transparency = ENTRY_URL) {
    const signature = run.metadata.annotations[`chains.tekton.dev/signature-pipelinerun-${run.metadata.uid}`] ?? '';
    const payload = run.metadata.annotations[`chains.tekton.dev/payload-pipelinerun-${run.metadata.uid}`] ?? '';
    return [
      KUBECTL_CONTEXT,
      'case "$*" in',
      `  *"-l tekton.dev/pipeline=slsa-for-models"*) printf %s ${run.metadata.name} ;;`,
      `  *"{.metadata.uid}"*) printf %s ${run.metadata.uid} ;;`,
      `  *"signature-pipelinerun-${run.metadata.uid}}"*) printf %s '${signature}' ;;`,
      `  *"payload-pipelinerun-${run.metadata.uid}}"*) printf %s '${payload}' ;;`,
      `  *"cert-pipelinerun-${run.metadata.uid}}"*) printf %s '${run.metadata.annotations[`chains.tekton.dev/cert-pipelinerun-${run.metadata.uid}`] ?? ''}' ;;`,
      `  *"transparency}"*) printf %s '${transparency}' ;;`,
      `  *"-o json"*) cat <<'JSON'\n${JSON.stringify(run, null, 2)}\nJSON\n ;;`,
      'esac',
    ].join('\n');
  }

  test('writes the envelope, the statement and the PipelineRun, byte for byte', () => {
    const s = sandbox();
    const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
    const run = signedPipelineRun(envelope, statement);
    s.stub('kubectl', kubectlServing(run));
    s.stub('curl', `printf %s '${REKOR_ENTRY}'`);
    fs.mkdirSync(path.join(s.dir, 'out'));
    const result = s.run('fetch-attestation.sh', ['--output-dir', 'out'], CONTEXT_ENV);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(s.dir, 'out', 'model.build-slsa'), 'utf8')).toBe(envelope);
    expect(fs.readFileSync(path.join(s.dir, 'out', 'model.statement.json'), 'utf8')).toBe(statement);
    expect(JSON.parse(fs.readFileSync(path.join(s.dir, 'out', 'pipelinerun.json'), 'utf8'))).toEqual(run);
    expect(fs.readFileSync(path.join(s.dir, 'out', 'rekor-entry.json'), 'utf8')).toBe(REKOR_ENTRY);
    expect(fs.readdirSync(path.join(s.dir, 'out')).sort()).toEqual([
      'model.build-slsa',
      'model.statement.json',
      'pipelinerun.json',
      'rekor-entry.json',
    ]);
    expect(result.stderr).toContain(`transparency log entry of this provenance: ${ENTRY_URL}`);
    expect(s.callsOf('curl')).toEqual([`--fail --silent --show-error --proto =https --max-time 60 ${ENTRY_URL}`]);
    const kubectl = s.callsOf('kubectl');
    expect(kubectl[1]).toContain('get pipelinerun -n default -l tekton.dev/pipeline=slsa-for-models --sort-by=.metadata.creationTimestamp');
    expect(kubectl).toContain(
      'get pipelinerun slsa-for-models-abcde -n default -o=jsonpath={.metadata.annotations.chains\\.tekton\\.dev/signature-pipelinerun-uid-1234}',
    );
  });

  test('decodes with python3 when openssl is absent', () => {
    const s = sandbox();
    const shim = findSystemTool('python3');
    // pyenv and similar put a shell shim on PATH: link the interpreter itself.
    const python = shim && spawnSync(shim, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    if (!python) {
      console.log('skipping the python3 decoding case: python3 is not installed');
      return;
    }
    s.remove('openssl');
    fs.symlinkSync(python, path.join(s.bin, 'python3'));
    const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
    s.stub('kubectl', kubectlServing(signedPipelineRun(envelope, statement)));
    s.stub('curl', `printf %s '${REKOR_ENTRY}'`);
    const result = s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(s.dir, 'model.build-slsa'), 'utf8')).toBe(envelope);
  });

  test('without a transparency annotation nothing is fetched, a stale rekor-entry.json is removed, and it says verify needs --insecure-ignore-tlog', () => {
    const s = sandbox();
    const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
    s.stub('kubectl', kubectlServing(signedPipelineRun(envelope, statement), ''));
    s.file('rekor-entry.json', REKOR_ENTRY);
    const result = s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV);
    expect(result.status).toBe(0);
    expect(s.callsOf('curl')).toEqual([]);
    expect(fs.existsSync(path.join(s.dir, 'rekor-entry.json'))).toBe(false);
    expect(result.stderr).toContain('Chains logged nothing (transparency.enabled is off), so verify needs --insecure-ignore-tlog');
  });

  test('a log entry that cannot be fetched, or is not a Rekor entry, is one clear error and writes nothing', () => {
    for (const [curl, message] of [
      ['echo "curl: (22) 404" >&2; exit 22', 'cannot fetch the transparency log entry'],
      ['printf %s "<html>"', 'did not answer with a Rekor log entry'],
    ]) {
      const s = sandbox();
      const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
      s.stub('kubectl', kubectlServing(signedPipelineRun(envelope, statement)));
      s.stub('curl', curl);
      const result = s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(message);
      expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('model') || f.startsWith('rekor') || f.startsWith('.fetch'))).toEqual([]);
    }
  });

  test('keyless: the certificate annotation is saved as signer.crt; with a key there is none', () => {
    const s = sandbox();
    const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
    const run = signedPipelineRun(envelope, statement);
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    (run.metadata.annotations as Record<string, string>)[`chains.tekton.dev/cert-pipelinerun-${run.metadata.uid}`] = pem;
    s.stub('kubectl', kubectlServing(run));
    s.stub('curl', `printf %s '${REKOR_ENTRY}'`);
    expect(s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV).status).toBe(0);
    expect(fs.readFileSync(path.join(s.dir, 'signer.crt'), 'utf8')).toBe(`${pem}\n`);
    const keyed = sandbox();
    keyed.stub('kubectl', kubectlServing(signedPipelineRun(envelope, statement)));
    keyed.stub('curl', `printf %s '${REKOR_ENTRY}'`);
    keyed.file('signer.crt', 'stale');
    expect(keyed.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV).status).toBe(0);
    expect(fs.existsSync(path.join(keyed.dir, 'signer.crt'))).toBe(false);
  });

  test('an annotation that is not a Rekor entry URL is never fetched; one that is is', () => {
    for (const url of [
      'file:///etc/passwd',
      'https://rekor.sigstore.dev/api/v1/log/entries?logIndex=1&x=$(id)',
      'http://rekor.sigstore.dev/api/v1/log/entries?logIndex=1',
    ]) {
      const s = sandbox();
      const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
      s.stub('kubectl', kubectlServing(signedPipelineRun(envelope, statement), url));
      const result = s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is not a Rekor entry URL');
      expect(s.callsOf('curl')).toEqual([]);
    }
    const s = sandbox();
    const { envelope, statement } = signedProvenance(Buffer.from('model bytes'));
    s.stub(
      'kubectl',
      kubectlServing(signedPipelineRun(envelope, statement), 'https://rekor.example.internal:8443/rekor/api/v1/log/entries?logIndex=7'),
    );
    s.stub('curl', `printf %s '${REKOR_ENTRY}'`);
    expect(s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV).status).toBe(0);
  });

  test('an unsigned run is one clear error and writes nothing', () => {
    const s = sandbox();
    const run = signedPipelineRun('', '');
    run.metadata.annotations = { 'chains.tekton.dev/signed': 'false' } as typeof run.metadata.annotations;
    s.stub('kubectl', kubectlServing(run));
    const result = s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('has no annotation chains.tekton.dev/signature-pipelinerun-uid-1234: Chains has not signed it');
    expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('model') || f.startsWith('pipelinerun') || f.startsWith('.fetch'))).toEqual([]);
  });

  test('an annotation that is not an envelope is refused, nothing half-written', () => {
    const s = sandbox();
    const run = signedPipelineRun('just a signature', '{"predicateType":"x"}');
    s.stub('kubectl', kubectlServing(run));
    const result = s.run('fetch-attestation.sh', ['slsa-for-models-abcde'], CONTEXT_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('does not decode to a DSSE envelope');
    expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('model') || f.startsWith('.fetch'))).toEqual([]);
  });
});

describe('verify-model.sh against stub gcloud and cosign', () => {
  /**
   * gcloud that "downloads" MODEL_CONTENT to --destination/--name, as the real one writes the file; like the
   * real one (download_util.Download without allow_overwrite) it refuses a file that exists already.
   */
  const GCLOUD_DOWNLOAD = [
    'for a in "$@"; do case "$a" in --destination=*) d="${a#*=}" ;; --name=*) n="${a#*=}" ;; esac; done',
    '[ -d "$d" ] || { echo "ERROR: (gcloud.artifacts.generic.download) Destination directory does not exist: $d" >&2; exit 1; }',
    'if [ -e "$d/$n" ]; then echo "ERROR: File $d/$n already exists." >&2; exit 1; fi',
    'printf %s "$MODEL_CONTENT" >"$d/$n"',
  ].join('\n');

  function prepare(modelContent: string) {
    const s = sandbox();
    const { envelope, statement, publicKeyPem } = signedProvenance(Buffer.from(modelContent));
    s.file('model.build-slsa', envelope);
    s.file('pipelinerun.json', JSON.stringify(signedPipelineRun(envelope, statement)));
    s.file('cosign.pub', publicKeyPem);
    s.stub('gcloud', GCLOUD_DOWNLOAD);
    s.stub('cosign');
    s.stub('slsa-for-models');
    return s;
  }

  test('downloads with --location and the facts of the run, then runs both verifiers', () => {
    const s = prepare('weights');
    const result = s.run('verify-model.sh', ['--', '--builder-id', 'https://tekton.dev/chains/v2'], {
      ...ALL_ENV,
      VERIFY_KEY: 'cosign.pub',
      SLSA_FOR_MODELS: 'slsa-for-models',
      MODEL_CONTENT: 'weights',
    });
    expect(result.status).toBe(0);
    expect(s.callsOf('gcloud')).toEqual([
      expect.stringMatching(
        /^artifacts generic download --project=my-project --location=us --repository=ml-artifacts --package=pytorch-model --version=0f1e2d --name=pytorch_model\.pth --destination=\.\/\.verify-model\.[A-Za-z0-9]{6}$/,
      ),
    ]);
    expect(fs.readFileSync(path.join(s.dir, 'pytorch_model.pth'), 'utf8')).toBe('weights');
    // the download directory is gone
    expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('.verify-model.'))).toEqual([]);
    expect(s.callsOf('cosign')).toEqual([
      'verify-blob-attestation --key cosign.pub --signature ./model.build-slsa --type slsaprovenance1 ./pytorch_model.pth',
    ]);
    expect(s.callsOf('slsa-for-models')).toEqual([
      'verify --key cosign.pub --signature ./model.build-slsa --builder-id https://tekton.dev/chains/v2 ./pytorch_model.pth',
    ]);
    // A file key needs no cluster.
    expect(s.callsOf('kubectl')).toEqual([]);
  });

  test('a saved log entry is checked against TRUSTED_ROOT; without TRUSTED_ROOT it stops before downloading', () => {
    const s = prepare('weights');
    s.file('rekor-entry.json', '{}');
    const env = { ...ALL_ENV, VERIFY_KEY: 'cosign.pub', SLSA_FOR_MODELS: 'slsa-for-models', MODEL_CONTENT: 'weights' };
    const missing = s.run('verify-model.sh', [], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('environment variable TRUSTED_ROOT is not set');
    expect(s.callsOf('gcloud')).toEqual([]);
    expect(s.run('verify-model.sh', [], { ...env, TRUSTED_ROOT: 'trusted_root.json' }).status).toBe(0);
    expect(s.callsOf('slsa-for-models')).toEqual([
      'verify --key cosign.pub --signature ./model.build-slsa --rekor-entry ./rekor-entry.json --trusted-root trusted_root.json ./pytorch_model.pth',
    ]);
  });

  test('the uri names package, version and file; without them there, params and the digest do; flags win', () => {
    const s = prepare('weights');
    const env = { ...ALL_ENV, VERIFY_KEY: 'cosign.pub', SLSA_FOR_MODELS: 'slsa-for-models', MODEL_CONTENT: 'w' };
    const run = JSON.parse(fs.readFileSync(path.join(s.dir, 'pipelinerun.json'), 'utf8'));
    run.status.results[1].value.uri =
      'https://artifactregistry.googleapis.com/v1/projects/my-project/locations/us/repositories/ml-artifacts/files/keras-model%3A1.2.0%3Amodel.keras';
    s.file('pipelinerun.json', JSON.stringify(run));
    expect(s.run('verify-model.sh', [], env).status).toBe(0);
    expect(s.callsOf('gcloud')[0]).toContain('--package=keras-model --version=1.2.0 --name=model.keras');

    run.status.results[1].value.uri = 'https://us-generic.pkg.dev/my-project/ml-artifacts/pytorch-model';
    s.file('pipelinerun.json', JSON.stringify(run));
    expect(s.run('verify-model.sh', ['--package', 'other-package'], env).status).toBe(0);
    expect(s.callsOf('gcloud')[1]).toContain(`--package=other-package --version=${'c'.repeat(64)} --name=pytorch_model.pth`);
  });

  test('a second verification downloads again and replaces the earlier copy (gcloud will not overwrite it)', () => {
    const s = prepare('weights');
    const env = { ...ALL_ENV, VERIFY_KEY: 'cosign.pub', SLSA_FOR_MODELS: 'slsa-for-models' };
    s.file('pytorch_model.pth', 'an earlier download');
    const again = s.run('verify-model.sh', [], { ...env, MODEL_CONTENT: 'weights' });
    expect(again.stderr).toContain('replacing ./pytorch_model.pth with the copy just downloaded');
    expect(again.status).toBe(0);
    expect(fs.readFileSync(path.join(s.dir, 'pytorch_model.pth'), 'utf8')).toBe('weights');
    expect(s.callsOf('cosign')).toEqual([
      'verify-blob-attestation --key cosign.pub --signature ./model.build-slsa --type slsaprovenance1 ./pytorch_model.pth',
    ]);
  });

  test('a failed download leaves the earlier copy and verifies nothing', () => {
    const s = prepare('weights');
    s.file('pytorch_model.pth', 'an earlier download');
    s.stub('gcloud', 'echo "ERROR: (gcloud.artifacts.generic.download) PERMISSION_DENIED" >&2; exit 1');
    const result = s.run('verify-model.sh', [], { ...ALL_ENV, VERIFY_KEY: 'cosign.pub', SLSA_FOR_MODELS: 'slsa-for-models' });
    expect(result.status).toBe(1);
    expect(fs.readFileSync(path.join(s.dir, 'pytorch_model.pth'), 'utf8')).toBe('an earlier download');
    expect(s.callsOf('cosign')).toEqual([]);
    expect(fs.readdirSync(s.dir).filter((f) => f.startsWith('.verify-model.'))).toEqual([]);
  });

  test('a failing cosign verification fails the script', () => {
    const s = prepare('weights');
    s.stub('cosign', 'echo "Error: none of the attestations matched the predicate type" >&2; exit 1');
    const result = s.run('verify-model.sh', [], {
      ...ALL_ENV,
      VERIFY_KEY: 'cosign.pub',
      SLSA_FOR_MODELS: 'slsa-for-models',
      MODEL_CONTENT: 'w',
    });
    expect(result.status).toBe(1);
    expect(s.callsOf('slsa-for-models')).toEqual([]);
  });

  test('without cosign it says so and still verifies with slsa-for-models; with neither it fails', () => {
    const s = prepare('weights');
    s.remove('cosign');
    const env = { ...ALL_ENV, VERIFY_KEY: 'cosign.pub', SLSA_FOR_MODELS: 'slsa-for-models', MODEL_CONTENT: 'w' };
    const result = s.run('verify-model.sh', [], env);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('cosign is not installed: skipping');
    expect(s.callsOf('slsa-for-models')).toHaveLength(1);

    s.remove('node');
    s.remove('slsa-for-models');
    const neither = s.run('verify-model.sh', ['--package', 'p', '--version', 'v', '--model', 'm.pth'], { ...env, SLSA_FOR_MODELS: '' });
    expect(neither.status).toBe(1);
    expect(neither.stderr).toContain('neither cosign nor slsa-for-models is available');
  });

  test('a k8s:// key needs the expected kubectl context', () => {
    const s = prepare('weights');
    s.stub('kubectl', 'echo kind-kind');
    const result = s.run('verify-model.sh', [], { ...ALL_ENV, SLSA_FOR_MODELS: 'slsa-for-models', MODEL_CONTENT: 'w' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`expected "${GKE_CONTEXT}"`);
    expect(s.callsOf('gcloud')).toEqual([]);
  });

  test('with no pipelinerun.json and no flags it says what to run first', () => {
    const s = sandbox();
    const result = s.run('verify-model.sh', [], ALL_ENV);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pipelinerun.json does not exist: run scripts/fetch-attestation.sh first');
  });

  const cli = path.join(ROOT, 'lib', 'src', 'cli', 'verify-command.js');
  (fs.existsSync(cli) ? test : test.skip)('with the real slsa-for-models verify: the right model passes, a tampered one fails', () => {
    const s = prepare('the trained weights');
    s.remove('slsa-for-models');
    const env = { ...ALL_ENV, VERIFY_KEY: 'cosign.pub' };
    // This run logged nothing (no rekor-entry.json): verify requires the log check unless told to skip it.
    const noEntry = s.run('verify-model.sh', [], { ...env, MODEL_CONTENT: 'the trained weights' });
    expect(noEntry.status).toBe(2);
    expect(noEntry.stderr).toContain('--insecure-ignore-tlog');
    const good = s.run('verify-model.sh', ['--', '--insecure-ignore-tlog'], { ...env, MODEL_CONTENT: 'the trained weights' });
    expect(good.stderr).toContain('verifying ./pytorch_model.pth with slsa-for-models');
    expect(good.status).toBe(0);
    const bad = s.run('verify-model.sh', ['--', '--insecure-ignore-tlog'], { ...env, MODEL_CONTENT: 'tampered weights' });
    expect(bad.status).toBe(1);
  });
});

describe('update-image-digests.sh against stub registries', () => {
  const NEW = 'd'.repeat(64);

  test('crane: a changed digest is rewritten, an unchanged one kept, the rest of the file untouched', () => {
    const s = sandbox();
    const file = s.file('images.ts', IMAGES_TS);
    fs.chmodSync(file, 0o644);
    s.stub('crane', `case "$2" in *buildpack-deps*) echo sha256:${NEW} ;; *) echo sha256:${'b'.repeat(64)} ;; esac`);
    const result = s.run('update-image-digests.sh', ['--file', file]);
    expect(result.status).toBe(0);
    expect(s.callsOf('crane')).toEqual([
      'digest docker.io/library/buildpack-deps:bookworm-scm',
      'digest docker.io/library/python:3.11.15-slim-bookworm',
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe(IMAGES_TS.replace('a'.repeat(64), NEW));
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(result.stderr).toContain('updated 1 of 2 digests');
  });

  test('docker buildx imagetools when crane is absent', () => {
    const s = sandbox();
    const file = s.file('images.ts', IMAGES_TS);
    s.remove('crane');
    s.stub('docker', `printf '{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:${NEW}","size":1234}'`);
    const result = s.run('update-image-digests.sh', ['--file', file]);
    expect(result.status).toBe(0);
    expect(s.callsOf('docker')[0]).toBe(
      'buildx imagetools inspect docker.io/library/buildpack-deps:bookworm-scm --format {{json .Manifest}}',
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(IMAGES_TS.replace('a'.repeat(64), NEW).replace('b'.repeat(64), NEW));
  });

  test('gcloud alone cannot ask Docker Hub: one clear error before any query, the file untouched', () => {
    const s = sandbox();
    const file = s.file('images.ts', IMAGES_TS);
    ['crane', 'docker'].forEach((t) => s.remove(t));
    s.stub('gcloud', `echo sha256:${NEW}`);
    const result = s.run('update-image-digests.sh', ['--file', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'gcloud can resolve only images in gcr.io or Artifact Registry (*-docker.pkg.dev), not docker.io/library/buildpack-deps:bookworm-scm: install crane',
    );
    expect(s.callsOf('gcloud')).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(IMAGES_TS);
    // an image in Google's registries it does ask
    const google = s.file('google.ts', `export const X =\n  'us-docker.pkg.dev/my-project/images/tool:1.0@sha256:${'a'.repeat(64)}';\n`);
    const asked = s.run('update-image-digests.sh', ['--file', google]);
    expect(asked.status).toBe(0);
    expect(s.callsOf('gcloud')).toEqual([
      'container images describe us-docker.pkg.dev/my-project/images/tool:1.0 --format=value(image_summary.digest)',
    ]);
    expect(fs.readFileSync(google, 'utf8')).toContain(`tool:1.0@sha256:${NEW}`);
  });

  test('no tool at all is one clear error', () => {
    const s = sandbox();
    const file = s.file('images.ts', IMAGES_TS);
    ['crane', 'docker', 'gcloud'].forEach((t) => s.remove(t));
    const result = s.run('update-image-digests.sh', ['--file', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('none of crane, docker (with buildx) or gcloud is installed');
  });

  test('a registry failure or a junk answer leaves the file unchanged', () => {
    const s = sandbox();
    const file = s.file('images.ts', IMAGES_TS);
    s.stub('crane', `case "$2" in *buildpack-deps*) echo sha256:${NEW} ;; *) echo "MANIFEST_UNKNOWN" >&2; exit 1 ;; esac`);
    const failed = s.run('update-image-digests.sh', ['--file', file]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('crane could not resolve docker.io/library/python:3.11.15-slim-bookworm');
    expect(fs.readFileSync(file, 'utf8')).toBe(IMAGES_TS);

    s.stub('crane', 'echo latest');
    const junk = s.run('update-image-digests.sh', ['--file', file]);
    expect(junk.status).toBe(1);
    expect(junk.stderr).toContain('crane answered "latest"');
    expect(fs.readFileSync(file, 'utf8')).toBe(IMAGES_TS);
  });

  test('a file without a pinned image is refused', () => {
    const s = sandbox();
    const file = s.file('images.ts', "export const X = 'python:3.11';\n");
    s.stub('crane');
    const result = s.run('update-image-digests.sh', ['--file', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no pinned image');
  });
});

describe('lib.sh', () => {
  test('printed commands paste back to the same arguments', () => {
    const args = ['plain', 'with space', "it's", '', '--format=value(name)', 'a"b', '$HOME', 'x*'];
    const printed = spawnSync(BASH, ['-c', 'source "$0"; DRY_RUN=1; run "$@"', path.join(SCRIPTS_DIR, 'lib.sh'), ...args], {
      encoding: 'utf8',
    });
    expect(printed.status).toBe(0);
    const line = printed.stdout.trim();
    expect(line).toBe("+ plain 'with space' 'it'\\''s' '' '--format=value(name)' 'a\"b' '$HOME' 'x*'");
    const reparsed = spawnSync(BASH, ['-c', `printf '%s\\n' ${line.slice(2)}`], { encoding: 'utf8' });
    expect(reparsed.stdout).toBe(args.map((a) => `${a}\n`).join(''));
  });

  test("names the trusted root's ConfigMap and key as the Tasks read them", () => {
    const named = spawnSync(
      BASH,
      ['-c', 'source "$0"; printf "%s %s" "$TRUSTED_ROOT_CONFIG_MAP" "$TRUSTED_ROOT_CONFIG_MAP_KEY"', path.join(SCRIPTS_DIR, 'lib.sh')],
      {
        encoding: 'utf8',
      },
    );
    expect(named.stdout).toBe(`${TRUSTED_ROOT_CONFIG_MAP.name} ${TRUSTED_ROOT_CONFIG_MAP.key}`);
  });

  describe('trusted_root_problem', () => {
    /** What trusted_root_problem prints for a file of `content`, with jq on PATH or without. */
    function problem(content: string, jq: boolean): string {
      const s = sandbox();
      if (jq) s.addSystemTool('jq');
      const file = s.file('trusted_root.json', content);
      const result = spawnSync(BASH, ['-c', 'source "$0"; trusted_root_problem "$1"', path.join(SCRIPTS_DIR, 'lib.sh'), file], {
        encoding: 'utf8',
        env: { PATH: s.bin, HOME: s.dir },
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return result.stdout;
    }
    const withAndWithoutJq = HAVE_JQ ? [false, true] : [false];

    (HAVE_PUBLIC_GOOD_TRUSTED_ROOT ? test : test.skip)("accepts Sigstore's public-good trusted root", () => {
      for (const jq of withAndWithoutJq) expect(problem(fs.readFileSync(PUBLIC_GOOD_TRUSTED_ROOT, 'utf8'), jq)).toBe('');
    });

    test('accepts a made-up root: a tlogs list, with a trusted root mediaType or none', () => {
      for (const jq of withAndWithoutJq) {
        expect(problem('{"tlogs": []}', jq)).toBe('');
        expect(problem('{\n  "mediaType": "application/vnd.dev.sigstore.trustedroot.v0.2+json",\n  "tlogs": [\n    {}\n  ]\n}\n', jq)).toBe(
          '',
        );
      }
    });

    test('names what is wrong with a file that is not one', () => {
      const expected: Record<string, [string, string]> = {
        // [without jq, with jq]
        'a public key': ['no tlogs', 'not JSON'],
        'a Sigstore bundle': ['no tlogs', 'no tlogs'],
        'a ClientTrustConfig holding a trusted root': ['mediaType "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json"', 'no tlogs'],
        'tlogs that are not a list': ['no tlogs', 'no tlogs'],
        'an empty file': ['no tlogs', 'not one JSON object'],
      };
      expect(Object.keys(expected).sort()).toEqual(Object.keys(NOT_TRUSTED_ROOTS).sort());
      for (const [name, content] of Object.entries(NOT_TRUSTED_ROOTS)) {
        for (const jq of withAndWithoutJq)
          expect({ name, jq, problem: problem(content, jq) }).toEqual({ name, jq, problem: expected[name][jq ? 1 : 0] });
      }
    });

    (HAVE_JQ ? test : test.skip)('with jq: a root that is not JSON, two JSON values, or another mediaType', () => {
      expect(problem('"tlogs": [\n', true)).toBe('not JSON');
      expect(problem('{"tlogs": []}\n{"tlogs": []}\n', true)).toBe('not one JSON object');
      expect(problem('{"mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json", "tlogs": []}', true)).toBe(
        'mediaType "application/vnd.dev.sigstore.signingconfig.v0.2+json"',
      );
      expect(problem('{"mediaType": 2, "tlogs": []}', true)).toBe('mediaType 2');
    });
  });

  test('decode_base64 round-trips binary data', () => {
    const bytes = crypto.randomBytes(3000);
    const decoded = spawnSync(BASH, ['-c', 'source "$0"; decode_base64', path.join(SCRIPTS_DIR, 'lib.sh')], {
      input: bytes.toString('base64'),
    });
    expect(decoded.status).toBe(0);
    expect(Buffer.compare(decoded.stdout, bytes)).toBe(0);
  });
});

describe('printed commands', () => {
  // bash 4.2 and older (macOS ships 3.2) treat a double-quoted ${var//pattern/replacement} differently
  // (no quote removal in the replacement); compat42 makes this bash behave like them.
  test.each([
    ['this bash', ''],
    ['bash 4.2 and older (compat42)', 'shopt -s compat42; '],
  ])('paste back to the same words in %s', (_name, compat) => {
    const words = ["it's", 'a b', '', 'plain', "'quoted'", 'back\\slash', '$HOME', '--filter=a="b"'];
    const script = `${compat}source ${JSON.stringify(path.join(SCRIPTS_DIR, 'lib.sh'))}; line="$(quote_command "$@")"; eval "set -- $line"; printf '%s\\n' "$#" "$@"`;
    const result = spawnSync(BASH, ['-c', script, 'bash', ...words], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(0, -1)).toEqual([String(words.length), ...words]);
  });
});

describe('shellcheck', () => {
  const shellcheck = findSystemTool('shellcheck');
  if (shellcheck === undefined) {
    console.log('skipping the shellcheck test: shellcheck is not installed (apt-get install shellcheck; CI installs it)');
  }
  (shellcheck ? test : test.skip)('every script is clean', () => {
    const files = fs
      .readdirSync(SCRIPTS_DIR)
      .filter((f) => f.endsWith('.sh'))
      .map((f) => path.join(SCRIPTS_DIR, f));
    expect(files.length).toBe(SCRIPTS.length + 1);
    const result = spawnSync(shellcheck as string, ['-x', '--severity=style', ...files], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('every script is executable and starts with the strict-mode preamble', () => {
    for (const script of SCRIPTS) {
      const file = path.join(SCRIPTS_DIR, script);
      expect(fs.statSync(file).mode & 0o111).not.toBe(0);
      const head = fs.readFileSync(file, 'utf8').split('\n');
      expect(head[0]).toBe('#!/usr/bin/env bash');
      expect(head).toContain('set -euo pipefail');
    }
  });
});
