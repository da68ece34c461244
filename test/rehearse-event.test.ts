import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { checkDocuments } from '../src/check';
import { rehearseTriggerEvent } from '../src/rehearse/event-rehearsal';
import { findBindingExpressions, readEventPath, renderResourceTemplates, resolveBindingParams } from '../src/tekton-model/triggers';

const root = path.resolve(__dirname, '..');
const main = path.join(root, 'lib', 'src', 'cli', 'main.js');
const fixtures = path.join(__dirname, 'fixtures', 'triggers');
const TRIGGERS = path.join(fixtures, 'model-triggers.yaml');
/** GitHub's documented push payload example (a deleted tag of Codertocat/Hello-World), written out by hand. */
const EXAMPLE = JSON.parse(fs.readFileSync(path.join(fixtures, 'github-push-example.json'), 'utf8')) as Record<string, unknown>;
const SECRET = 'test-webhook-secret';
const COMMIT = '7fd1a60b01f91b314f59955a4e4d4e80d8edf11d';

/** The documented example as a push of one commit to master (what GitHub sends for `git push origin master`). */
function pushTo(ref: string, extra: Record<string, unknown> = {}): Buffer {
  const body = {
    ...EXAMPLE,
    ref,
    before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    after: COMMIT,
    created: false,
    deleted: false,
    compare: 'https://github.com/Codertocat/Hello-World/compare/6113728f27ae...7fd1a60b01f9',
    commits: [{ id: COMMIT, message: 'Update README.md', distinct: true, added: [], removed: [], modified: ['README.md'] }],
    head_commit: { id: COMMIT, message: 'Update README.md', timestamp: '2019-05-15T15:20:30Z' },
    ...extra,
  };
  return Buffer.from(`${JSON.stringify(body, null, 2)}\n`);
}
const sign = (body: Buffer, secret = SECRET): string => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

