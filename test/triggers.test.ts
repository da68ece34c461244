import { Testing } from 'cdk8s';
import { Pipeline, PipelineRun, Task, StringExpression } from '../src/tekton';
import {
  EventListener,
  EventValue,
  Interceptor,
  Trigger,
  TRIGGER_UID,
  TriggerBinding,
  TriggerTemplate,
  triggerParamRef,
} from '../src/triggers';
import { crdSchemaSkipReason, schemaProblemsWithEmbeddedSpecs, triggersFieldProblems } from './support/crd-schema';

const schemaReason = crdSchemaSkipReason();
if (schemaReason) console.log(schemaReason);

/** A Pipeline with a required object param, and a template that runs it for one commit. */
function fixture() {
  const chart = Testing.chart();
  const task = new Task(chart, 'task', {
    metadata: { name: 'clone' },
    params: { source: { type: 'object', properties: { url: {}, revision: {} } } },
    steps: [{ name: 'clone', image: 'busybox', script: 'true' }],
  });
  const pipeline = new Pipeline(chart, 'pipeline', {
    metadata: { name: 'build' },
    params: { source: { type: 'object', properties: { url: {}, revision: {} } }, mode: { default: 'fast' } },
  });
  pipeline.addTask('clone', task, { params: { source: pipeline.params.source } });
  const template = new TriggerTemplate(chart, 'template', {
    metadata: { name: 'on-push' },
    params: { revision: { description: 'the pushed commit' }, url: {}, mode: { default: 'fast' } },
  });
  return { chart, pipeline, template };
}

describe('TriggerTemplate', () => {
  test('declares string params and hands back $(tt.params.x) references that flow into a run built in its scope', () => {
    // GIVEN a template and a PipelineRun made as its resource template
    const { chart, pipeline, template } = fixture();
    const run = template.addResourceTemplate(
      (scope) =>
        new PipelineRun(scope, 'run', {
          metadata: { generateName: 'build-' },
          pipeline,
          params: { source: { url: template.params.url, revision: template.params.revision }, mode: template.params.mode },
        }),
    );
    // WHEN synthesized
    const objects = Testing.synth(chart);
    // THEN the run is inside the template, not an object of its own, and keeps its generateName alone
    expect(run).toBeInstanceOf(PipelineRun);
    expect(objects.map((o) => o.kind)).toEqual(['Task', 'Pipeline', 'TriggerTemplate']);
    const tt = objects[2];
    expect(tt).toMatchObject({
      apiVersion: 'triggers.tekton.dev/v1beta1',
      metadata: { name: 'on-push' },
      spec: {
        params: [{ name: 'revision', description: 'the pushed commit' }, { name: 'url' }, { name: 'mode', default: 'fast' }],
      },
    });
    expect(tt.spec.resourcetemplates).toEqual([
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { generateName: 'build-' },
        spec: {
          pipelineRef: { name: 'build' },
          params: [
            { name: 'source', value: { url: '$(tt.params.url)', revision: '$(tt.params.revision)' } },
            { name: 'mode', value: '$(tt.params.mode)' },
          ],
        },
      },
    ]);
    expect(triggersFieldProblems(tt)).toEqual([]);
    if (!schemaReason) expect(schemaProblemsWithEmbeddedSpecs(objects)).toBe('');
  });

  test('judges the run it holds like any other: a run missing a required pipeline param fails the synth', () => {
    const { chart, pipeline, template } = fixture();
    template.addResourceTemplate(
      (scope) =>
        // @ts-expect-error the required object param "source" is missing
        new PipelineRun(scope, 'run', { metadata: { generateName: 'build-' }, pipeline, params: { mode: template.params.mode } }),
    );
    expect(() => Testing.synth(chart)).toThrow(
      '[test/template/Template0/run] PipelineRun/build-* spec.params: Pipeline/build requires param "source" (no default)',
    );
  });

  test('refuses a template with no resource template at synth', () => {
    const { chart } = fixture();
    expect(() => Testing.synth(chart)).toThrow('TriggerTemplate/on-push: has no resource template');
  });

  test('renders $(tt.params.x) for any name Triggers substitutes, $(uid), and refuses a name it could not', () => {
    expect(String(triggerParamRef('git.revision'))).toBe('$(tt.params.git.revision)');
    expect(String(TRIGGER_UID)).toBe('$(uid)');
    expect(triggerParamRef('a')).toBeInstanceOf(StringExpression);
    expect(() => triggerParamRef('1st')).toThrow('trigger template param "1st" cannot be referenced as $(tt.params.1st)');
  });
});

