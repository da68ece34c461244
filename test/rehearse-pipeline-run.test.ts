import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rehearsePipelineRun } from '../src/rehearse/pipeline-run-rehearsal';
import { childTaskRunTimeout } from '../src/tekton-model/timeouts';
import { RehearsalError } from '../src/rehearse/rehearsal-error';
import { readTektonFeatureFlags } from '../src/tekton-model/feature-flags';
import { KubernetesObject, PipelineSpec, TaskSpec } from '../src/tekton-model/tekton-objects';

let workDir: string;
beforeEach(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-pr-'));
});
afterEach(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

function task(name: string, spec: TaskSpec): KubernetesObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name }, spec };
}

function pipeline(spec: PipelineSpec): KubernetesObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec };
}

function run(objects: KubernetesObject[], runSpec: Record<string, unknown> = {}, flags: Record<string, string> = {}) {
  const lines: string[] = [];
  const result = rehearsePipelineRun({
    pipelineRun: {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pr', uid: 'uid-1' },
      spec: { pipelineRef: { name: 'p' }, ...runSpec },
    },
    objects,
    flags: readTektonFeatureFlags(flags),
    workDir,
    env: process.env,
    report: (l) => lines.push(l),
  });
  return { ...result, lines };
}

function failure(fn: () => unknown): RehearsalError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RehearsalError) return err;
    throw err;
  }
  throw new Error('expected a RehearsalError');
}

