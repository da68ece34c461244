import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileKfp, conditionToWhen, KfpIrError, KfpUnsupportedError, readKfpIr, tektonName, wireOf } from '../src/kfp';

const wire = (name: string) => ({ text: `$(params.${name})`, type: 'STRING' as const, producers: [] });

/** A small IR in kfp 2.x's output shape, varied per test. */
function ir(
  extra: { task?: Record<string, unknown>; platform?: unknown; executor?: Record<string, unknown>; outputs?: Record<string, unknown> } = {},
): string {
  const spec = {
    components: {
      'comp-train': {
        executorLabel: 'exec-train',
        inputDefinitions: { parameters: { epochs: { parameterType: 'NUMBER_INTEGER' }, flag: { parameterType: 'STRING' } } },
        outputDefinitions: { artifacts: { model: { artifactType: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' } } } },
      },
    },
    deploymentSpec: {
      executors: {
        'exec-train': {
          container: {
            image: 'python:3.11',
            command: ['sh', '-c', "echo {{$.inputs.parameters['epochs']}} > {{$.outputs.artifacts['model'].path}}"],
            ...extra.executor,
          },
        },
      },
    },
    pipelineInfo: { name: 'tiny' },
    root: {
      dag: {
        tasks: {
          train: {
            componentRef: { name: 'comp-train' },
            taskInfo: { name: 'train' },
            inputs: { parameters: { epochs: { runtimeValue: { constant: 3 } }, flag: { componentInputParameter: 'flag' } } },
            ...extra.task,
          },
        },
        ...(extra.outputs ? { outputs: extra.outputs } : {}),
      },
      inputDefinitions: { parameters: { flag: { parameterType: 'STRING', defaultValue: 'on', isOptional: true } } },
    },
    schemaVersion: '2.1.0',
    sdkVersion: 'kfp-2.14.3',
  };
  const docs = [JSON.stringify(spec)];
  if (extra.platform)
    docs.push(JSON.stringify({ platforms: { kubernetes: { deploymentSpec: { executors: { 'exec-train': extra.platform } } } } }));
  return docs.join('\n---\n');
}

describe('readKfpIr', () => {
  test('reads the PipelineSpec and the platforms.kubernetes document', () => {
    const read = readKfpIr(ir({ platform: { nodeSelector: { labels: { pool: 'gpu' } } } }));
    expect(read.spec.pipelineInfo.name).toBe('tiny');
    expect(read.kubernetes?.deploymentSpec?.executors?.['exec-train'].nodeSelector).toEqual({ labels: { pool: 'gpu' } });
  });
  test('refuses a v1 pipeline and an unknown parameter type, naming the field', () => {
    expect(() => readKfpIr('apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n')).toThrow(KfpIrError);
    expect(() => readKfpIr(ir().replace('"NUMBER_INTEGER"', '"INT"'))).toThrow(
      'components.comp-train.inputDefinitions.parameters.epochs.parameterType is "INT"',
    );
  });
});

describe('conditionToWhen', () => {
  test('== and != of a parameter and a literal become in / notin; && gives several', () => {
    expect(conditionToWhen("inputs.parameter_values['a'] == 'heads'", wire, 't').when).toEqual([
      { input: '$(params.a)', operator: 'in', values: ['heads'] },
    ]);
    expect(conditionToWhen("!(inputs.parameter_values['a']  == 'heads')", wire, 't').when).toEqual([
      { input: '$(params.a)', operator: 'notin', values: ['heads'] },
    ]);
    expect(conditionToWhen("inputs.parameter_values['b'] == true && inputs.parameter_values['a'] != 'x'", wire, 't').when).toEqual([
      { input: '$(params.b)', operator: 'in', values: ['true'] },
      { input: '$(params.a)', operator: 'notin', values: ['x'] },
    ]);
  });
  test('a numeric comparison becomes one CEL when with quoted references', () => {
    const mapped = conditionToWhen("int(inputs.parameter_values['n'])  > 5", wire, 't');
    expect(mapped).toEqual({ when: [{ cel: "int('$(params.n)')  > 5" }], cel: true });
    const mixed = conditionToWhen("inputs.parameter_values['a'] == 'x' && int(inputs.parameter_values['n']) < 2", wire, 't');
    expect(mixed.cel).toBe(true);
  });
});

describe('wireOf and tektonName', () => {
  test('STRING is raw, every other type JSON with sorted keys', () => {
    expect(wireOf('a b', 'STRING')).toBe('a b');
    expect(wireOf(3, 'NUMBER_INTEGER')).toBe('3');
    expect(wireOf(true, 'BOOLEAN')).toBe('true');
    expect(wireOf({ b: 1, a: [1] }, 'STRUCT')).toBe('{"a":[1],"b":1}');
  });
  test('names become DNS labels, long ones shortened with a hash', () => {
    expect(tektonName('print-op')).toBe('print-op');
    expect(tektonName('Print_Op')).toMatch(/^print-op-[0-9a-f]{8}$/);
    expect(tektonName('x'.repeat(80))).toHaveLength(63);
  });
});

describe('compileKfp', () => {
  test('a model output becomes a Chains subject with isBuildArtifact; the run is judged too', () => {
    const c = compileKfp(ir());
    const pipeline = c.objects.find((o) => o.kind === 'Pipeline') as any;
    expect(pipeline.spec.results).toEqual([
      expect.objectContaining({
        name: 'train-model_ARTIFACT_OUTPUTS',
        type: 'object',
        value: {
          uri: '$(tasks.train.results.model_ARTIFACT_OUTPUTS.uri)',
          digest: '$(tasks.train.results.model_ARTIFACT_OUTPUTS.digest)',
          isBuildArtifact: 'true',
        },
      }),
    ]);
    expect(pipeline.spec.tasks[0].params).toEqual(
      expect.arrayContaining([
        { name: 'epochs', value: '3' },
        { name: 'flag', value: '$(params.flag)' },
      ]),
    );
    const task = c.objects.find((o) => o.kind === 'Task') as any;
    expect(task.spec.steps.map((s: any) => s.name)).toEqual(['kfp-prepare', 'main', 'kfp-publish']);
    expect(task.spec.steps[1]).toMatchObject({
      image: 'python:3.11',
      command: ['sh', '$(workspaces.kfp-artifacts.path)/.kfp/$(context.taskRun.name)/command.sh'],
    });
    expect(c.run).toBeDefined();
  });
  test('a pipeline output model is named after the output', () => {
    const c = compileKfp(
      ir({ outputs: { artifacts: { model: { artifactSelectors: [{ producerSubtask: 'train', outputArtifactKey: 'model' }] } } } }),
    );
    const pipeline = c.objects.find((o) => o.kind === 'Pipeline') as any;
    expect(pipeline.spec.results.map((r: any) => r.name)).toEqual(['model', 'model_ARTIFACT_OUTPUTS']);
  });
  test('retries, resources and accelerators, tolerations and node selectors, secrets as env', () => {
    const c = compileKfp(
      ir({
        task: { retryPolicy: { maxRetryCount: 2 } },
        executor: { resources: { cpuLimit: 2, memoryLimit: 4, accelerator: { resourceType: 'nvidia.com/gpu', resourceCount: '1' } } },
        platform: {
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          nodeSelector: { labels: { pool: 'gpu' } },
          secretAsEnv: [
            { secretNameParameter: { runtimeValue: { constant: 'creds' } }, keyToEnv: [{ secretKey: 'token', envVar: 'TOKEN' }] },
          ],
        },
      }),
    );
    const pipeline = c.objects.find((o) => o.kind === 'Pipeline') as any;
    expect(pipeline.spec.tasks[0].retries).toBe(2);
    const main = (c.objects.find((o) => o.kind === 'Task') as any).spec.steps[1];
    expect(main.computeResources).toEqual({ limits: { cpu: '2', memory: '4G', 'nvidia.com/gpu': '1' } });
    expect(main.env).toEqual([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }]);
    expect((c.run as any).spec.taskRunSpecs).toEqual([
      {
        pipelineTaskName: 'train',
        podTemplate: { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] },
      },
    ]);
  });
  test('an unsupported feature is refused in one line naming the task; a close case compiles', () => {
    expect(() => compileKfp(ir({ task: { cachingOptions: { cacheKey: 'k' } } }))).toThrow(
      new KfpUnsupportedError('task train: cachingOptions.cacheKey (caching through ML Metadata) is not supported'),
    );
    expect(() => compileKfp(ir({ task: { cachingOptions: { enableCache: true } } }))).not.toThrow();
    expect(() => compileKfp(ir({ platform: { nodeAffinity: [{}] } }))).toThrow(
      'task train: platform spec field nodeAffinity is not supported',
    );
    expect(() => compileKfp(ir({ executor: { resources: { accelerator: { type: 'NVIDIA_TESLA_T4', count: 1 } } } }))).toThrow(
      /accelerator type "NVIDIA_TESLA_T4"/,
    );
  });
});

describe('slsa-for-models kfp compile', () => {
  const cli = path.resolve(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
  test('writes the objects and a run; exit 0', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-'));
    fs.writeFileSync(path.join(dir, 'ir.yaml'), ir());
    const r = spawnSync(process.execPath, [cli, 'kfp', 'compile', path.join(dir, 'ir.yaml'), '--out', path.join(dir, 'out')], {
      encoding: 'utf8',
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(fs.existsSync(path.join(dir, 'out', 'tiny.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out', 'runs', 'tiny-run.yaml'))).toBe(true);
  });
  test('a refused IR exits 1 with one line; a missing file exits 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-'));
    fs.writeFileSync(path.join(dir, 'ir.yaml'), ir({ task: { cachingOptions: { cacheKey: 'k' } } }));
    const r = spawnSync(process.execPath, [cli, 'kfp', 'compile', path.join(dir, 'ir.yaml')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('task train: cachingOptions.cacheKey');
    const missing = spawnSync(process.execPath, [cli, 'kfp', 'compile', path.join(dir, 'nope.yaml')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
  });
});