describe('TriggerBinding', () => {
  test('supplies every template param without a default from the event, with nothing unknown (checked by the compiler)', () => {
    const { chart, template } = fixture();
    const binding = new TriggerBinding(chart, 'binding', {
      metadata: { name: 'push' },
      template,
      params: { revision: EventValue.body('after'), url: EventValue.body('repository.clone_url') },
    });
    new TriggerBinding(chart, 'missing', {
      template,
      // @ts-expect-error "url" has no default: the binding must supply it
      params: { revision: EventValue.body('after') },
    });
    new TriggerBinding(chart, 'unknown', {
      template,
      // @ts-expect-error "branch" is not a param of the template
      params: { revision: 'x', url: 'y', branch: 'main' },
    });
    expect(binding.apiObject.toJson()).toEqual({
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'TriggerBinding',
      metadata: { name: 'push' },
      spec: {
        params: [
          { name: 'revision', value: '$(body.after)' },
          { name: 'url', value: '$(body.repository.clone_url)' },
        ],
      },
    });
  });

  test("writes Triggers' event expressions and refuses what is not a path", () => {
    expect(EventValue.header('X-GitHub-Event')).toBe('$(header.X-GitHub-Event)');
    expect(EventValue.extensions('truncated_sha')).toBe('$(extensions.truncated_sha)');
    expect(() => EventValue.body('a) $(b')).toThrow('"a) $(b" is not a path into the event\'s body');
    expect(() => EventValue.body('')).toThrow('"" is not a path');
  });
});

describe('Interceptor', () => {
  test('refers to the core interceptors in the v1beta1 ref form, with their params', () => {
    expect(Interceptor.github({ secretRef: { secretName: 's', secretKey: 'token' }, eventTypes: ['push'] }).render()).toEqual({
      ref: { name: 'github', kind: 'ClusterInterceptor' },
      params: [
        { name: 'secretRef', value: { secretName: 's', secretKey: 'token' } },
        { name: 'eventTypes', value: ['push'] },
      ],
    });
    expect(Interceptor.cel({ name: 'main only', filter: "body.ref == 'refs/heads/main'" }).render()).toEqual({
      name: 'main only',
      ref: { name: 'cel', kind: 'ClusterInterceptor' },
      params: [{ name: 'filter', value: "body.ref == 'refs/heads/main'" }],
    });
    expect(Interceptor.ref('mine', { kind: 'NamespacedInterceptor' }).render()).toEqual({
      ref: { name: 'mine', kind: 'NamespacedInterceptor' },
    });
  });
});

describe('Trigger and EventListener', () => {
  test('a Trigger names its template and bindings; an EventListener its Triggers by triggerRef', () => {
    const { chart, pipeline, template } = fixture();
    template.addResourceTemplate(
      (scope) =>
        new PipelineRun(scope, 'run', {
          metadata: { generateName: 'build-' },
          pipeline,
          params: { source: { url: template.params.url, revision: template.params.revision } },
        }),
    );
    const binding = new TriggerBinding(chart, 'binding', { metadata: { name: 'push' }, template, params: { revision: 'a', url: 'b' } });
    const trigger = new Trigger(chart, 'trigger', {
      metadata: { name: 'on-push' },
      template,
      bindings: [binding],
      interceptors: [Interceptor.cel({ filter: 'true' })],
    });
    const listener = new EventListener(chart, 'listener', {
      metadata: { name: 'hooks' },
      serviceAccountName: 'hooks',
      serviceType: 'NodePort',
    });
    listener.addTrigger(trigger);
    const objects = Testing.synth(chart);
    const t = objects.find((o) => o.kind === 'Trigger');
    expect(t.spec).toEqual({
      interceptors: [{ ref: { name: 'cel', kind: 'ClusterInterceptor' }, params: [{ name: 'filter', value: 'true' }] }],
      bindings: [{ kind: 'TriggerBinding', ref: 'push' }],
      template: { ref: 'on-push' },
    });
    const el = objects.find((o) => o.kind === 'EventListener');
    expect(el.spec).toEqual({
      serviceAccountName: 'hooks',
      triggers: [{ triggerRef: 'on-push' }],
      resources: { kubernetesResource: { serviceType: 'NodePort' } },
    });
    expect(listener.serviceName).toBe('el-hooks');
    for (const o of objects.filter((x) => x.apiVersion.startsWith('triggers.')))
      expect([o.kind, triggersFieldProblems(o)]).toEqual([o.kind, []]);
  });

  test('an EventListener without a Trigger fails the synth', () => {
    const chart = Testing.chart();
    new EventListener(chart, 'listener', { metadata: { name: 'hooks' }, serviceAccountName: 'hooks' });
    expect(() => Testing.synth(chart)).toThrow('EventListener/hooks: has no trigger');
  });
});

describe("the Triggers field check (Triggers' webhook refuses unknown fields)", () => {
  test('names a field the v1beta1 types do not declare, and passes the same object without it', () => {
    const trigger = {
      apiVersion: 'triggers.tekton.dev/v1beta1',
      kind: 'Trigger',
      metadata: { name: 't' },
      spec: {
        interceptors: [{ ref: { name: 'cel' }, params: [{ name: 'filter', value: { any: ['json'] } }] }],
        bindings: [{ ref: 'b' }],
        template: { ref: 'tt' },
      },
    };
    expect(triggersFieldProblems(trigger)).toEqual([]);
    const wrong = { ...trigger, spec: { ...trigger.spec, template: { name: 'tt' } } };
    expect(triggersFieldProblems(wrong)).toEqual([
      {
        kind: 'invalid',
        path: 'spec.template.name',
        message: 'unknown field "name": triggers\' webhook refuses fields its v1beta1 types do not declare',
      },
    ]);
  });
});
