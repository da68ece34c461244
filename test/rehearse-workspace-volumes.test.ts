import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RehearsalError } from '../src/rehearse/rehearsal-error';
import { WorkspaceVolumeBinding, writeWorkspaceVolume } from '../src/rehearse/workspace-volumes';
import { KubernetesObject } from '../src/tekton-model/tekton-objects';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-volume-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const configMap = (name: string, data: Record<string, string>, binaryData?: Record<string, string>): KubernetesObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data, ...(binaryData && { binaryData }) }) as KubernetesObject;
const secret = (name: string, fields: { data?: Record<string, string>; stringData?: Record<string, string> }): KubernetesObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, ...fields }) as KubernetesObject;

const OBJECTS = [
  configMap('verifier', { 'verify.js': 'part 1' }),
  configMap('verifier-2', { 'verify.js.2': 'part 2' }),
  configMap('trusted-root', { 'trusted_root.json': '{}', other: 'x' }),
  secret('key', { data: { 'k.pem': Buffer.from('secret bytes').toString('base64') }, stringData: { note: 'plain' } }),
];

/** Writes the binding of workspace "verifier" of run "pr"; returns the message of a refusal. */
function write(binding: WorkspaceVolumeBinding, objects: readonly KubernetesObject[] = OBJECTS): string | undefined {
  try {
    writeWorkspaceVolume('pr', 'verifier', binding, dir, objects);
    return undefined;
  } catch (err) {
    if (err instanceof RehearsalError) return err.message;
    throw err;
  }
}

/** Every file under the directory, by relative path, with its text. */
function files(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full).split(path.sep).join('/')] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

describe('writeWorkspaceVolume: projected', () => {
  test('ConfigMaps and a Secret in order, items at their paths (subdirectories too); an optional absent ConfigMap is left out', () => {
    expect(
      write({
        projected: {
          sources: [
            { configMap: { name: 'verifier', optional: true } },
            { configMap: { name: 'verifier-2', optional: true } },
            { configMap: { name: 'verifier-3', optional: true } },
            { configMap: { name: 'trusted-root', items: [{ key: 'trusted_root.json', path: 'root//trusted_root.json' }], optional: true } },
            { secret: { name: 'key', items: [{ key: 'k.pem', path: 'keys/k.pem', mode: 0o400 }] } },
          ],
          defaultMode: 0o444,
        },
      }),
    ).toBeUndefined();
    expect(files()).toEqual({
      'verify.js': 'part 1',
      'verify.js.2': 'part 2',
      'root/trusted_root.json': '{}',
      'keys/k.pem': 'secret bytes',
    });
    expect(fs.statSync(path.join(dir, 'verify.js')).mode & 0o777).toBe(0o444);
    expect(fs.statSync(path.join(dir, 'keys', 'k.pem')).mode & 0o777).toBe(0o400);
  });

  test('an absent ConfigMap that is not optional stops the run with one line naming run, workspace and ConfigMap', () => {
    const message = write({ projected: { sources: [{ configMap: { name: 'verifier' } }, { configMap: { name: 'verifier-3' } }] } });
    expect(message).toBe(
      'pipelinerun pr: workspace "verifier" binds ConfigMap "verifier-3" in projected.sources[1], which is not among the objects',
    );
    expect(files()).toEqual({});
    expect(write({ projected: { sources: [{ secret: { name: 'gone' } }] } })).toBe(
      'pipelinerun pr: workspace "verifier" binds Secret "gone" in projected.sources[0], which is not among the objects',
    );
  });

  test('an item key the ConfigMap lacks is an error, left out when the source is optional (as the kubelet does)', () => {
    const items = [
      { key: 'trusted_root.json', path: 'trusted_root.json' },
      { key: 'missing', path: 'missing' },
    ];
    expect(write({ projected: { sources: [{ configMap: { name: 'trusted-root', items } }] } })).toBe(
      'pipelinerun pr: ConfigMap "trusted-root" has no key "missing"',
    );
    expect(write({ projected: { sources: [{ configMap: { name: 'trusted-root', items, optional: true } }] } })).toBeUndefined();
    expect(files()).toEqual({ 'trusted_root.json': '{}' });
  });

  test('an item path that leaves the directory is refused, and nothing is written', () => {
    const source = (p: string) => ({
      projected: {
        sources: [{ configMap: { name: 'verifier' } }, { configMap: { name: 'trusted-root', items: [{ key: 'other', path: p }] } }],
      },
    });
    expect(write(source('../escape'))).toBe(
      'pipelinerun pr: workspace "verifier" projected.sources[1].items[0].path "../escape" has a ".." element; give a relative path inside the workspace',
    );
    expect(write(source('a/../../escape'))).toMatch(/items\[0\]\.path "a\/\.\.\/\.\.\/escape" has a "\.\." element/);
    expect(write(source('/etc/escape'))).toMatch(/items\[0\]\.path "\/etc\/escape" is absolute/);
    expect(write(source('..data'))).toMatch(/items\[0\]\.path "\.\.data" starts with "\.\."/);
    expect(files()).toEqual({});
    // near case: a dotted name that is not ".." stays inside
    expect(write(source('a/.hidden'))).toBeUndefined();
    expect(Object.keys(files()).sort()).toEqual(['a/.hidden', 'verify.js']);
  });

  test('downwardAPI, serviceAccountToken and clusterTrustBundle sources are refused, never an empty file', () => {
    expect(write({ projected: { sources: [{ configMap: { name: 'verifier' } }, { downwardAPI: { items: [{ path: 'labels' }] } }] } })).toBe(
      'pipelinerun pr: workspace "verifier" projected.sources[1] is a downwardAPI source, which the rehearsal does not rehearse (it writes configMap and secret sources only)',
    );
    expect(write({ projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } })).toMatch(/is a serviceAccountToken source/);
    expect(write({ projected: { sources: [{ clusterTrustBundle: { path: 'ca.pem', name: 'x' } }] } })).toMatch(
      /is a clusterTrustBundle source/,
    );
    expect(write({ projected: { sources: [{ configMap: { name: 'verifier' }, secret: { name: 'key' } }] } })).toMatch(
      /projected\.sources\[0\] sets configMap and secret; give it exactly one of/,
    );
    expect(files()).toEqual({});
  });

  test('two sources writing one path are refused; so is a file where another needs a directory', () => {
    const twice = [configMap('a', { 'verify.js': 'other' }), ...OBJECTS];
    expect(write({ projected: { sources: [{ configMap: { name: 'verifier' } }, { configMap: { name: 'a' } }] } }, twice)).toBe(
      'pipelinerun pr: workspace "verifier": projected.sources[0] (ConfigMap "verifier" key "verify.js") and projected.sources[1] (ConfigMap "a" key "verify.js") both write "verify.js"; give each path one source',
    );
    expect(
      write({
        projected: {
          sources: [
            { configMap: { name: 'verifier' } },
            { configMap: { name: 'trusted-root', items: [{ key: 'other', path: 'verify.js/x' }] } },
          ],
        },
      }),
    ).toMatch(
      /writes the file "verify\.js" and projected\.sources\[1\]\.items\[0\] \(ConfigMap "trusted-root" key "other"\) writes "verify\.js\/x" under it/,
    );
    expect(files()).toEqual({});
  });
});

