// `slsa-for-models check` through main() with captured streams, and as a process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../src/cli/main';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'check');
const rel = (p: string): string => path.relative(ROOT, p);

class Capture extends Writable {
  public text = '';
  public override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function check(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['check', ...args], { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const LINE = /^(?<file>[^:]+):(?<line>\d+): (?<severity>error|warning|note) (?<rule>[a-z0-9-]+): (?<message>.+)$/;

describe('check command', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = process.cwd();
    process.chdir(ROOT);
  });
  afterAll(() => process.chdir(cwd));

  test('valid pipelines (object params, enum, matrix, finally, when, embedded specs): exit 0, no finding', async () => {
    const r = await check(rel(path.join(FIXTURES, 'valid')));
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('0 errors, 0 warnings, 0 notes in 2 files (4 documents)\n');
    expect(r.code).toBe(0);
  });

  test('mistakes: exit 1, one line each, file:line: severity rule: message, in line order', async () => {
    const file = rel(path.join(FIXTURES, 'invalid', 'pipeline.yaml'));
    const r = await check(file);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(LINE);
    expect(
      lines.map((l) => {
        const g = LINE.exec(l)!.groups!;
        return [g.file, Number(g.line), g.severity, g.rule];
      }),
    ).toEqual([
      [file, 14, 'error', 'result-reference-undeclared'],
      [file, 26, 'error', 'pipeline-cycle'],
      [file, 31, 'error', 'param-reference-undeclared'],
      [file, 32, 'warning', 'param-undeclared'],
    ]);
    expect(lines[1]).toContain('Pipeline/broken spec.tasks[0].runAfter[0]: tasks form a cycle build -> upload -> build');
    expect(r.stderr).toBe('3 errors, 1 warning, 0 notes in 1 file (2 documents)\n');
  });

  test('--format json: findings with file and line', async () => {
    const r = await check('--format', 'json', rel(path.join(FIXTURES, 'invalid')));
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(findings).toHaveLength(4);
    expect(findings[3]).toEqual({
      file: rel(path.join(FIXTURES, 'invalid', 'pipeline.yaml')),
      line: 32,
      severity: 'warning',
      rule: 'param-undeclared',
      message:
        'Pipeline/broken spec.tasks[0].params[1].name: param "python-version" is not declared by Task/build, so Tekton ignores it (declared: model-name)',
      object: 'Pipeline/broken',
      path: ['spec', 'tasks', 0, 'params', 1, 'name'],
    });
  });

  test('--feature-flags judges alpha fields as that cluster would', async () => {
    const r = await check('--feature-flags', rel(path.join(FIXTURES, 'feature-flags.yaml')), rel(path.join(FIXTURES, 'valid')));
    expect(r.code).toBe(1);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .map((l) => LINE.exec(l)!.groups!.rule),
    ).toEqual(['feature-disabled', 'feature-disabled']);
    expect(r.stdout).toContain('needs feature flag enable-param-enum: "true"');
  });

