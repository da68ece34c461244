import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  crdSchemaAvailable,
  crdServes,
  formatSchemaProblems,
  SchemaProblem,
  schemaProblemsWithEmbeddedSpecs,
  validateAgainstCrd,
  validateAgainstSchema,
} from './support/crd-schema';

const available = crdSchemaAvailable();
if (!available) {
  console.log('skipping crd-schema tests: ../shared/tekton/pipeline-crds is absent (only the team machine and CI have it)');
}
const describeIfShared = available ? describe : describe.skip;

function validTask(): Record<string, any> {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: 'build-model', labels: { 'app.kubernetes.io/part-of': 'slsa-for-models' } },
    spec: {
      params: [{ name: 'model-name', type: 'string', default: 'pytorch_model.pth', enum: ['pytorch_model.pth'] }],
      results: [{ name: 'digest', type: 'string' }],
      workspaces: [{ name: 'source' }],
      steps: [
        {
          name: 'train',
          image: 'python:3.11@sha256:' + '0'.repeat(64),
          script: 'python main.py',
          computeResources: { requests: { memory: '2Gi', cpu: 1 } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true },
          env: [{ name: 'HOME', value: '/tmp' }],
        },
      ],
    },
  };
}

function only(problems: SchemaProblem[], kind: SchemaProblem['kind']): SchemaProblem[] {
  return problems.filter((p) => p.kind === kind);
}