describe('rehearsePipelineRun: substitution', () => {
  test('params with defaults and object keys, array [*] in args, context, results and workspace paths', () => {
    const echo = task('echo', {
      params: [
        { name: 'greeting', default: 'hello' },
        { name: 'who', type: 'object', properties: { first: {}, last: {} }, default: { first: 'ada', last: 'lovelace' } },
        { name: 'words', type: 'array' },
      ],
      results: [{ name: 'line' }, { name: 'count' }],
      workspaces: [{ name: 'data' }],
      steps: [
        {
          name: 'say',
          image: 'busybox',
          command: ['sh', '-c', 'printf "%s|" "$@" > $(results.line.path); printf "%s" "$#" > "$(results.count.path)"', 'sh'],
          args: [
            '$(params.greeting)',
            '$(params.who.first)',
            '$(params.words[*])',
            '$(params.words[1])',
            '$(context.taskRun.name)',
            '$(context.task.name)',
            '$(workspaces.data.path)',
          ],
        },
      ],
    });
    const p = pipeline({
      params: [
        { name: 'words', type: 'array', default: ['x', 'y'] },
        { name: 'who', type: 'object', properties: { first: {}, last: {} } },
      ],
      workspaces: [{ name: 'shared' }],
      tasks: [
        {
          name: 'first',
          taskRef: { name: 'echo' },
          params: [
            { name: 'words', value: ['$(params.words[*])', 'z'] },
            { name: 'who', value: { first: '$(params.who.first)' } },
            { name: 'greeting', value: 'hi from $(context.pipelineRun.name) $(context.pipelineRun.uid)' },
          ],
          workspaces: [{ name: 'data', workspace: 'shared' }],
        },
      ],
      results: [{ name: 'line', value: '$(tasks.first.results.line)' }],
    });
    const { pipelineRun, taskRuns, workspaceDirs } = run([echo, p], {
      params: [{ name: 'who', value: { first: 'grace', last: 'hopper' } }],
      workspaces: [{ name: 'shared', emptyDir: {} }],
    });
    const args = ['hi from pr uid-1', 'grace', 'x', 'y', 'z', 'y', 'pr-first', 'echo', workspaceDirs.get('shared')!];
    expect(taskRuns[0].status.results).toEqual([
      { name: 'line', type: 'string', value: `${args.join('|')}|` },
      { name: 'count', type: 'string', value: String(args.length) },
    ]);
    expect(pipelineRun.status.results).toEqual([{ name: 'line', value: `${args.join('|')}|` }]);
    expect(taskRuns[0].metadata?.labels?.['tekton.dev/pipelineTask']).toBe('first');
  });

  test('pipeline context is not visible inside a referenced Task, as in Tekton', () => {
    const t = task('t', { steps: [{ name: 's', image: 'busybox', script: 'echo $(context.pipelineRun.uid)' }] });
    expect(failure(() => run([t, pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] })])).message).toMatch(
      /refers to \$\(context.pipelineRun.uid\), which is not defined here/,
    );
  });

  test('an embedded taskSpec sees pipeline params (scoped by its own), pipeline context and earlier task results', () => {
    const p = pipeline({
      params: [
        { name: 'who', default: 'pipeline' },
        { name: 'shadow', default: 'pipeline-value' },
      ],
      tasks: [
        {
          name: 'a',
          taskSpec: { results: [{ name: 'r' }], steps: [{ name: 's', image: 'busybox', script: 'printf A > $(results.r.path)' }] },
        },
        {
          name: 'b',
          runAfter: ['a'],
          params: [{ name: 'shadow', value: 'task-value' }],
          taskSpec: {
            params: [{ name: 'shadow' }],
            results: [{ name: 'r' }],
            steps: [
              {
                name: 's',
                image: 'busybox',
                script:
                  'printf "%s %s %s %s" "$(params.who)" "$(params.shadow)" "$(context.pipelineRun.name)" "$(tasks.a.results.r)" > $(results.r.path)',
              },
            ],
          },
        },
      ],
    });
    const { taskRuns } = run([p]);
    expect(taskRuns[1].status.results[0].value).toBe('pipeline task-value pr A');
  });

  test('a reference to an undeclared param fails naming task, step and field, as Tekton validation would', () => {
    const t = task('t', { steps: [{ name: 's', image: 'busybox', script: 'echo $(params.nope)' }] });
    const err = failure(() => run([t, pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] })]));
    expect(err.message).toBe('task "a" step "s": script refers to $(params.nope), which is not defined here (tekton would not resolve it)');
    expect([err.task, err.step]).toEqual(['a', 's']);
  });

  test('an object param used whole in a script is refused with the way to use it', () => {
    const t = task('t', {
      params: [{ name: 'o', type: 'object', properties: { url: {} }, default: { url: 'u' } }],
      steps: [{ name: 's', image: 'busybox', script: 'echo $(params.o)' }],
    });
    expect(failure(() => run([t, pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] })])).message).toBe(
      'task "a" step "s": script refers to $(params.o), but "o" is an object param; use it by key, e.g. $(params.o.url)',
    );
  });

  test('a result path made a directory is reported, not a crash', () => {
    const t = task('t', { results: [{ name: 'r' }], steps: [{ name: 's', image: 'busybox', script: 'mkdir $(results.r.path)' }] });
    expect(failure(() => run([t, pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] })])).message).toMatch(
      /^task "a" step "s": result "r" cannot be read from its path \(EISDIR\)/,
    );
  });

  test('shell command substitution $(...) is left to the shell', () => {
    const t = task('t', {
      results: [{ name: 'r' }],
      steps: [{ name: 's', image: 'busybox', script: 'printf "%s" "$(echo ok)" > $(results.r.path)' }],
    });
    const { taskRuns } = run([t, pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] })]);
    expect(taskRuns[0].status.results).toEqual([{ name: 'r', type: 'string', value: 'ok' }]);
  });
});

