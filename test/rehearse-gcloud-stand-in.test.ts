import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installGcloudStandIn, runGcloudStandIn, STORE_ENV, storedArtifactPath } from '../src/rehearse/gcloud-stand-in';

let dir: string;
let store: string;
let model: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcloud-'));
  store = path.join(dir, 'store');
  fs.mkdirSync(store);
  model = path.join(dir, 'pytorch_model.pth');
  fs.writeFileSync(model, 'weights');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function gcloud(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = runGcloudStandIn(
    args,
    { [STORE_ENV]: store, ...env },
    {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    },
  );
  return { code, stdout, stderr };
}

const upload = ['artifacts', 'generic', 'upload', '--location=us', '--repository=ml', '--package=model', '--version=1.0.0'];

describe('gcloud stand-in: artifacts generic upload', () => {
  test('--format=json prints the GenericArtifact the finished operation returns, and stores the file', () => {
    const r = gcloud([...upload, `--source=${model}`, '--format=json', '--project=p1']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(Object.keys(printed)).toEqual(['@type', 'createTime', 'name', 'updateTime', 'version']);
    expect(printed).toMatchObject({
      '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.GenericArtifact',
      name: 'projects/p1/locations/us/repositories/ml/genericArtifacts/model:1.0.0',
      version: '1.0.0',
    });
    expect(printed.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(r.stderr).toBe('Uploading file: pytorch_model.pth\n');
    expect(
      fs.readFileSync(
        storedArtifactPath(store, {
          project: 'p1',
          location: 'us',
          repository: 'ml',
          packageId: 'model',
          version: '1.0.0',
          file: 'pytorch_model.pth',
        }),
        'utf8',
      ),
    ).toBe('weights');
  });
  test('the project falls back to CLOUDSDK_CORE_PROJECT, then the rehearsal project', () => {
    expect(JSON.parse(gcloud([...upload, '--source', model, '--format=json'], { CLOUDSDK_CORE_PROJECT: 'env-p' }).stdout).name).toMatch(
      /^projects\/env-p\//,
    );
    fs.rmSync(path.join(store, 'env-p'), { recursive: true });
    expect(JSON.parse(gcloud([...upload, '--source', model, '--format=json']).stdout).name).toMatch(/^projects\/rehearsal-project\//);
  });
  test('uploading the same file into the same version again is ALREADY_EXISTS', () => {
    expect(gcloud([...upload, `--source=${model}`]).code).toBe(0);
    const again = gcloud([...upload, `--source=${model}`]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^ERROR: \(gcloud\.artifacts\.generic\.upload\) ALREADY_EXISTS: /);
  });
  test('a version Artifact Registry refuses is refused; a 64-hex digest version is accepted', () => {
    expect(gcloud([...upload.slice(0, -1), '--version=V1', `--source=${model}`]).stderr).toMatch(
      /INVALID_ARGUMENT: invalid version id "V1"/,
    );
    expect(gcloud([...upload.slice(0, -1), '--version=latest', `--source=${model}`]).code).toBe(1);
    expect(gcloud([...upload.slice(0, -1), `--version=${'ab'.repeat(32)}`, `--source=${model}`]).code).toBe(0);
  });
  test('missing flags and a missing source file are errors', () => {
    expect(gcloud(['artifacts', 'generic', 'upload', '--location=us', '--repository=ml', `--source=${model}`]).stderr).toMatch(
      /argument --package: Must be specified/,
    );
    expect(gcloud([...upload, `--source=${path.join(dir, 'nope')}`]).stderr).toMatch(/does not exist or is not a file/);
  });
});

describe('gcloud stand-in: read-only calls and the rest', () => {
  test('download copies an uploaded file back', () => {
    gcloud([...upload, `--source=${model}`]);
    const dest = path.join(dir, 'dl');
    expect(
      gcloud([
        'artifacts',
        'generic',
        'download',
        '--location=us',
        '--repository=ml',
        '--package=model',
        '--version=1.0.0',
        `--destination=${dest}`,
      ]).code,
    ).toBe(0);
    expect(fs.readFileSync(path.join(dest, 'pytorch_model.pth'), 'utf8')).toBe('weights');
  });
  test('config get-value project answers', () => {
    expect(gcloud(['config', 'get-value', 'project'], { CLOUDSDK_CORE_PROJECT: 'x' }).stdout).toBe('x\n');
  });
  test('anything else fails and says it is not stood in for', () => {
    const r = gcloud(['container', 'clusters', 'create', 'c']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"gcloud container clusters create c" is not stood in for/);
  });
  test('every call is logged', () => {
    gcloud(['config', 'get-value', 'project']);
    expect(fs.readFileSync(path.join(store, 'gcloud-calls.log'), 'utf8')).toBe('["config","get-value","project"]\n');
  });
});

describe('installGcloudStandIn', () => {
  const built = fs.existsSync(path.resolve(__dirname, '..', 'lib', 'src', 'rehearse', 'gcloud-stand-in.js'));
  (built ? test : test.skip)('puts an executable gcloud on PATH that a shell step can call', () => {
    const bin = path.join(dir, 'bin');
    installGcloudStandIn(bin, store);
    const r = spawnSync(
      'sh',
      ['-c', `gcloud artifacts generic upload --location=us --repository=ml --package=model --version=2 --source="${model}" --format=json`],
      {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).name).toMatch(/genericArtifacts\/model:2$/);
  });
});