let tmp: string;
beforeAll(() => {
  spawnSync(process.execPath, [path.join(root, 'tools', 'build-if-stale.js')], { cwd: root, stdio: 'ignore' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-event-'));
  fs.writeFileSync(path.join(tmp, 'secret'), `${SECRET}\n`);
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function cli(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [main, 'rehearse', ...args], { cwd: root, encoding: 'utf8' });
}

/** Writes `body` and runs `rehearse --event` on it with the test secret and the given headers, over `triggers` (default: the fixture). */
function deliver(name: string, body: Buffer, headers: string[], secret = true, triggers = TRIGGERS): SpawnSyncReturns<string> {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, body);
  return cli([
    '--event',
    file,
    ...headers.flatMap((h) => ['--event-header', h]),
    ...(secret ? ['--webhook-secret', path.join(tmp, 'secret')] : []),
    '--triggers',
    triggers,
  ]);
}

describe('slsa-for-models rehearse --event (a GitHub push through the EventListener)', () => {
  test('a signed push to master renders the PipelineRun at the pushed commit', () => {
    const body = pushTo('refs/heads/master');
    const result = deliver('push', body, ['X-GitHub-Event=push', `X-Hub-Signature-256=${sign(body)}`, 'Content-Type=application/json']);
    expect(result.stderr).toContain('Trigger/slsa-for-models-push accepted the event');
    expect(result.status).toBe(0);
    const [run] = YAML.parseAllDocuments(result.stdout).map((d) => d.toJS() as Record<string, any>);
    expect(run).toMatchObject({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'slsa-for-models-7fd1a60-' },
      spec: {
        pipelineRef: { name: 'slsa-for-models' },
        params: [
          { name: 'model-name', value: 'pytorch_model.pth' },
          { name: 'model-source', value: { url: 'https://github.com/Codertocat/Hello-World.git', revision: COMMIT } },
          { name: 'model-storage', value: { location: 'us', package: 'pytorch-model', repository: 'ml-artifacts' } },
        ],
      },
    });
    expect(run.metadata.labels['triggers.example/event']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test.each([
    [
      'a wrong signature',
      pushTo('refs/heads/master'),
      (b: Buffer) => [`X-Hub-Signature-256=${sign(b, 'another secret')}`],
      /payload signature check failed/,
    ],
    ['a missing signature', pushTo('refs/heads/master'), () => [], /no X-Hub-Signature-256 header set/],
    [
      'another event type',
      pushTo('refs/heads/master'),
      (b: Buffer) => [`X-Hub-Signature-256=${sign(b)}`],
      /event type "pull_request" is not allowed/,
    ],
    [
      'another branch',
      pushTo('refs/heads/feature'),
      (b: Buffer) => [`X-Hub-Signature-256=${sign(b)}`],
      /interceptor cel: expression .* did not return true/,
    ],
    [
      'another repository',
      pushTo('refs/heads/master', { repository: { ...(EXAMPLE.repository as object), full_name: 'Codertocat/Other' } }),
      (b: Buffer) => [`X-Hub-Signature-256=${sign(b)}`],
      /interceptor cel: expression .* did not return true/,
    ],
    [
      'a branch deletion',
      pushTo('refs/heads/master', { deleted: true, after: '0000000000000000000000000000000000000000', head_commit: null, commits: [] }),
      (b: Buffer) => [`X-Hub-Signature-256=${sign(b)}`],
      /interceptor cel: expression .* did not return true/,
    ],
    [
      "GitHub's documented example as it is (a tag deletion)",
      Buffer.from(fs.readFileSync(path.join(fixtures, 'github-push-example.json'))),
      (b: Buffer) => [`X-Hub-Signature-256=${sign(b)}`],
      /did not return true/,
    ],
  ])('refuses %s, in one line, exit 1', (name, body, headers, message) => {
    const event = name === 'another event type' ? 'X-GitHub-Event=pull_request' : 'X-GitHub-Event=push';
    const result = deliver(name.replace(/\W+/g, '-'), body, [event, ...headers(body)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^slsa-for-models rehearse: Trigger\/slsa-for-models-push refused the event: interceptor (github|cel): /);
    expect(lines[0]).toMatch(message);
  });

  test('without --webhook-secret the signature is not checked, and it says so', () => {
    const body = pushTo('refs/heads/master');
    const result = deliver('unsigned', body, ['X-GitHub-Event=push', `X-Hub-Signature-256=${sign(body, 'whatever')}`], false);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(
      /note: Trigger\/slsa-for-models-push: the X-Hub-Signature-256 signature was not checked: .*--webhook-secret/,
    );
  });

  test('bad usage exits 2 with one line', () => {
    const notJson = deliver('not-json', Buffer.from('payload=%7B%7D'), ['X-GitHub-Event=push']);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/the event body is not JSON/);
    expect(cli(['--event', path.join(tmp, 'missing.json')]).stderr).toMatch(/--event .*missing\.json: no such file/);
    expect(cli(['--event-header', 'X-GitHub-Event=push', '--out', tmp]).stderr).toMatch(/--event-header goes with --event FILE/);
    const badHeader = cli(['--event', path.join(tmp, 'push.json'), '--event-header', 'nonsense', '--triggers', TRIGGERS]);
    expect([badHeader.status, badHeader.stderr.trim().split('\n').length]).toEqual([2, 1]);
  });

  test('an EventListener with triggerGroups is refused in one line (groups are not rehearsed), not rehearsed without them', () => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(TRIGGERS, 'utf8')).map((d) => d.toJS() as Record<string, any>);
    const listener = docs.find((d) => d.kind === 'EventListener')!;
    listener.spec.triggerGroups = [
      {
        name: 'push',
        interceptors: [{ ref: { name: 'cel' }, params: [{ name: 'filter', value: 'true' }] }],
        triggerSelector: { labelSelector: { matchLabels: { group: 'push' } } },
      },
    ];
    const grouped = path.join(tmp, 'grouped.yaml');
    fs.writeFileSync(grouped, docs.map((d) => YAML.stringify(d)).join('---\n'));
    const body = pushTo('refs/heads/master');
    const result = deliver('grouped', body, ['X-GitHub-Event=push', `X-Hub-Signature-256=${sign(body)}`], true, grouped);
    expect([result.status, result.stderr.trim().split('\n').length, result.stdout]).toEqual([2, 1, '']);
    expect(result.stderr).toMatch(/EventListener\/slsa-for-models spec\.triggerGroups: trigger groups are not rehearsed/);
    // near: the same objects without triggerGroups are rehearsed
    delete listener.spec.triggerGroups;
    expect(rehearseTriggerEvent({ objects: docs, body, headers: { 'X-GitHub-Event': ['push'] } }).map((o) => o.trigger)).toEqual([
      'Trigger/slsa-for-models-push',
    ]);
  });

  test('with --out it goes on to rehearse the PipelineRun the EventListener would create', () => {
    const body = pushTo('refs/heads/master');
    const file = path.join(tmp, 'continue.json');
    fs.writeFileSync(file, body);
    const out = path.join(tmp, 'out');
    const result = cli([
      '--event',
      file,
      '--event-header',
      'X-GitHub-Event=push',
      '--event-header',
      `X-Hub-Signature-256=${sign(body)}`,
      '--webhook-secret',
      path.join(tmp, 'secret'),
      '--triggers',
      TRIGGERS,
      '--out',
      out,
    ]);
    expect(result.stderr).toMatch(
      /note: the rehearsal trains from a generated model project, not from https:\/\/github.com\/Codertocat\/Hello-World.git at 7fd1a60/,
    );
    expect(result.status).toBe(0);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'pipelinerun.json'), 'utf8')) as {
      metadata: { name: string; labels: Record<string, string> };
    };
    expect(run.metadata.name).toMatch(/^slsa-for-models-7fd1a60-[a-z0-9]{5}$/);
    expect(result.stdout).toContain('verify it with:');
  });

  test('check judges the template against the Pipeline it names: dist/ with the fixture passes, a missing pipeline param is an error', () => {
    const check = (file: string): SpawnSyncReturns<string> =>
      spawnSync(process.execPath, [main, 'check', file, path.join(root, 'dist', 'slsa-for-models.yaml')], { cwd: root, encoding: 'utf8' });
    expect(check(TRIGGERS)).toMatchObject({ status: 0, stdout: '' });
    const broken = path.join(tmp, 'broken.yaml');
    fs.writeFileSync(broken, fs.readFileSync(TRIGGERS, 'utf8').replace('name: model-storage', 'name: model-storag'));
    const result = check(broken);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /broken\.yaml:\d+: error param-missing: TriggerTemplate\/slsa-for-models spec\.resourcetemplates\[0\]\.spec\.params: Pipeline\/slsa-for-models requires param "model-storage"/,
    );
  });

  test('the fixture objects pass check (the Pipeline is not among them: one note)', () => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(TRIGGERS, 'utf8')).map((d) => d.toJS() as unknown);
    expect(checkDocuments(docs).map((f) => `${f.severity} ${f.rule}`)).toEqual(['note ref-not-found']);
  });
});