describe('rehearsePipelineRun: order', () => {
  test('result references order tasks without runAfter; finally runs last and sees task status', () => {
    const write = task('write', {
      params: [{ name: 'in', default: '' }],
      results: [{ name: 'out' }],
      steps: [{ name: 's', image: 'busybox', script: 'printf "%s+" "$(params.in)" > $(results.out.path)' }],
    });
    const p = pipeline({
      tasks: [
        { name: 'second', taskRef: { name: 'write' }, params: [{ name: 'in', value: '$(tasks.first.results.out)' }] },
        { name: 'first', taskRef: { name: 'write' }, params: [{ name: 'in', value: 'a' }] },
      ],
      finally: [
        {
          name: 'last',
          taskRef: { name: 'write' },
          params: [{ name: 'in', value: '$(tasks.second.results.out)$(tasks.second.status)/$(tasks.second.reason)/$(tasks.status)' }],
        },
      ],
    });
    const { taskRuns, lines } = run([write, p]);
    expect(taskRuns.map((t) => t.metadata?.labels?.['tekton.dev/pipelineTask'])).toEqual(['first', 'second', 'last']);
    expect(taskRuns[2].status.results[0].value).toBe('a++Succeeded/Succeeded/Succeeded+');
    expect(lines.filter((l) => l.startsWith('task '))).toEqual([
      'task first (TaskRun pr-first)',
      'task second (TaskRun pr-second)',
      'task last (TaskRun pr-last)',
    ]);
  });

  test('a when expression that is false skips the task', () => {
    const t = task('t', { steps: [{ name: 's', image: 'busybox', script: 'exit 3' }] });
    const p = pipeline({
      params: [{ name: 'go', default: 'no' }],
      tasks: [{ name: 'a', taskRef: { name: 't' }, when: [{ input: '$(params.go)', operator: 'in', values: ['yes'] }] }],
    });
    const { pipelineRun, taskRuns } = run([t, p]);
    expect(taskRuns).toEqual([]);
    expect(pipelineRun.status.skippedTasks).toEqual([{ name: 'a', reason: 'When Expressions evaluated to false' }]);
  });

  test('a runAfter cycle is refused', () => {
    const t = task('t', { steps: [{ name: 's', image: 'busybox', script: 'true' }] });
    const p = pipeline({
      tasks: [
        { name: 'a', taskRef: { name: 't' }, runAfter: ['b'] },
        { name: 'b', taskRef: { name: 't' }, runAfter: ['a'] },
      ],
    });
    expect(failure(() => run([t, p])).message).toMatch(/"a", "b" depend on each other in a cycle/);
  });
});

