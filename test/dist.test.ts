import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { checkDocuments } from '../src/check';
import {
  crdSchemaAvailable,
  crdServes,
  formatSchemaProblems,
  schemaProblemsWithEmbeddedSpecs,
  validateAgainstCrd,
} from './support/crd-schema';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

function documentsIn(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}

function allDistDocuments(): { file: string; doc: any }[] {
  return filesUnder(DIST).flatMap((file) => documentsIn(path.join(DIST, file)).map((doc) => ({ file, doc })));
}

/** The environment without the variables the app reads, as the committed dist/ was made. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    'LOCATION',
    'REPOSITORY_NAME',
    'MODEL_NAME',
    'MODEL_PACKAGE',
    'GOOGLE_SERVICE_ACCOUNT',
    'CDK8S_OUTDIR',
    'TRIGGER_REPOSITORY',
    'TRIGGER_BRANCH',
    'TRIGGER_HOST',
    'TRIGGER_NAMESPACE',
    'TRIGGER_PATHS',
  ])
    delete env[name];
  return env;
}

describe('dist/', () => {
  let fresh: string;

  beforeAll(() => {
    // a fresh synth of the compiled app (npm test builds first) into a temporary directory
    fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-dist-'));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...cleanEnv(), CDK8S_OUTDIR: fresh },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
  });

  afterAll(() => fs.rmSync(fresh, { recursive: true, force: true }));

  test('is byte-identical to a fresh synth (run `npm run synth` and commit dist/ when this fails)', () => {
    expect(filesUnder(fresh)).toEqual(filesUnder(DIST));
    for (const file of filesUnder(DIST)) {
      expect([file, fs.readFileSync(path.join(fresh, file), 'utf8')]).toEqual([file, fs.readFileSync(path.join(DIST, file), 'utf8')]);
    }
  });

  test('puts what kubectl apply installs at the top and only the runs (CPU and GPU) under runs/', () => {
    const kinds = (dir: string): string[] =>
      filesUnder(dir)
        .filter((f) => !f.includes(path.sep))
        .flatMap((f) => documentsIn(path.join(dir, f)))
        .map((d) => `${d.kind}/${d.metadata.name ?? d.metadata.generateName}`)
        .sort();
    expect(kinds(DIST)).toEqual([
      'ConfigMap/chains-config',
      'ConfigMap/feature-flags',
      // the bundled verifier, in parts: the training input check and the deploy gate run it
      'ConfigMap/slsa-for-models-verifier',
      'ConfigMap/slsa-for-models-verifier-2',
      'ConfigMap/slsa-for-models-verifier-3',
      'Pipeline/slsa-for-models',
      'ServiceAccount/slsa-for-models',
      'Task/slsa-for-models-git-clone',
      'Task/slsa-for-models-train-model',
      'Task/slsa-for-models-upload-model',
    ]);
    expect(kinds(path.join(DIST, 'runs'))).toEqual(['PipelineRun/slsa-for-models-', 'PipelineRun/tiny-cnn-gpu-']);
    // Triggers: `kubectl apply -f dist/triggers`; no host by default, so no Ingress
    expect(kinds(path.join(DIST, 'triggers'))).toEqual([
      'ClusterRole/slsa-for-models-triggers-cluster-read',
      'ClusterRoleBinding/slsa-for-models-triggers-cluster-read',
      'EventListener/slsa-for-models',
      'RoleBinding/slsa-for-models-triggers-eventlistener',
      'ServiceAccount/slsa-for-models-triggers',
      'Trigger/slsa-for-models-push',
      'TriggerBinding/slsa-for-models-push',
      'TriggerTemplate/slsa-for-models-push',
    ]);
    // Pipelines-as-Code: the run alone, for a repository's .tekton/ (it reaches the installed Pipeline through the cluster resolver)
    expect(kinds(path.join(DIST, 'pac', '.tekton'))).toEqual(['PipelineRun/slsa-for-models-push-']);
  });

  test('has no Secret and no project id', () => {
    const text = filesUnder(DIST)
      .map((f) => fs.readFileSync(path.join(DIST, f), 'utf8'))
      .join('\n');
    expect(allDistDocuments().map((d) => d.doc.kind)).not.toContain('Secret');
    expect(text).not.toMatch(/iam\.gserviceaccount\.com|projects\/[a-z]/);
  });

  test('holds strings where Kubernetes and Chains read strings: ConfigMap data and isBuildArtifact "true"', () => {
    // a YAML boolean would make kubectl reject the ConfigMap, and Tekton the object result (map of strings);
    // Chains v0.29.2 compares isBuildArtifact with the string "true" (artifacts.IsBuildArtifact)
    const docs = allDistDocuments().map((d) => d.doc);
    const nonStrings = docs
      .filter((d) => d.kind === 'ConfigMap')
      .flatMap((d) =>
        Object.entries(d.data)
          .filter(([, v]) => typeof v !== 'string')
          .map(([k, v]) => `${d.metadata.name}.${k}=${JSON.stringify(v)}`),
      );
    expect(nonStrings).toEqual([]);
    const pipeline = docs.find((d) => d.kind === 'Pipeline');
    const output = pipeline.spec.results.find((r: any) => r.name.endsWith('_ARTIFACT_OUTPUTS'));
    expect(output.value.isBuildArtifact).toBe('true');
    const results = pipeline.spec.results.flatMap((r: any) => Object.values(r.value));
    expect(results.filter((v: unknown) => typeof v !== 'string')).toEqual([]);
  });

  test('passes the check engine with no finding but the one note on the PaC run, judged with the feature flags it installs', () => {
    const docs = allDistDocuments();
    const flags = docs.find((d) => d.doc.kind === 'ConfigMap' && d.doc.metadata.name === 'feature-flags')!.doc.data;
    const findings = checkDocuments(
      docs.map((d) => d.doc),
      { featureFlags: flags, documentSources: docs.map(() => 'dist') },
    );
    // the PaC run reaches its Pipeline through the cluster resolver: check never takes a same-named file for what the
    // cluster holds (the synth judges it with the very Pipeline it names)
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.object}`)).toEqual([
      'note remote-reference PipelineRun/slsa-for-models-push-*',
    ]);
  });

  test('passes the Tekton v1.15.0, KServe v0.20.0 and Triggers v0.37.0 CRD schemas with nothing pruned', () => {
    if (!crdSchemaAvailable()) {
      console.log('skipped: ../shared/tekton/pipeline-crds is absent, so the CRD schemas cannot be read');
      return;
    }
    const tekton = allDistDocuments().filter((d) => crdServes(d.doc.apiVersion, d.doc.kind));
    // the training pipeline (3 Tasks, the Pipeline, the CPU and the GPU run), the deploy gate (2 Tasks, the Pipeline, its run),
    // the Triggers objects (EventListener, Trigger, TriggerBinding, TriggerTemplate) and PaC's .tekton/ (the run)
    expect(tekton).toHaveLength(15);
    for (const { file, doc } of tekton) {
      const problems = validateAgainstCrd(doc);
      expect([file, doc.kind, formatSchemaProblems(problems)]).toEqual([file, doc.kind, '']);
    }
    // the PipelineRun the TriggerTemplate makes passes Tekton's PipelineRun schema too
    const template = tekton.find((d) => d.doc.kind === 'TriggerTemplate')!.doc;
    expect(template.spec.resourcetemplates.map((t: any) => t.kind)).toEqual(['PipelineRun']);
    expect(schemaProblemsWithEmbeddedSpecs([template])).toBe('');
  });
});

describe('the synth app (src/main.ts)', () => {
  let out: string;
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-app-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  function synth(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...cleanEnv(), CDK8S_OUTDIR: out, ...env },
      encoding: 'utf8',
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  test("takes the run's model and storage and the workload identity annotation from the environment", () => {
    const r = synth({
      LOCATION: 'europe-west4',
      REPOSITORY_NAME: 'models',
      MODEL_NAME: 'tensorflow_model.keras',
      MODEL_PACKAGE: 'cifar10',
      GOOGLE_SERVICE_ACCOUNT: 'trainer@my-project.iam.gserviceaccount.com',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [run] = documentsIn(path.join(out, 'runs', 'slsa-for-models-run.yaml'));
    expect(run.spec.params).toEqual([
      { name: 'model-name', value: 'tensorflow_model.keras' },
      { name: 'model-storage', value: { package: 'cifar10', location: 'europe-west4', repository: 'models' } },
    ]);
    const sa = documentsIn(path.join(out, 'slsa-for-models.yaml')).find((d) => d.kind === 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({ 'iam.gke.io/gcp-service-account': 'trainer@my-project.iam.gserviceaccount.com' });
  });

  test('takes the repository, branch, host, namespace and PaC paths of the run on every push from the environment', () => {
    const r = synth({
      TRIGGER_REPOSITORY: 'octo-org/tiny-models',
      TRIGGER_BRANCH: 'release',
      TRIGGER_HOST: 'hooks.example.com',
      TRIGGER_NAMESPACE: 'ml',
      TRIGGER_PATHS: 'workloads/tiny-cnn/**, requirements.txt',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const triggers = documentsIn(path.join(out, 'triggers', 'slsa-for-models-triggers.yaml'));
    const trigger = triggers.find((d) => d.kind === 'Trigger');
    expect(trigger.spec.interceptors[1].params[0].value).toBe(
      "body.repository.full_name == 'octo-org/tiny-models' && body.ref == 'refs/heads/release' && !body.deleted",
    );
    expect(triggers.find((d) => d.kind === 'ClusterRoleBinding').subjects[0].namespace).toBe('ml');
    expect(triggers.find((d) => d.kind === 'Ingress').spec.rules[0].host).toBe('hooks.example.com');
    const [pac] = documentsIn(path.join(out, 'pac', '.tekton', 'slsa-for-models-push.yaml'));
    expect(pac.metadata.annotations).toEqual({
      'pipelinesascode.tekton.dev/on-event': '[push]',
      'pipelinesascode.tekton.dev/on-target-branch': '[release]',
      'pipelinesascode.tekton.dev/on-path-change': '[workloads/tiny-cnn/**, requirements.txt]',
    });
  });

  test('refuses a bad value with one line, exit 1, and writes nothing', () => {
    const bad = synth({ MODEL_NAME: 'model.onnx' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      'error: MODEL_NAME is "model.onnx", expected one of tensorflow_model.keras, tensorflow_hdf5_model.h5, tensorflow_hdf5.weights.h5, pytorch_model.pth, pytorch_full_model.pth, pytorch_jitted_model.pt, pytorch_model_directory\n',
    );
    const repo = synth({ REPOSITORY_NAME: 'ML_Artifacts' });
    expect(repo.status).toBe(1);
    expect(repo.stderr).toMatch(/model storage repository "ML_Artifacts" is not an artifact registry repository id/);
    const trigger = synth({ TRIGGER_REPOSITORY: 'https://github.com/octo-org/tiny-models' });
    expect(trigger.status).toBe(1);
    expect(trigger.stderr).toContain('trigger repository "https://github.com/octo-org/tiny-models" is not a github owner/name');
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