describe('the Triggers event language (tekton-model/triggers.ts)', () => {
  const event = { body: { a: { b: [1, 'x'], 'c.d': true }, s: 'v' }, header: { 'X-Github-Event': ['push', 'again'] } };
  test('reads $(body...) and $(header...) as Triggers does: strings bare, the rest as JSON', () => {
    expect(readEventPath(event, 'body.s')).toBe('v');
    expect(readEventPath(event, 'body.a.b')).toBe('[1,"x"]');
    expect(readEventPath(event, 'body.a.b[1]')).toBe('x');
    expect(readEventPath(event, "body.a['c.d']")).toBe('true');
    expect(readEventPath(event, '{.body.a.b[*]}')).toBe('[1,"x"]');
    expect(readEventPath(event, 'header.X-Github-Event')).toBe('push,again');
    expect(() => readEventPath(event, 'body.missing')).toThrow(/missing is not found/);
  });
  test('finds each $(...) up to its unbalanced ) and makes header keys canonical', () => {
    expect(findBindingExpressions('a-$(header.x-github-event)-$(body.f(1))')).toEqual([
      { original: '$(header.x-github-event)', path: 'header.X-Github-Event' },
      { original: '$(body.f(1))', path: 'body.f(1)' },
    ]);
  });
  test('a path that does not resolve takes the default, else refuses', () => {
    const bindings = [{ name: 'r', value: '$(body.nope)' }];
    expect(resolveBindingParams(bindings, [{ name: 'r', default: 'd', index: 0 }], event).get('r')).toBe('d');
    expect(() => resolveBindingParams(bindings, [{ name: 'r', index: 0 }], event)).toThrow(/failed to replace JSONPath value for param r/);
  });
  test('renders $(tt.params.x) with $( escaped to $$( (Triggers v0.34+) and one $(uid)', () => {
    const template = {
      spec: {
        resourcetemplates: [
          { kind: 'PipelineRun', metadata: { name: 'r-$(uid)', labels: { u: '$(uid)' } }, spec: { v: '$(tt.params.m)' } },
        ],
      },
    };
    const [out] = renderResourceTemplates(template, new Map([['m', 'say $(params.x)']]), 'UID');
    expect(out).toEqual({ kind: 'PipelineRun', metadata: { name: 'r-UID', labels: { u: 'UID' } }, spec: { v: 'say $$(params.x)' } });
    expect(() => renderResourceTemplates(template, new Map([['m', 'a "quote"']]))).toThrow(/not valid JSON/);
  });
  test('rehearseTriggerEvent without an EventListener runs every Trigger', () => {
    const docs = YAML.parseAllDocuments(fs.readFileSync(TRIGGERS, 'utf8'))
      .map((d) => d.toJS() as { kind: string })
      .filter((d) => d.kind !== 'EventListener');
    const body = pushTo('refs/heads/master');
    const outcomes = rehearseTriggerEvent({
      objects: docs,
      body,
      headers: { 'x-github-event': ['push'], 'x-hub-signature-256': [sign(body)] },
      webhookSecret: Buffer.from(SECRET),
      uid: 'u',
    });
    expect(outcomes.map((o) => [o.trigger, o.refused, o.resources?.length])).toEqual([['Trigger/slsa-for-models-push', undefined, 1]]);
  });
});