describe('rehearsePipelineRun: results as Tekton reads them', () => {
  const objectTask = (script: string) =>
    task('t', {
      results: [{ name: 'obj', type: 'object', properties: { uri: {}, digest: {} } }, { name: 'list', type: 'array' }, { name: 'text' }],
      steps: [{ name: 'write', image: 'busybox', script }],
    });
  const p = pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] });

  test('string results keep their trailing newline; arrays and objects are parsed as JSON', () => {
    const { taskRuns } = run([
      objectTask(
        'echo hi > $(results.text.path)\necho \'{"uri":"u","digest":"d"}\' > $(results.obj.path)\necho \'["a","b"]\' > $(results.list.path)',
      ),
      p,
    ]);
    expect(taskRuns[0].status.results).toEqual([
      { name: 'obj', type: 'object', value: { uri: 'u', digest: 'd' } },
      { name: 'list', type: 'array', value: ['a', 'b'] },
      { name: 'text', type: 'string', value: 'hi\n' },
    ]);
  });
  test('an object result written as a plain string fails naming task, result and types', () => {
    const err = failure(() => run([objectTask('printf "u@d" > $(results.obj.path)'), p]));
    expect(err.message).toMatch(/^task "a": result "obj" is expected to be "object" type but was initialized to a different type "string"/);
    expect(err.step).toBe('write');
  });
  test('an object result without a declared property fails', () => {
    const err = failure(() => run([objectTask('printf \'{"uri":"u"}\' > $(results.obj.path)'), p]));
    expect(err.message).toMatch(/result "obj" misses the declared property "digest"/);
  });
  test('results over the 4096-byte termination message fail the step that wrote them', () => {
    const err = failure(() => run([objectTask('head -c 4000 /dev/zero | tr "\\0" x > $(results.text.path)'), p]));
    expect(err.message).toMatch(/^task "a" step "write": termination message is above max allowed size 4096/);
  });
  test('results just under the budget pass', () => {
    const { taskRuns } = run([objectTask('head -c 3900 /dev/zero | tr "\\0" x > $(results.text.path)'), p]);
    expect((taskRuns[0].status.results[0].value as string).length).toBe(3900);
  });
  test('with results-from sidecar-logs the limit is max-result-size per result', () => {
    const big = objectTask('head -c 6000 /dev/zero | tr "\\0" x > $(results.text.path)');
    expect(
      run([big, p], {}, { 'results-from': 'sidecar-logs', 'max-result-size': '8192' }).taskRuns[0].status.results[0].value,
    ).toHaveLength(6000);
    expect(failure(() => run([big, p], {}, { 'results-from': 'sidecar-logs' })).message).toMatch(
      /result "text" has 6000 bytes, more than max-result-size 4096/,
    );
  });
  test('a result a later task needs but no step wrote fails naming the producing task', () => {
    const producer = task('t', { results: [{ name: 'out' }], steps: [{ name: 'write', image: 'busybox', script: 'echo x > /dev/null' }] });
    const consumer = task('c', { params: [{ name: 'in' }], steps: [{ name: 's', image: 'busybox', script: 'true' }] });
    const err = failure(() =>
      run([
        producer,
        consumer,
        pipeline({
          tasks: [
            { name: 'a', taskRef: { name: 't' } },
            { name: 'b', taskRef: { name: 'c' }, params: [{ name: 'in', value: '$(tasks.a.results.out)' }] },
          ],
        }),
      ]),
    );
    expect(err.message).toMatch(/^task "b": param "in" refers to \$\(tasks.a.results.out\), but task "a" did not write result "out"/);
    expect([err.task, err.step]).toEqual(['a', 'write']);
  });
  test('a pipeline result that refers to a missing task result fails as Tekton does', () => {
    const producer = task('t', { results: [{ name: 'out' }], steps: [{ name: 'write', image: 'busybox', script: 'true' }] });
    const err = failure(() =>
      run([
        producer,
        pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }], results: [{ name: 'r', value: '$(tasks.a.results.out)' }] }),
      ]),
    );
    expect(err.message).toMatch(/invalid pipelineresults \[r\], the referenced results don't exist/);
  });
});