describeIfShared('validateAgainstCrd', () => {
  test('a valid Task has no problem', () => {
    expect(validateAgainstCrd(validTask())).toEqual([]);
  });

  test('a wrong type is invalid, with its path', () => {
    const task = validTask();
    task.spec.steps[0].image = 42;
    expect(validateAgainstCrd(task)).toEqual([
      { kind: 'invalid', path: 'spec.steps[0].image', message: 'spec.steps[0].image must be a string, got the integer 42' },
    ]);
  });

  test('a missing required field is invalid', () => {
    const task = validTask();
    delete task.spec.steps[0].name;
    expect(validateAgainstCrd(task)).toEqual([{ kind: 'invalid', path: 'spec.steps[0].name', message: 'spec.steps[0].name is required' }]);
  });

  test('an unknown field is reported as pruned, with its path', () => {
    const task = validTask();
    task.spec.steps[0].stdoutConfg = { path: '/x' };
    task.spec.unknownTopLevel = true;
    const problems = validateAgainstCrd(task);
    expect(problems.map((p) => [p.kind, p.path])).toEqual([
      ['pruned', 'spec.steps[0].stdoutConfg'],
      ['pruned', 'spec.unknownTopLevel'],
    ]);
    expect(problems[0].message).toContain('unknown field "stdoutConfg"');
  });

  test('an unknown root field and an unknown metadata field are pruned', () => {
    const task = validTask();
    task.specs = {};
    task.metadata.label = { a: 'b' };
    expect(validateAgainstCrd(task).map((p) => [p.kind, p.path])).toEqual([
      ['pruned', 'metadata.label'],
      ['pruned', 'specs'],
    ]);
  });

  test('preserve-unknown-fields subtrees are not checked: param values and Pipeline taskSpec', () => {
    const pipeline = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'p' },
      spec: {
        params: [{ name: 'model-source', type: 'object', properties: { url: { type: 'string' } }, default: { url: 'x', anything: [1] } }],
        tasks: [{ name: 't', taskSpec: { steps: [{ image: 'x', notAField: 1 }] } }],
      },
    };
    expect(validateAgainstCrd(pipeline)).toEqual([]);
  });

  test('a declared field below a map of schemas is checked (object param properties)', () => {
    const task = validTask();
    task.spec.params.push({ name: 'storage', type: 'object', properties: { package: { type: 'string', bogus: 1 } } });
    expect(validateAgainstCrd(task).map((p) => [p.kind, p.path])).toEqual([['pruned', 'spec.params[1].properties.package.bogus']]);
  });

  test('enum: a param type outside string/array/object is accepted by the schema (the webhook judges it)', () => {
    // v1.15.0 declares params[].type as a plain string, no enum; so this must NOT fire.
    const task = validTask();
    task.spec.params[0].type = 'strin';
    expect(validateAgainstCrd(task)).toEqual([]);
  });

  test('no v1.15.0 CRD declares an enum, so a wrong onError passes the schema (the webhook judges it)', () => {
    const task = validTask();
    task.spec.steps[0].onError = 'explode';
    expect(validateAgainstCrd(task)).toEqual([]);
  });

  test('int-or-string accepts both and rejects a boolean; the quantity pattern applies to strings', () => {
    const task = validTask();
    task.spec.steps[0].computeResources.limits = { cpu: '500m', memory: 2 };
    expect(validateAgainstCrd(task)).toEqual([]);
    task.spec.steps[0].computeResources.limits = { cpu: true, memory: 'two gigs' };
    expect(validateAgainstCrd(task).map((p) => p.path)).toEqual([
      'spec.steps[0].computeResources.limits.cpu',
      'spec.steps[0].computeResources.limits.memory',
    ]);
  });

  test('undefined is absent, as on the wire; a required field left undefined is missing', () => {
    const task = validTask();
    task.spec.description = undefined;
    task.spec.steps[0].workingDir = undefined;
    expect(validateAgainstCrd(task)).toEqual([]);
    task.spec.steps[0].name = undefined;
    expect(validateAgainstCrd(task).map((p) => p.path)).toEqual(['spec.steps[0].name']);
  });

  test('an int32 field that overflows is invalid; a large value in an int64 field is not', () => {
    const task = validTask();
    task.spec.steps[0].securityContext.runAsUser = 2 ** 40; // int64
    expect(validateAgainstCrd(task)).toEqual([]);
    task.spec.sidecars = [{ name: 's', image: 'x', ports: [{ containerPort: 2 ** 31 }] }]; // int32
    expect(validateAgainstCrd(task)).toEqual([
      {
        kind: 'invalid',
        path: 'spec.sidecars[0].ports[0].containerPort',
        message: 'spec.sidecars[0].ports[0].containerPort 2147483648 does not fit in an int32 (-2147483648 to 2147483647)',
      },
    ]);
  });

  test('a non-nullable null is dropped', () => {
    const task = validTask();
    task.spec.description = null;
    expect(validateAgainstCrd(task)).toEqual([
      { kind: 'pruned', path: 'spec.description', message: 'spec.description is null and not nullable: the api server drops it' },
    ]);
  });

  test('a list of type map rejects duplicate keys', () => {
    const task = validTask();
    // protocol defaults to TCP, so these two ports have the same containerPort+protocol key.
    task.spec.sidecars = [{ name: 's', image: 'x', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }];
    expect(validateAgainstCrd(task)).toEqual([expect.objectContaining({ kind: 'invalid', path: 'spec.sidecars[0].ports[1]' })]);
    task.spec.sidecars[0].ports[1].protocol = 'UDP';
    expect(validateAgainstCrd(task)).toEqual([]);
  });

  describe('metadata', () => {
    test('name or generateName is required', () => {
      const task = validTask();
      task.metadata = {};
      expect(validateAgainstCrd(task)).toEqual([
        { kind: 'invalid', path: 'metadata.name', message: 'metadata.name or metadata.generateName is required' },
      ]);
      task.metadata = { generateName: 'slsa-for-models-' };
      expect(validateAgainstCrd(task)).toEqual([]);
    });

    test('a name that is not a dns subdomain is invalid', () => {
      const task = validTask();
      task.metadata.name = 'Build_Model';
      expect(only(validateAgainstCrd(task), 'invalid').map((p) => p.path)).toEqual(['metadata.name']);
    });

    test('label keys and values are checked; annotations must be strings', () => {
      const task = validTask();
      task.metadata.labels = { 'ok/key': 'fine', 'bad key': 'v', k: 'x'.repeat(64) };
      task.metadata.annotations = { 'chains.tekton.dev/signed': true };
      expect(validateAgainstCrd(task).map((p) => p.path)).toEqual(['metadata.annotations', 'metadata.labels.bad key', 'metadata.labels.k']);
    });
  });

  test('the served version is chosen by apiVersion and kind', () => {
    expect(crdServes('tekton.dev/v1', 'PipelineRun')).toBe(true);
    expect(crdServes('tekton.dev/v1beta1', 'StepAction')).toBe(true);
    expect(crdServes('tekton.dev/v1', 'StepAction')).toBe(false);
    const problems = validateAgainstCrd({ apiVersion: 'tekton.dev/v1', kind: 'StepAction', metadata: { name: 'a' } });
    expect(problems).toEqual([
      {
        kind: 'invalid',
        path: '',
        message: 'no tekton v1.15.0 crd serves tekton.dev/v1 StepAction (served: tekton.dev/v1alpha1, tekton.dev/v1beta1)',
      },
    ]);
  });

  test('a v1beta1 StepAction is checked against its own schema', () => {
    const stepAction = {
      apiVersion: 'tekton.dev/v1beta1',
      kind: 'StepAction',
      metadata: { name: 'a' },
      spec: { image: 'x', script: 'echo', steps: [] },
    };
    expect(validateAgainstCrd(stepAction).map((p) => [p.kind, p.path])).toEqual([['pruned', 'spec.steps']]);
  });

  test("Tekton's own v1 examples pass, except the two steps without a name upstream documents", () => {
    const root = path.resolve(__dirname, '..', '..', 'shared', 'tekton', 'examples-v1');
    const findings: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(full);
        } else if (entry.name.endsWith('.yaml')) {
          for (const doc of parseAllDocuments(fs.readFileSync(full, 'utf8'))) {
            const object = doc.toJS();
            if (object?.apiVersion?.startsWith('tekton.dev/')) {
              const problems = validateAgainstCrd(object);
              if (problems.length > 0) {
                findings.push(`${path.relative(root, full)}:\n${formatSchemaProblems(problems)}`);
              }
            }
          }
        }
      }
    };
    walk(root);
    const missingName = 'pipelineruns/optional-workspaces.yaml:\ninvalid spec.steps[0].name: spec.steps[0].name is required';
    expect(findings).toEqual([missingName, missingName]);
  });
});

