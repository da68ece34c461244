import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'custom-model');
const TSC = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

function documents(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}

/**
 * The example app, compiled and synthesized as another project would: against the package `npm pack`
 * makes (installed by unpacking the tarball into the app's node_modules, next to links to the already
 * installed dependencies: nothing is downloaded), with the example's own tsconfig.
 */
describe('examples/custom-model against the packed package', () => {
  let tmp: string;
  let app: string;
  let packed: string[];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slsa-example-'));
    // --ignore-scripts: npm pack would run "prepare" (a rebuild of lib/ when sources are newer) while other
    // test files run lib/src/cli/main.js; npm test builds lib/ before jest starts.
    const tarball = run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', tmp], ROOT).trim().split('\n').pop()!;
    packed = run('tar', ['-tzf', path.join(tmp, tarball)], tmp)
      .split('\n')
      .filter(Boolean);
    app = path.join(tmp, 'app');
    const pkg = path.join(app, 'node_modules', 'slsa-for-models');
    fs.mkdirSync(pkg, { recursive: true });
    run('tar', ['-xzf', path.join(tmp, tarball), '-C', pkg, '--strip-components=1'], tmp);
    const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    for (const dep of [...Object.keys(manifest.dependencies), '@types']) {
      // A scoped package (@sigstore/verify) lies one folder deeper.
      fs.mkdirSync(path.dirname(path.join(app, 'node_modules', dep)), { recursive: true });
      fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(app, 'node_modules', dep), 'dir');
    }
    for (const file of ['main.ts', 'tsconfig.json', 'package.json']) fs.copyFileSync(path.join(EXAMPLE, file), path.join(app, file));
    // the one line that differs from the repository copy: the library comes from the package
    fs.writeFileSync(path.join(app, 'library.ts'), "export * from 'slsa-for-models';\n");
  }, 60000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the package ships the compiled library and its types, not the tests', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package/lib/src/index.js',
        'package/lib/src/index.d.ts',
        'package/lib/src/models/slsa-for-models.d.ts',
        'package/lib/imports/tekton.dev.js',
      ]),
    );
    expect(packed.filter((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toEqual([]);
  });

  test('require("slsa-for-models") gives the constructs, the checker and the verifier', () => {
    const script =
      "const m = require('slsa-for-models'); console.log(['SlsaForModels', 'SlsaForModelsPipeline', 'ChainsConfig', 'TektonFeatureFlags', 'Pipeline', 'Task', 'PipelineRun', 'runSynthesis', 'checkDocuments', 'verifyModelAttestation', 'pipelineFlowchart'].filter(n => typeof m[n] !== 'function').join(','))";
    expect(run(process.execPath, ['-e', script], app)).toBe('\n');
  });

  test('compiles with tsc and synthesizes its own dist/ and dist/runs/', () => {
    run(process.execPath, [TSC, '-p', app], app);
    const out = run(process.execPath, [path.join(app, 'build', 'main.js')], app);
    expect(out).toMatch(/^synthesized 2 files into .*dist\n$/);

    const installed = documents(path.join(app, 'dist', 'cifar10-models.yaml'));
    const pipeline = installed.find((d) => d.kind === 'Pipeline');
    expect(pipeline.spec.params.find((p: any) => p.name === 'model-source').default).toEqual({
      url: 'https://github.com/example-org/cifar10-models',
      revision: '3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
      'requirements-path': 'requirements/linux.lock',
      'main-path': 'train.py',
    });
    expect(pipeline.spec.tasks.find((t: any) => t.name === 'build-model').timeout).toBe('3h');
    expect(installed.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'chains-config').data).toEqual({
      'artifacts.taskrun.format': 'slsa/v2alpha3',
      'artifacts.taskrun.storage': 'tekton',
      'artifacts.pipelinerun.format': 'slsa/v2alpha4',
      'artifacts.pipelinerun.storage': 'tekton,gcs',
      'storage.gcs.bucket': 'example-org-attestations',
      'transparency.enabled': 'true',
      'builder.id': 'https://example.org/builders/gke-tekton',
    });
    expect(installed.find((d) => d.kind === 'ServiceAccount').metadata.name).toBe('cifar10-trainer');

    const [pipelineRun] = documents(path.join(app, 'dist', 'runs', 'cifar10-models-run.yaml'));
    expect(pipelineRun.spec.params).toEqual([
      { name: 'model-name', value: 'tensorflow_model.keras' },
      { name: 'model-storage', value: { package: 'cifar10-keras', location: 'europe-west4', repository: 'models' } },
    ]);
    expect(pipelineRun.spec.taskRunTemplate.serviceAccountName).toBe('cifar10-trainer');
    expect(pipelineRun.spec.workspaces[0].volumeClaimTemplate.spec.resources.requests.storage).toBe('10Gi');
  }, 60000);

  test('a mistake in the app fails the synth with one line and leaves dist/ as it was', () => {
    const before = fs.readFileSync(path.join(app, 'dist', 'cifar10-models.yaml'), 'utf8');
    const broken = fs.readFileSync(path.join(app, 'build', 'main.js'), 'utf8').replace("gcsBucket: 'example-org-attestations',", '');
    fs.writeFileSync(path.join(app, 'build', 'broken.js'), broken);
    const r = spawnSync(process.execPath, [path.join(app, 'build', 'broken.js')], { cwd: app, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/chains-config: storage backend "gcs" is used but storage\.gcs\.bucket is not set/);
    expect(r.stderr).toMatch(/synthesis failed: 1 error; the output directory was left as it was\n$/);
    expect(fs.readFileSync(path.join(app, 'dist', 'cifar10-models.yaml'), 'utf8')).toBe(before);
  });
});