describe('rehearsePipelineRun: steps', () => {
  const one = (step: Record<string, unknown>, spec: Partial<TaskSpec> = {}) => [
    task('t', { ...spec, steps: [{ name: 's', image: 'busybox', ...step }] }),
    pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] }),
  ];

  test('a failing script fails with task, step, exit code and its own stderr', () => {
    const err = failure(() => run(one({ script: 'echo preparing\necho "cannot open model.bin" >&2\nexit 3' })));
    expect(err.message).toMatch(/^task "a" step "s" exited with code 3/);
    expect(err.detail).toBe('cannot open model.bin');
  });
  test('scripts without a shebang run under sh with set -e', () => {
    const err = failure(() => run(one({ script: 'false\necho "not reached" >&2' })));
    expect(err.message).toMatch(/exited with code 1/);
    expect(err.detail).toBe('');
  });
  test('a shebang is honoured (python3)', () => {
    const { taskRuns } = run(
      one(
        { script: '#!/usr/bin/env python3\nimport sys\nopen("$(results.r.path)", "w").write(sys.version_info.major.__str__())' },
        { results: [{ name: 'r' }] },
      ),
    );
    expect(taskRuns[0].status.results).toEqual([{ name: 'r', type: 'string', value: '3' }]);
  });
  test('a program this machine lacks is named', () => {
    const err = failure(() => run(one({ script: 'echo start\nkubectl-that-does-not-exist apply -f x' })));
    expect(err.message).toMatch(/^task "a" step "s" needs "kubectl-that-does-not-exist", which this machine lacks \(exit 127\)/);
  });
  test('a missing interpreter is named before running', () => {
    const err = failure(() => run(one({ script: '#!/usr/bin/env ruby-that-does-not-exist\nputs 1' })));
    expect(err.message).toMatch(/needs "ruby-that-does-not-exist"/);
  });
  test('env, workingDir and stepTemplate apply; onError continue goes on', () => {
    const spec: Partial<TaskSpec> = {
      results: [{ name: 'r' }],
      workspaces: [{ name: 'w' }],
      stepTemplate: {
        env: [
          { name: 'FROM_TEMPLATE', value: 't' },
          { name: 'OVERRIDDEN', value: 'template' },
        ],
      },
      steps: [
        { name: 'fail', image: 'busybox', script: 'exit 4', onError: 'continue' },
        {
          name: 'write',
          image: 'busybox',
          workingDir: '$(workspaces.w.path)/sub',
          env: [{ name: 'OVERRIDDEN', value: 'step' }],
          script:
            'printf "%s %s %s %s" "$FROM_TEMPLATE" "$OVERRIDDEN" "$(basename "$PWD")" "$(cat $(steps.fail.exitCode.path))" > $(results.r.path)',
        },
      ],
    };
    const p = pipeline({
      workspaces: [{ name: 'ws' }],
      tasks: [{ name: 'a', taskRef: { name: 't' }, workspaces: [{ name: 'w', workspace: 'ws' }] }],
    });
    const { taskRuns } = run([task('t', spec as TaskSpec), p], { workspaces: [{ name: 'ws', emptyDir: {} }] });
    expect(taskRuns[0].status.results[0].value).toBe('t step sub 4');
  });
  test('a step timeout and a pipeline task timeout stop the step', () => {
    expect(failure(() => run(one({ script: 'sleep 5', timeout: '200ms' }))).message).toBe(
      'task "a" step "s" was stopped after its timeout 200ms',
    );
    const t = task('t', { steps: [{ name: 's', image: 'busybox', script: 'sleep 5' }] });
    expect(failure(() => run([t, pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' }, timeout: '300ms' }] })])).message).toBe(
      'task "a" step "s" was stopped after the TaskRun timeout 300ms',
    );
  });
  test('an env value from a secret cannot be rehearsed and says so', () => {
    const err = failure(() => run(one({ script: 'true', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })));
    expect(err.message).toMatch(/env TOKEN comes from secretKeyRef, which rehearse cannot read outside a cluster/);
  });
  test('a digest-pinned image becomes the step imageID; a tag does not', () => {
    const pinned = `python:3.11@sha256:${'a'.repeat(64)}`;
    const { taskRuns } = run([
      task('t', {
        steps: [
          { name: 'p', image: pinned, script: 'true' },
          { name: 'q', image: 'python:3.11', script: 'true' },
        ],
      }),
      pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' } }] }),
    ]);
    expect(taskRuns[0].status.steps.map((s: any) => s.imageID)).toEqual([`docker.io/library/python@sha256:${'a'.repeat(64)}`, undefined]);
  });
});

describe('rehearsePipelineRun: params', () => {
  const t = task('t', { params: [{ name: 'kind', enum: ['a', 'b'] }], steps: [{ name: 's', image: 'busybox', script: 'true' }] });
  const p = pipeline({
    params: [{ name: 'kind', enum: ['a', 'b'] }],
    tasks: [{ name: 'x', taskRef: { name: 't' }, params: [{ name: 'kind', value: '$(params.kind)' }] }],
  });
  test('an enum value outside the list fails when enable-param-enum is on', () => {
    expect(failure(() => run([t, p], { params: [{ name: 'kind', value: 'c' }] }, { 'enable-param-enum': 'true' })).message).toBe(
      'pipelinerun pr: param "kind" value "c" is not in its enum (a, b)',
    );
  });
  test('the same value passes when enable-param-enum is off', () => {
    expect(run([t, p], { params: [{ name: 'kind', value: 'c' }] }).taskRuns).toHaveLength(1);
  });
  test('a required param without a value fails', () => {
    expect(failure(() => run([t, p])).message).toBe('pipelinerun pr: pipeline param "kind" has no value and no default');
  });
  test('a value of the wrong type fails', () => {
    expect(failure(() => run([t, p], { params: [{ name: 'kind', value: ['a'] }] })).message).toMatch(
      /param "kind" is declared string but given array/,
    );
  });
});

describe('rehearsePipelineRun: workspaces bound to ConfigMaps and projected volumes (the kubelet side is test/rehearse-workspace-volumes)', () => {
  const configMap = (name: string, data: Record<string, string>): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name },
    data,
  });
  const reader = task('read', {
    workspaces: [{ name: 'v' }],
    results: [{ name: 'parts' }],
    steps: [
      { name: 'cat', image: 'busybox', script: 'cat "$(workspaces.v.path)/a" "$(workspaces.v.path)/sub/b" > "$(results.parts.path)"' },
    ],
  });
  const p = pipeline({
    workspaces: [{ name: 'verifier' }],
    tasks: [{ name: 'read', taskRef: { name: 'read' }, workspaces: [{ name: 'v', workspace: 'verifier' }] }],
  });
  const projected = {
    sources: [
      { configMap: { name: 'one' } },
      { configMap: { name: 'two', items: [{ key: 'b', path: 'sub/b' }] } },
      { configMap: { name: 'three', optional: true } },
    ],
  };
  test("a projected workspace holds its ConfigMaps' files for the task; an absent required one stops the run before any task", () => {
    const { taskRuns } = run([reader, p, configMap('one', { a: '1' }), configMap('two', { b: '2' })], {
      workspaces: [{ name: 'verifier', projected }],
    });
    expect(taskRuns[0].status.results).toEqual([{ name: 'parts', type: 'string', value: '12' }]);
    expect(failure(() => run([reader, p, configMap('one', { a: '1' })], { workspaces: [{ name: 'verifier', projected }] })).message).toBe(
      'pipelinerun pr: workspace "verifier" binds ConfigMap "two" in projected.sources[1], which is not among the objects',
    );
  });
});