describe('validateAgainstSchema', () => {
  const schema = {
    type: 'object',
    required: ['mode'],
    properties: {
      mode: { type: 'string', enum: ['fast', 'slow'] },
      count: { type: 'integer', minimum: 1 },
      ratio: { type: 'number' },
      when: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      note: { type: 'string', nullable: true },
      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  };

  test('a conforming value has no problem', () => {
    const value = {
      mode: 'fast',
      count: 2,
      ratio: 0.5,
      when: '2026-11-26T01:00:00Z',
      tags: ['a', 'b'],
      labels: { a: 'b' },
      note: null,
      free: { x: [1] },
    };
    expect(validateAgainstSchema(value, schema)).toEqual([]);
  });

  test('enum, minimum, integer, format, set and map values fire', () => {
    const value = { mode: 'medium', count: 0, ratio: 'x', when: 'yesterday', tags: ['a', 'a'], labels: { a: 1 }, extra: true };
    expect(validateAgainstSchema(value, schema, 'spec').map((p) => `${p.kind} ${p.path}`)).toEqual([
      'invalid spec.mode',
      'invalid spec.count',
      'invalid spec.ratio',
      'invalid spec.when',
      'invalid spec.tags[1]',
      'invalid spec.labels.a',
      'pruned spec.extra',
    ]);
  });

  test('a missing required field fires; an integer is a number', () => {
    expect(validateAgainstSchema({ ratio: 1 }, schema)).toEqual([{ kind: 'invalid', path: 'mode', message: 'mode is required' }]);
    expect(validateAgainstSchema({ mode: 'slow', count: 1.5 }, schema)[0].message).toBe('count must be an integer, got the number 1.5');
  });
});

describeIfShared('schemaProblemsWithEmbeddedSpecs', () => {
  const run = (taskSpec: Record<string, unknown>) => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'r' },
    spec: { pipelineSpec: { tasks: [{ name: 'a', taskSpec }] } },
  });

  test('judges a taskSpec embedded in a pipelineSpec as a Task spec', () => {
    expect(schemaProblemsWithEmbeddedSpecs([run({ steps: [{ name: 's', image: 'busybox', scrpit: 'true' }] })])).toBe(
      'object 0 spec.pipelineSpec.tasks[0].taskSpec: pruned spec.steps[0].scrpit: unknown field "scrpit" in spec.steps[0]: the schema does not declare it, so the api server drops it',
    );
  });

  test("an embedded task's own metadata is not a Task spec field", () => {
    expect(
      schemaProblemsWithEmbeddedSpecs([
        run({ metadata: { labels: { a: 'b' } }, steps: [{ name: 's', image: 'busybox', script: 'true' }] }),
      ]),
    ).toBe('');
  });
});