  test.each([
    [['--format', 'xml', 'x.yaml'], /^slsa-for-models check: --format takes text or json, not "xml"\n$/],
    [[], /^slsa-for-models check: name at least one FILE or DIR to check\n$/],
    [['--bogus', 'x'], /^slsa-for-models check: unknown option --bogus\n$/],
    [['no/such/file.yaml'], /^slsa-for-models check: cannot read no\/such\/file.yaml: no such file or directory\n$/],
    [[rel(path.join(FIXTURES, 'broken.yaml'))], /^slsa-for-models check: test\/fixtures\/check\/broken.yaml:7: not valid YAML: [^\n]+\n$/],
    [
      ['--feature-flags', rel(path.join(FIXTURES, 'broken.yaml')), 'x'],
      /^slsa-for-models check: --feature-flags: [^\n]+not valid YAML[^\n]+\n$/,
    ],
  ])('bad usage or unreadable input %j: exit 2, one line', async (args, message) => {
    const r = await check(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('a bad feature flag value: exit 2, one line naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-flags-'));
    try {
      const flags = path.join(dir, 'flags.yaml');
      fs.writeFileSync(flags, 'data:\n  enable-api-fields: gamma\n');
      const r = await check('--feature-flags', flags, rel(path.join(FIXTURES, 'valid')));
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'slsa-for-models check: --feature-flags: feature-flags enable-api-fields: "gamma" is not one of stable, beta, alpha\n',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('directories are read recursively (*.yaml, *.yml, *.json), and refs resolve across files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-dir-'));
    try {
      fs.mkdirSync(path.join(dir, 'tasks'));
      fs.writeFileSync(
        path.join(dir, 'tasks', 'echo.json'),
        JSON.stringify({
          apiVersion: 'tekton.dev/v1',
          kind: 'Task',
          metadata: { name: 'echo' },
          spec: { params: [{ name: 'msg' }], steps: [{ name: 's', image: 'alpine', script: 'echo $(params.msg)' }] },
        }),
      );
      fs.writeFileSync(
        path.join(dir, 'pipeline.yml'),
        'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata:\n  name: p\nspec:\n  tasks:\n    - name: a\n      taskRef:\n        name: echo\n',
      );
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not yaml: [');
      const r = await check(dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(
        `${path.join(dir, 'pipeline.yml')}:7: error param-missing: Pipeline/p spec.tasks[0].params: Task/echo requires param "msg" (no default), which is not supplied; supply it\n`,
      );
      expect(r.stderr).toBe('1 error, 0 warnings, 0 notes in 2 files (2 documents)\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a kind: List (kubectl get -o yaml) is judged item by item, lines pointing into the items', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-list-'));
    try {
      const file = path.join(dir, 'list.yaml');
      fs.writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: List',
          'items:',
          '  - apiVersion: tekton.dev/v1',
          '    kind: Task',
          '    metadata: {name: ok}',
          '    spec: {steps: [{name: s, image: alpine}]}',
          '  - apiVersion: tekton.dev/v1',
          '    kind: Task',
          '    metadata: {name: bad}',
          '    spec:',
          '      steps:',
          '        - name: Bad_Step',
          '          image: alpine',
          '',
        ].join('\n'),
      );
      const r = await check(file);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:13: error step-name-invalid: Task/bad spec.steps\\[0\\].name: `),
      );
      expect(r.stderr).toBe('1 error, 0 warnings, 0 notes in 1 file (2 documents)\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [
      'an empty file',
      'empty.yaml',
      '',
      /^slsa-for-models check: nothing to check: \S+empty\.yaml holds no YAML documents \(only empty files\)$/,
    ],
    ['a file of empty documents', 'nulls.yaml', '---\n---\nnull\n', /nothing to check: \S+nulls\.yaml holds no YAML documents/],
    [
      'a binary file',
      'model.yaml',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]),
      /^slsa-for-models check: \S+model\.yaml: not a text file \(binary or not UTF-8\)/,
    ],
    [
      'a YAML syntax error',
      'bad.yaml',
      'kind: Task\nspec:\n  steps:\n  - name: a\n   image: b\n',
      /^slsa-for-models check: \S+bad\.yaml:5: not valid YAML: /,
    ],
    [
      'a document that is a sequence',
      'list.yaml',
      'apiVersion: v1\nkind: ConfigMap\n---\n- a\n- b\n',
      /^slsa-for-models check: \S+list\.yaml:4: not a Kubernetes manifest: the document is a sequence, not a mapping/,
    ],
    [
      'a document that is a scalar',
      'scalar.yaml',
      '"just text"\n',
      /^slsa-for-models check: \S+scalar\.yaml:1: not a Kubernetes manifest: the document is a scalar/,
    ],
    [
      'an unfilled {{placeholder}} (a map key that is a mapping)',
      'run.yaml',
      'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: r}\nspec:\n  params:\n    - name: url\n      value: {{GITHUB_URL}}\n',
      /^slsa-for-models check: \S+run\.yaml:7: not valid Kubernetes YAML: a map key is itself a mapping \(\{GITHUB_URL\}\); quote it/,
    ],
    [
      'a map key that is a sequence, deep in a list (an explicit ? key)',
      'seq-key.yaml',
      'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: r}\nspec:\n  params:\n    - name: url\n      value:\n        ? [a, b]\n        : c\n',
      /^slsa-for-models check: \S+seq-key\.yaml:8: not valid Kubernetes YAML: a map key is itself a sequence \(\[a, b\]\); quote it/,
    ],
    [
      'an alias bomb',
      'bomb.yaml',
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
      ].join('\n') + '\n',
      /^slsa-for-models check: \S+bomb\.yaml:1: not usable YAML: excessive alias count/,
    ],
  ])('%s: exit 2, one line naming the file, no stack trace', async (_what, name, content, expected) => {
    // GIVEN a file Kubernetes would not take as manifests
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-input-'));
    try {
      fs.writeFileSync(path.join(dir, name), content);
      // WHEN it is checked
      const r = await check(path.join(dir, name));
      // THEN exit 2 and one line
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr.trimEnd()).toMatch(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('unquoted yes/no/on/off are booleans, as kubectl reads them: a string field holding one is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-bool-'));
    try {
      const file = path.join(dir, 'task.yaml');
      fs.writeFileSync(
        file,
        'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps:\n    - image: alpine\n      env:\n        - name: VERBOSE\n          value: yes\n        - name: QUIET\n          value: "no"\n',
      );
      const r = await check(file);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /task\.yaml:9: error field-type-invalid: Task\/t spec\.steps\[0\]\.env\[0\]\.value: the boolean true is not a string, .*quote it \(Kubernetes tools read unquoted .*yes\/no/,
      );
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a directory with no YAML: exit 2, one line; an empty file or a kustomize patch (a list) beside a real one is skipped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-dir-'));
    try {
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
      const none = await check(dir);
      expect([none.code, none.stdout]).toEqual([2, '']);
      expect(none.stderr).toMatch(/^slsa-for-models check: nothing to check: \S+ holds no \*\.yaml, \*\.yml or \*\.json files\n$/);
      fs.writeFileSync(path.join(dir, 'empty.yaml'), '');
      fs.writeFileSync(path.join(dir, 'patch.yaml'), '- op: add\n  path: /spec/params/-\n  value: {name: x}\n');
      fs.writeFileSync(
        path.join(dir, 'task.yaml'),
        'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec: {steps: [{name: s, image: alpine}]}\n',
      );
      const some = await check(dir);
      expect([some.code, some.stdout, some.stderr]).toEqual([0, '', '0 errors, 0 warnings, 0 notes in 3 files (1 document)\n']);
      // named on its own, the patch is refused
      const patch = await check(path.join(dir, 'patch.yaml'));
      expect([patch.code, patch.stderr]).toEqual([
        2,
        expect.stringMatching(/patch\.yaml:1: not a Kubernetes manifest: the document is a sequence/),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('reading a repository', () => {
    const TASK = (name: string, stepName = 's'): string =>
      `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: ${name}}\nspec: {steps: [{name: ${stepName}, image: alpine}]}\n`;
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-repo-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };

    test('.tekton/ is read (where Pipelines-as-Code keeps pipelines); .git, .github and node_modules are not', async () => {
      // GIVEN a repository whose only Tekton file is under .tekton/, and bad Tasks where check must not look
      write('.tekton/push.yaml', TASK('push', 'Bad_Step'));
      write('.git/objects/x.yaml', TASK('in-git', 'Bad_Step'));
      write('.github/workflows/t.yaml', TASK('in-github', 'Bad_Step'));
      write('node_modules/pkg/task.yaml', TASK('in-node-modules', 'Bad_Step'));
      // WHEN the repository is checked
      const r = await check(dir);
      // THEN only the .tekton/ Task is judged
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/\.tekton\/push\.yaml:4: error step-name-invalid: Task\/push /);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toBe('1 error, 0 warnings, 0 notes in 1 file (1 document)\n');
    });

    test('near case: a valid .tekton/ pipeline gives exit 0, not "nothing to check"', async () => {
      write('.tekton/push.yaml', TASK('push'));
      const r = await check(dir);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '0 errors, 0 warnings, 0 notes in 1 file (1 document)\n']);
    });

    test('a template among the files is reported in one line and the rest are judged', async () => {
      // GIVEN a Helm-style template (an unquoted {{X}}) between two manifests, one of them wrong
      write('a.yaml', TASK('a', 'Bad_Step'));
      write(
        'b-template.yaml',
        'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: r}\nspec:\n  params:\n    - name: url\n      value: {{ .Values.url }}\n',
      );
      write('c.yaml', TASK('c'));
      // WHEN the directory is checked
      const r = await check(dir);
      // THEN the template gets one warning line in its place, the wrong Task its error, and exit 1 comes from that error
      expect(r.code).toBe(1);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/a\.yaml:4: error step-name-invalid: /);
      expect(lines[1]).toMatch(
        /b-template\.yaml:7: warning file-not-manifest: not valid Kubernetes YAML: a map key is itself a mapping .*; not judged/,
      );
      expect(r.stderr).toBe('1 error, 1 warning, 0 notes in 3 files (2 documents)\n');
      const json = JSON.parse((await check('--format', 'json', dir)).stdout) as Array<{ rule: string; file: string }>;
      expect(json.map((f) => f.rule)).toEqual(['step-name-invalid', 'file-not-manifest']);
    });

    test('near case: a template beside valid manifests does not turn the exit status into 2 (or 1)', async () => {
      write('a.yaml', TASK('a'));
      write('values.yaml', 'image: {{ image }}\n  bad: indentation\n');
      const r = await check(dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\S+values\.yaml:\d+: warning file-not-manifest: /);
    });

    const PAC_RUN = (annotations: string): string =>
      [
        'apiVersion: tekton.dev/v1',
        'kind: PipelineRun',
        'metadata:',
        '  name: "{{ repo_name }}-on-push"',
        annotations,
        'spec:',
        '  params:',
        '    - name: revision',
        '      value: {{ revision }}',
        '  pipelineSpec:',
        '    params: [{name: revision}]',
        '    tasks:',
        '      - name: build',
        '        taskSpec:',
        '          steps: [{name: s, image: alpine, script: "echo $(params.revision)"}]',
        '        params: [{name: revision, value: $(params.revision)}]',
        '',
      ].join('\n');

    test('a Pipelines-as-Code PipelineRun is read as PaC renders it: {{ placeholders }}, quoted or not, are unknown strings', async () => {
      write('.tekton/push.yaml', PAC_RUN('  annotations:\n    pipelinesascode.tekton.dev/on-event: "[push]"'));
      const r = await check(dir);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '0 errors, 0 warnings, 0 notes in 1 file (1 document)\n']);
    });

    // a PaC file whose format-judged fields (a param against its enum, a timeout, a step onError) hold VALUE
    const PAC_FORMATS = (value: (key: string) => string): string =>
      [
        'apiVersion: tekton.dev/v1',
        'kind: PipelineRun',
        'metadata:',
        '  name: formats',
        '  annotations:',
        '    pipelinesascode.tekton.dev/on-event: "[push]"',
        'spec:',
        `  params: [{name: mode, value: ${value('mode')}}]`,
        '  pipelineSpec:',
        '    params: [{name: mode, enum: [a, b]}]',
        '    tasks:',
        '      - name: build',
        `        timeout: ${value('task_timeout')}`,
        '        taskSpec:',
        `          steps: [{name: s, image: alpine, script: "echo hi", onError: ${value('on_error')}}]`,
        '',
      ].join('\n');

    test('a value PaC fills in, written as an unquoted {{ placeholder }} in a file, is unknown: not judged against an enum, as a duration or as an onError', async () => {
      write(
        '.tekton/formats.yaml',
        PAC_FORMATS((key) => `{{ ${key} }}`),
      );
      const r = await check(dir);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '0 errors, 0 warnings, 0 notes in 1 file (1 document)\n']);
    });

    test('near: the same fields holding wrong literals in the PaC file are refused', async () => {
      write(
        '.tekton/formats.yaml',
        PAC_FORMATS((key) => `bogus_${key}`),
      );
      const r = await check(dir);
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n').map((line) => line.split(': ')[1])).toEqual(
        expect.arrayContaining(['error param-value-not-in-enum', 'error timeout-invalid', 'error step-on-error-invalid']),
      );
    });

    test('near: the same file without PaC annotations is not rendered (the unquoted placeholder is no manifest)', async () => {
      write('.tekton/push.yaml', PAC_RUN('  annotations:\n    example.com/owner: me'));
      write('.tekton/other.yaml', TASK('other'));
      const r = await check(dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/push\.yaml:10: warning file-not-manifest: not valid Kubernetes YAML: a map key is itself a mapping/);
    });

    test('a directory of templates only: exit 2, one line', async () => {
      write('t.yaml', 'metadata: {name: {{ name }}}\n');
      const r = await check(dir);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(
        /^slsa-for-models check: nothing to check: no file under \S+ could be read as manifests \(\S+t\.yaml:1: not valid Kubernetes YAML/,
      );
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  const cli = path.join(ROOT, 'lib', 'src', 'cli', 'main.js');
  const built = fs.existsSync(cli);
  if (!built) console.log('check command process tests: skipped, lib/ is not built (npm test builds it first)');
  const maybe = built ? test : test.skip;

  maybe('as a process: exit codes 0, 1, 2 and never a stack trace', () => {
    const exec = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8', cwd: ROOT });
    const ok = exec('test/fixtures/check/valid');
    expect([ok.status, ok.stdout]).toEqual([0, '']);
    const bad = exec('test/fixtures/check/invalid');
    expect(bad.status).toBe(1);
    expect(bad.stdout.split('\n')[0]).toMatch(
      /^test\/fixtures\/check\/invalid\/pipeline.yaml:14: error result-reference-undeclared: Task\/build /,
    );
    const unreadable = exec('test/fixtures/check/broken.yaml');
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unreadable.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('check command: git resolver references in a git repository (issue 22)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-git-'));
    fs.mkdirSync(path.join(dir, 'task', 'echo', '0.1'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'pipeline'));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('remote', 'add', 'origin', 'https://github.com/org/catalog.git');
    fs.writeFileSync(
      path.join(dir, 'task', 'echo', '0.1', 'echo.yaml'),
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: echo}\nspec:\n  params: [{name: msg}]\n  steps: [{name: s, image: alpine, script: echo}]\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const pipelineFrom = (url: string): string =>
    [
      'apiVersion: tekton.dev/v1',
      'kind: Pipeline',
      'metadata: {name: p}',
      'spec:',
      '  tasks:',
      '  - name: a',
      '    taskRef:',
      '      resolver: git',
      '      params:',
      `      - {name: url, value: "${url}"}`,
      '      - {name: revision, value: main}',
      '      - {name: pathInRepo, value: task/echo/0.1/echo.yaml}',
      '',
    ].join('\n');

  test('pathInRepo of the repository the files sit in is judged: its missing param is an error', async () => {
    fs.writeFileSync(path.join(dir, 'pipeline', 'p.yaml'), pipelineFrom('git@github.com:org/catalog.git'));
    const r = await check(dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error param-missing: Pipeline/p spec.tasks[0]');
    expect(r.stdout).toContain('judged against the local Task/echo in ');
  });

  test('near: the same path in another repository is a note only', async () => {
    fs.writeFileSync(path.join(dir, 'pipeline', 'p.yaml'), pipelineFrom('https://github.com/other/catalog'));
    const r = await check(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('not checked (it comes from another repository (github.com/other/catalog;');
  });
});

describe('check command: --field-validation (issue 22)', () => {
  let file: string;
  beforeAll(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'check-fv-')), 'p.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: tekton.dev/v1\nkind: Pipeline\nmetadata: {name: p}\nspec:\n  tasks:\n  - name: a\n    runafter: []\n    taskSpec:\n      steps: [{name: s, image: alpine, script: echo}]\n',
    );
  });
  afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  test("strict by default: a pruned field is an error, as kubectl's default strict field validation refuses it", async () => {
    const r = await check(file);
    expect([r.code, r.stdout]).toEqual([1, expect.stringContaining(':7: error field-unknown: Pipeline/p spec.tasks[0].runafter: ')]);
  });

  test('near: --field-validation warn makes it a warning (exit 0); a bad value is a usage error', async () => {
    const r = await check('--field-validation', 'warn', file);
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining(':7: warning field-unknown: ')]);
    const bad = await check('--field-validation', 'lax', file);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      2,
      expect.stringContaining('--field-validation takes strict, warn or ignore, not "lax"'),
    ]);
  });
});