describe('rehearsePipelineRun: a real git clone', () => {
  test('clones a local bare repository at a commit through the step script', () => {
    const bare = path.join(workDir, 'origin.git');
    const src = path.join(workDir, 'src');
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync('git', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' },
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout.trim();
    };
    fs.mkdirSync(src);
    git(src, 'init', '-q');
    fs.writeFileSync(path.join(src, 'train.py'), 'print(1)\n');
    git(src, 'add', '.');
    git(src, 'commit', '-qm', 'c');
    const commit = git(src, 'rev-parse', 'HEAD');
    git(workDir, 'clone', '-q', '--bare', src, bare);
    const clone = task('clone', {
      params: [{ name: 'url' }, { name: 'revision' }],
      results: [{ name: 'commit' }],
      workspaces: [{ name: 'out' }],
      steps: [
        {
          name: 'clone',
          image: 'git',
          script:
            'cd $(workspaces.out.path)\ngit init -q repo && cd repo\ngit fetch -q --depth 1 "$(params.url)" "$(params.revision)"\ngit checkout -q FETCH_HEAD\nprintf "%s" "$(git rev-parse HEAD)" > $(results.commit.path)',
        },
      ],
    });
    const p = pipeline({
      params: [{ name: 'src', type: 'object', properties: { url: {}, revision: {} } }],
      workspaces: [{ name: 'w' }],
      tasks: [
        {
          name: 'c',
          taskRef: { name: 'clone' },
          params: [
            { name: 'url', value: '$(params.src.url)' },
            { name: 'revision', value: '$(params.src.revision)' },
          ],
          workspaces: [{ name: 'out', workspace: 'w' }],
        },
      ],
    });
    const { taskRuns, workspaceDirs } = run([clone, p], {
      params: [{ name: 'src', value: { url: `file://${bare}`, revision: commit } }],
      workspaces: [{ name: 'w', emptyDir: {} }],
    });
    expect(taskRuns[0].status.results).toEqual([{ name: 'commit', type: 'string', value: commit }]);
    expect(fs.readFileSync(path.join(workspaceDirs.get('w')!, 'repo', 'train.py'), 'utf8')).toBe('print(1)\n');
  });
});