describe('writeWorkspaceVolume: configMap and secret bindings', () => {
  test('a ConfigMap binding writes its keys (binaryData decoded); an absent one is an error unless optional (an empty directory)', () => {
    const withBinary = [configMap('bin', { a: 'text' }, { b: Buffer.from('bytes').toString('base64') })];
    expect(write({ configMap: { name: 'bin' } }, withBinary)).toBeUndefined();
    expect(files()).toEqual({ a: 'text', b: 'bytes' });
    expect(write({ configMap: { name: 'nowhere' } })).toBe(
      'pipelinerun pr: workspace "verifier" binds ConfigMap "nowhere", which is not among the objects',
    );
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    expect(write({ configMap: { name: 'nowhere', optional: true } })).toBeUndefined();
    expect(files()).toEqual({});
  });

  test('a Secret binding writes data (base64) and stringData; absent, it is an error unless optional; bad base64 is named', () => {
    expect(write({ secret: { secretName: 'key' } })).toBeUndefined();
    expect(write({ secret: { secretName: 'key', items: [{ key: 'k.pem', path: 'tls/k.pem' }] } })).toBeUndefined();
    expect(files()).toEqual({ 'k.pem': 'secret bytes', note: 'plain', 'tls/k.pem': 'secret bytes' });
    expect(write({ secret: { secretName: 'gone' } })).toBe(
      'pipelinerun pr: workspace "verifier" binds Secret "gone", which is not among the objects',
    );
    expect(write({ secret: { secretName: 'gone', optional: true } })).toBeUndefined();
    expect(write({ secret: { secretName: 'bad' } }, [secret('bad', { data: { k: 'not base64!' } })])).toBe(
      'pipelinerun pr: Secret "bad" data "k" is not base64',
    );
  });

  test('near case: an emptyDir or a claim writes nothing', () => {
    expect(write({ emptyDir: {} } as WorkspaceVolumeBinding)).toBeUndefined();
    expect(files()).toEqual({});
  });
});