describe('rehearse --event against the synthesized dist/triggers (no --triggers)', () => {
  const OURS = {
    ...(EXAMPLE.repository as object),
    full_name: 'your-github-owner/slsa-for-models',
    clone_url: 'https://github.com/your-github-owner/slsa-for-models.git',
  };
  function deliverToDist(name: string, body: Buffer): SpawnSyncReturns<string> {
    const file = path.join(tmp, `${name}.json`);
    fs.writeFileSync(file, body);
    return cli([
      '--event',
      file,
      '--event-header',
      'X-GitHub-Event=push',
      '--event-header',
      `X-Hub-Signature-256=${sign(body)}`,
      '--webhook-secret',
      path.join(tmp, 'secret'),
    ]);
  }

  test('a signed push to the configured branch becomes the model PipelineRun at the pushed commit', () => {
    const result = deliverToDist('dist-push', pushTo('refs/heads/main', { repository: OURS }));
    expect(result.status).toBe(0);
    const [run] = YAML.parseAllDocuments(result.stdout).map((d) => d.toJS() as Record<string, any>);
    expect(run.kind).toBe('PipelineRun');
    expect(run.spec.pipelineRef).toEqual({ name: 'slsa-for-models' });
    const source = run.spec.params.find((p: { name: string }) => p.name === 'model-source');
    expect(source.value).toMatchObject({ url: OURS.clone_url, revision: COMMIT });
  });

  test('the same push to another branch is refused by the filter dist/triggers carries', () => {
    const result = deliverToDist('dist-other-branch', pushTo('refs/heads/master', { repository: OURS }));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/refused the event: interceptor cel: .*did not return true/);
  });
});