describe('childTaskRunTimeout (Tekton v1.15.0 pipelineRunTimeout, then the TaskRun default)', () => {
  test("the pipeline task's own timeout wins", () => {
    expect(childTaskRunTimeout({ tasks: '3h' }, '90m', false)).toBe('90m');
  });
  test('timeouts.tasks reaches the TaskRun only above the 60-minute default (or when 0)', () => {
    expect(childTaskRunTimeout({ tasks: '3h' }, undefined, false)).toBe('3h0m0s');
    expect(childTaskRunTimeout({ tasks: '20m' }, undefined, false)).toBe('1h0m0s');
    expect(childTaskRunTimeout({ tasks: '0' }, undefined, false)).toBe('0s');
  });
  test('pipeline alone does not reach the TaskRuns; pipeline minus finally does', () => {
    expect(childTaskRunTimeout({ pipeline: '2h' }, undefined, false)).toBe('1h0m0s');
    expect(childTaskRunTimeout({ pipeline: '3h', finally: '30m' }, undefined, false)).toBe('2h30m0s');
    expect(childTaskRunTimeout({ pipeline: '3h', tasks: '1h' }, undefined, true)).toBe('2h0m0s');
  });
});

describe("Tekton's defaulting of stored specs (SetDefaults)", () => {
  const { defaultedPipelineSpec, defaultedTaskSpec } = require('../src/tekton-model/tekton-defaults');
  test("param types are inferred: object with properties, else the default's type, else string; property types default to string", () => {
    expect(
      defaultedTaskSpec({
        params: [{ name: 'a' }, { name: 'b', default: ['x'] }, { name: 'c', properties: { k: {} } }, { name: 'd', type: 'array' }],
      }).params,
    ).toEqual([
      { name: 'a', type: 'string' },
      { name: 'b', default: ['x'], type: 'array' },
      { name: 'c', type: 'object', properties: { k: { type: 'string' } } },
      { name: 'd', type: 'array' },
    ]);
  });
  test('results get a type, object ones typed properties', () => {
    expect(
      defaultedTaskSpec({ results: [{ name: 'r' }, { name: 'o', properties: { uri: {}, digest: { type: 'string' } } }] }).results,
    ).toEqual([
      { name: 'r', type: 'string' },
      { name: 'o', type: 'object', properties: { uri: { type: 'string' }, digest: { type: 'string' } } },
    ]);
  });
  test('a taskRef by name gets kind Task; a resolver ref does not (near case); embedded specs are defaulted', () => {
    const spec = defaultedPipelineSpec({
      tasks: [
        { name: 'a', taskRef: { name: 't' } },
        { name: 'b', taskRef: { resolver: 'git', params: [] } },
        { name: 'c', taskSpec: { results: [{ name: 'r' }] } },
      ],
      finally: [{ name: 'f', taskRef: { name: 'g', kind: 'Task' } }],
    });
    expect(spec.tasks.map((t: any) => t.taskRef ?? t.taskSpec)).toEqual([
      { name: 't', kind: 'Task' },
      { resolver: 'git', params: [] },
      { results: [{ name: 'r', type: 'string' }] },
    ]);
    expect(spec.finally[0].taskRef).toEqual({ name: 'g', kind: 'Task' });
  });
});
