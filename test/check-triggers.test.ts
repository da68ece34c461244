import { checkDocuments, Finding } from '../src/check';

// GIVEN hand-written Triggers objects in the triggers.tekton.dev/v1beta1 wire format (Triggers v0.37.0)
const T = 'triggers.tekton.dev/v1beta1';
const PIPELINE = {
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name: 'model' },
  spec: {
    params: [{ name: 'revision' }, { name: 'url' }, { name: 'model-name', enum: ['cnn', 'mlp'], default: 'cnn' }],
    workspaces: [{ name: 'shared' }],
    tasks: [
      {
        name: 'build',
        taskSpec: { params: [{ name: 'r' }], steps: [{ name: 's', image: 'alpine', script: 'echo $(params.r)' }] },
        params: [{ name: 'r', value: '$(params.revision)' }],
      },
    ],
  },
};
const run = (spec: object = {}, metadata: object = { generateName: 'model-run-' }): object => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata,
  spec: {
    pipelineRef: { name: 'model' },
    params: [
      { name: 'revision', value: '$(tt.params.revision)' },
      { name: 'url', value: '$(tt.params.url)' },
    ],
    workspaces: [{ name: 'shared', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'] } } }],
    ...spec,
  },
});
const template = (resourcetemplates: object[] = [run()], params: object[] = [{ name: 'revision' }, { name: 'url' }]): object => ({
  apiVersion: T,
  kind: 'TriggerTemplate',
  metadata: { name: 'model-template' },
  spec: { params, resourcetemplates },
});
const binding = (
  params: object[] = [
    { name: 'revision', value: '$(body.after)' },
    { name: 'url', value: '$(body.repository.clone_url)' },
  ],
): object => ({ apiVersion: T, kind: 'TriggerBinding', metadata: { name: 'push-binding' }, spec: { params } });
const FILTER = "body.repository.full_name == 'octo-org/octo-repo' && body.ref == 'refs/heads/main' && !body.deleted";
const trigger = (extra: object = {}, filter: string = FILTER): object => ({
  apiVersion: T,
  kind: 'Trigger',
  metadata: { name: 'on-push' },
  spec: {
    interceptors: [
      {
        ref: { name: 'github', kind: 'ClusterInterceptor' },
        params: [
          { name: 'secretRef', value: { secretName: 'github-webhook', secretKey: 'secret' } },
          { name: 'eventTypes', value: ['push'] },
        ],
      },
      { ref: { name: 'cel', kind: 'ClusterInterceptor' }, params: [{ name: 'filter', value: filter }] },
    ],
    bindings: [{ ref: 'push-binding' }],
    template: { ref: 'model-template' },
    ...extra,
  },
});
const listener = (triggers: object[] = [{ triggerRef: 'on-push' }]): object => ({
  apiVersion: T,
  kind: 'EventListener',
  metadata: { name: 'listener' },
  spec: { serviceAccountName: 'el', triggers },
});
const ALL = (): object[] => [PIPELINE, template(), binding(), trigger(), listener()];

const rules = (findings: readonly Finding[]): string[] => findings.map((f) => f.rule);
const only = (findings: readonly Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule);

describe('check over Tekton Triggers objects', () => {
  test('a well-formed EventListener, Trigger, TriggerBinding and TriggerTemplate over the Pipeline: no finding', () => {
    expect(checkDocuments(ALL())).toEqual([]);
  });

  describe('trigger-binding-param-missing', () => {
    test('fires: the binding does not supply url, which has no default', () => {
      const findings = checkDocuments([PIPELINE, template(), binding([{ name: 'revision', value: '$(body.after)' }]), trigger()]);
      expect(only(findings, 'trigger-binding-param-missing')).toEqual([
        expect.objectContaining({
          severity: 'error',
          object: 'Trigger/on-push',
          message: expect.stringMatching(/^Trigger\/on-push spec\.bindings: param "url" of TriggerTemplate\/model-template has no default/),
        }),
      ]);
    });
    test('near: url has a default in the template, or is supplied inline', () => {
      const withDefault = template([run()], [{ name: 'revision' }, { name: 'url', default: 'https://example.com/r.git' }]);
      expect(rules(checkDocuments([PIPELINE, withDefault, binding([{ name: 'revision', value: '$(body.after)' }]), trigger()]))).toEqual(
        [],
      );
      const inline = trigger({ bindings: [{ ref: 'push-binding' }] });
      expect(rules(checkDocuments([PIPELINE, template(), binding(), inline]))).toEqual([]);
    });
    test('an EventListener inline trigger is judged as a Trigger', () => {
      const inline = listener([
        { name: 'push', bindings: [{ name: 'revision', value: '$(body.after)' }], template: { ref: 'model-template' } },
      ]);
      expect(only(checkDocuments([PIPELINE, template(), inline]), 'trigger-binding-param-missing').map((f) => f.message)).toEqual([
        expect.stringMatching(/^EventListener\/listener spec\.triggers\[0\]\.bindings: param "url"/),
      ]);
    });
  });

  describe('trigger-binding-param-unknown', () => {
    test('fires: a binding param the template does not declare (warning)', () => {
      const extra = binding([
        { name: 'revision', value: '$(body.after)' },
        { name: 'url', value: '$(body.repository.clone_url)' },
        { name: 'branch', value: '$(body.ref)' },
      ]);
      const findings = checkDocuments([PIPELINE, template(), extra, trigger()]);
      expect(only(findings, 'trigger-binding-param-unknown')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringContaining('param "branch" from TriggerBinding/push-binding'),
        }),
      ]);
    });
    test('near: every binding param declared', () => {
      expect(rules(checkDocuments(ALL()))).not.toContain('trigger-binding-param-unknown');
    });
  });

  describe('trigger-binding-param-duplicate and trigger-binding-value-invalid', () => {
    test('fires: a param supplied by the binding and again inline; an unterminated $(', () => {
      const twice = trigger({ bindings: [{ ref: 'push-binding' }, { name: 'url', value: 'https://x' }] });
      expect(rules(checkDocuments([PIPELINE, template(), binding(), twice]))).toContain('trigger-binding-param-duplicate');
      const bad = binding([
        { name: 'revision', value: '$(body.after-$(body.ref)' },
        { name: 'url', value: '$(body.repository.clone_url)' },
        { name: 'url', value: 'x' },
      ]);
      const findings = checkDocuments([bad]);
      expect(rules(findings).sort()).toEqual(['trigger-binding-param-duplicate', 'trigger-binding-value-invalid']);
    });
    test('near: distinct names and closed expressions, nested parentheses included', () => {
      const ok = binding([
        { name: 'revision', value: '$(body.after)' },
        { name: 'url', value: 'prefix-$(body.repository.clone_url)-$(header.X-GitHub-Event)' },
      ]);
      expect(checkDocuments([ok])).toEqual([]);
    });
  });

  describe('trigger-template-param-undeclared and trigger-template-invalid', () => {
    test('fires: $(tt.params.branch) undeclared; a resource template without apiVersion', () => {
      const undeclared = template([
        run({
          params: [
            { name: 'revision', value: '$(tt.params.revision)' },
            { name: 'url', value: '$(tt.params.branch)' },
          ],
        }),
      ]);
      expect(only(checkDocuments([PIPELINE, undeclared]), 'trigger-template-param-undeclared').map((f) => f.message)).toEqual([
        expect.stringMatching(
          /^TriggerTemplate\/model-template spec\.resourcetemplates\[0\]\.spec\.params\[1\]\.value: \$\(tt\.params\.branch\) is not declared/,
        ),
      ]);
      const noApiVersion = template([{ kind: 'PipelineRun', metadata: { generateName: 'r-' }, spec: {} }]);
      expect(rules(checkDocuments([noApiVersion]))).toEqual(['trigger-template-invalid']);
      expect(rules(checkDocuments([template([])]))).toEqual(['trigger-template-invalid']);
    });
    test('near: every $(tt.params.x) declared, $(uid) in the name', () => {
      expect(checkDocuments([PIPELINE, template([run({}, { name: 'model-run-$(uid)' })])])).toEqual([]);
    });
  });

  describe('trigger-template-params-reference', () => {
    test('fires: $(params.revision) in the PipelineRun param value, which Triggers leaves unreplaced', () => {
      const wrong = template([
        run({
          params: [
            { name: 'revision', value: '$(params.revision)' },
            { name: 'url', value: '$(tt.params.url)' },
          ],
        }),
      ]);
      const findings = only(checkDocuments([PIPELINE, wrong]), 'trigger-template-params-reference');
      expect(findings).toEqual([
        expect.objectContaining({ severity: 'warning', message: expect.stringContaining('write $(tt.params.revision)') }),
      ]);
    });
    test("near: $(params.x) inside an embedded pipelineSpec is Tekton's own (issue notes)", () => {
      const embedded = run({
        pipelineRef: undefined,
        pipelineSpec: {
          params: [{ name: 'revision' }, { name: 'url' }],
          workspaces: [{ name: 'shared' }],
          tasks: [
            {
              name: 'build',
              taskSpec: { params: [{ name: 'r' }], steps: [{ name: 's', image: 'alpine', script: 'echo $(params.r)' }] },
              params: [{ name: 'r', value: '$(params.revision)' }],
            },
          ],
        },
      });
      expect(checkDocuments([template([embedded])])).toEqual([]);
    });
  });

  describe('each resource template is judged as the PipelineRun it becomes', () => {
    test('fires: the PipelineRun lacks the required pipeline param url and the workspace', () => {
      const lacking = template(
        [run({ params: [{ name: 'revision', value: '$(tt.params.revision)' }], workspaces: [] })],
        [{ name: 'revision' }],
      );
      const findings = checkDocuments([PIPELINE, lacking]);
      expect(findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.message.split(':')[0]])).toEqual([
        ['param-missing', 'TriggerTemplate/model-template spec.resourcetemplates[0].spec.params'],
        ['workspace-missing', 'TriggerTemplate/model-template spec.resourcetemplates[0].spec.workspaces'],
      ]);
    });
    test('fires: a literal value outside the enum, and an unknown param (warning)', () => {
      const wrong = template([
        run({
          params: [
            { name: 'revision', value: '$(tt.params.revision)' },
            { name: 'url', value: '$(tt.params.url)' },
            { name: 'model-name', value: 'transformer' },
            { name: 'python-version', value: '3.12' },
          ],
        }),
      ]);
      const findings = checkDocuments([PIPELINE, wrong]);
      expect(rules(findings).sort()).toEqual(['param-undeclared', 'param-value-not-in-enum']);
    });
    test('near: $(tt.params.x) for an enum param is an unknown string, not an error', () => {
      const templated = template(
        [
          run({
            params: [
              { name: 'revision', value: '$(tt.params.revision)' },
              { name: 'url', value: '$(tt.params.url)' },
              { name: 'model-name', value: '$(tt.params.model)' },
            ],
          }),
        ],
        [{ name: 'revision' }, { name: 'url' }, { name: 'model' }],
      );
      expect(checkDocuments([PIPELINE, templated])).toEqual([]);
    });
  });

  describe('templated names and formats', () => {
    test('fires: a generateName that no param value can make valid', () => {
      const findings = checkDocuments([PIPELINE, template([run({}, { generateName: 'Model_$(tt.params.revision)-' })])]);
      expect(findings.map((f) => [f.rule, f.path.join('.')])).toEqual([
        ['metadata-name-invalid', 'spec.resourcetemplates.0.metadata.generateName'],
      ]);
    });
    test('near: $(tt.params.x) in a name, a timeout and a status is an unknown string, not a malformed one', () => {
      const templated = template(
        [
          run(
            { timeouts: { pipeline: '$(tt.params.timeout)' }, status: '$(tt.params.status)' },
            { name: 'model-$(tt.params.revision)-$(uid)' },
          ),
        ],
        [{ name: 'revision' }, { name: 'url' }, { name: 'timeout' }, { name: 'status' }],
      );
      expect(checkDocuments([PIPELINE, templated])).toEqual([]);
    });
    test("fires: a step's onError that is neither continue nor stopAndFail, in an embedded taskSpec", () => {
      const step = (onError: string): object =>
        template([
          run({
            pipelineRef: undefined,
            params: [],
            workspaces: [],
            taskSpec: undefined,
            pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'true', onError }] } }] },
          }),
        ]);
      expect(rules(checkDocuments([step('carryOn')]))).toEqual(['step-on-error-invalid']);
      // near: a templated onError is what the event gives, not a malformed one
      expect(rules(checkDocuments([step('$(tt.params.revision)')]))).toEqual([]);
    });
    test('near: a templated pipeline timeout is no limit to judge tasks and finally against (not the default 1h)', () => {
      const templated = template(
        [run({ timeouts: { pipeline: '$(tt.params.timeout)', tasks: '2h', finally: '30m' } })],
        [{ name: 'revision' }, { name: 'url' }, { name: 'timeout' }],
      );
      expect(checkDocuments([PIPELINE, templated])).toEqual([]);
    });
    test('fires: the same tasks timeout beside a literal pipeline timeout it exceeds', () => {
      const literal = template([run({ timeouts: { pipeline: '1h', tasks: '2h' } })]);
      expect(checkDocuments([PIPELINE, literal]).map((f) => [f.rule, f.path.join('.')])).toEqual([
        ['timeout-invalid', 'spec.resourcetemplates.0.spec.timeouts.tasks'],
      ]);
    });
  });

  describe('trigger-interceptor-invalid', () => {
    const withInterceptors = (interceptors: object[]): object => trigger({ interceptors });
    test.each([
      ['no ref and no webhook', [{ params: [] }], /names neither ref.name nor a webhook/],
      ['eventTypes not a list', [{ ref: { name: 'github' }, params: [{ name: 'eventTypes', value: 'push' }] }], /eventTypes is not a list/],
      [
        'secretRef without secretKey',
        [{ ref: { name: 'github' }, params: [{ name: 'secretRef', value: { secretName: 's' } }] }],
        /lacks secretKey/,
      ],
      ['a filter that is not a string', [{ ref: { name: 'cel' }, params: [{ name: 'filter', value: true }] }], /filter is not a string/],
      [
        'an overlay without a key',
        [{ ref: { name: 'cel' }, params: [{ name: 'overlays', value: [{ expression: '1' }] }] }],
        /lacks a string key/,
      ],
    ])('fires: %s', (_name, interceptors, message) => {
      const findings = only(checkDocuments([...ALL().slice(0, 3), withInterceptors(interceptors)]), 'trigger-interceptor-invalid');
      expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(message)]);
    });
    test('the v1alpha1 github:/cel: forms: accepted in a v1alpha1 Trigger (Triggers converts them), refused in v1beta1', () => {
      const legacy = [{ github: { secretRef: { secretName: 's', secretKey: 'k' }, eventTypes: ['push'] } }];
      const alpha = { ...(withInterceptors(legacy) as object), apiVersion: 'triggers.tekton.dev/v1alpha1' };
      expect(only(checkDocuments([...ALL().slice(0, 3), alpha]), 'trigger-interceptor-invalid')).toEqual([]);
      expect(only(checkDocuments([...ALL().slice(0, 3), withInterceptors(legacy)]), 'trigger-interceptor-invalid')).toHaveLength(1);
    });
    test('near: the documented shapes, a webhook interceptor, an interceptor of our own', () => {
      const fine = withInterceptors([
        (trigger() as { spec: { interceptors: object[] } }).spec.interceptors[0],
        { ref: { name: 'cel' }, params: [{ name: 'overlays', value: [{ key: 'short', expression: 'body.after.truncate(7)' }] }] },
        { webhook: { objectRef: { kind: 'Service', name: 'svc', apiVersion: 'v1' } } },
        { ref: { name: 'my-interceptor', kind: 'Interceptor' }, params: [{ name: 'anything', value: 1 }] },
      ]);
      expect(checkDocuments([...ALL().slice(0, 3), fine])).toEqual([]);
    });
  });

  describe('trigger-cel-invalid', () => {
    test('fires: a filter that does not compile in the interceptor environment, with its message', () => {
      const findings = checkDocuments([...ALL().slice(0, 3), trigger({}, "body.ref == 'refs/heads/main' &&")]);
      expect(only(findings, 'trigger-cel-invalid')).toEqual([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(
            /^Trigger\/on-push spec\.interceptors\[1\]\.params\[0\]\.value: the cel filter .* does not compile: /,
          ),
        }),
      ]);
      expect(rules(checkDocuments([...ALL().slice(0, 3), trigger({}, "bodyy.ref == 'x'")]))).toContain('trigger-cel-invalid');
      expect(rules(checkDocuments([...ALL().slice(0, 3), trigger({}, "body.ref > 1 && 'a' > 1")]))).toContain('trigger-cel-invalid');
    });
    test('a cel-go extension the library lacks is a note, not an error', () => {
      const findings = only(checkDocuments([...ALL().slice(0, 3), trigger({}, "sets.contains(['a'], ['a'])")]), 'trigger-cel-invalid');
      expect(findings.map((f) => f.severity)).toEqual(['note']);
    });
    test("near: Triggers' own functions and header access compile", () => {
      const filter = "header.match('X-GitHub-Event', 'push') && body.ref.split('/')[2] == 'main' && body.after.truncate(7) != ''";
      expect(checkDocuments([...ALL().slice(0, 3), trigger({}, filter)])).toEqual([]);
    });
  });

  describe("an EventListener's trigger groups and selectors (event_listener_validation.go, sink.go selectTriggers)", () => {
    const CEL = { ref: { name: 'cel', kind: 'ClusterInterceptor' }, params: [{ name: 'filter', value: FILTER }] };
    const group = (extra: object = {}): object => ({
      name: 'push',
      interceptors: [CEL],
      triggerSelector: { labelSelector: { matchLabels: { 'triggers.example.com/group': 'push' } } },
      ...extra,
    });
    const el = (spec: object): object => ({ apiVersion: T, kind: 'EventListener', metadata: { name: 'listener' }, spec });
    const messages = (findings: readonly Finding[], rule: string): string[] =>
      only(findings, rule).map((f) => `${f.severity} ${f.message}`);

    test('event-listener-triggers-missing fires: no triggers, groups or selectors (an empty matchNames selects none)', () => {
      for (const spec of [{ serviceAccountName: 'el' }, { serviceAccountName: 'el', triggers: [], namespaceSelector: { matchNames: [] } }])
        expect(messages(checkDocuments([el(spec)]), 'event-listener-triggers-missing')).toEqual([
          expect.stringMatching(/^error EventListener\/listener spec: the EventListener names no triggers, triggerGroups, labelSelector/),
        ]);
      expect(rules(checkDocuments([{ apiVersion: T, kind: 'EventListener', metadata: { name: 'bare' } }]))).toEqual([
        'event-listener-triggers-missing',
      ]);
    });
    test('near: a labelSelector ({} selects every Trigger of the namespace), a matchNames or a trigger group is enough', () => {
      for (const spec of [{ labelSelector: {} }, { namespaceSelector: { matchNames: ['*'] } }, { triggerGroups: [group()] }])
        expect(checkDocuments([el(spec)])).toEqual([]);
    });

    test('event-listener-name-invalid fires: a name of 61 characters (Triggers makes the Service el-NAME)', () => {
      const long = { ...(el({ labelSelector: {} }) as object), metadata: { name: 'l'.repeat(61) } };
      expect(messages(checkDocuments([long]), 'event-listener-name-invalid')).toEqual([
        expect.stringMatching(
          /^error EventListener\/l{61} metadata\.name: name "l{61}" is 61 characters long; Triggers allows an EventListener at most 60/,
        ),
      ]);
    });
    test('near: a name of 60 characters', () => {
      expect(checkDocuments([{ ...(el({ labelSelector: {} }) as object), metadata: { name: 'l'.repeat(60) } }])).toEqual([]);
    });

    test('event-listener-trigger-invalid fires: neither template nor triggerRef; a triggerRef beside bindings; a name that is no label value', () => {
      const findings = checkDocuments([
        ...ALL().slice(0, 4),
        el({
          triggers: [
            { name: 'nothing', bindings: [{ ref: 'push-binding' }] },
            { triggerRef: 'on-push', bindings: [{ ref: 'push-binding' }], interceptors: [] },
            { name: 'on push', triggerRef: 'on-push' },
          ],
        }),
      ]);
      expect(messages(findings, 'event-listener-trigger-invalid')).toEqual([
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggers\[0\]: the trigger has neither a template nor a triggerRef, so Triggers refuses/,
        ),
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggers\[1\]\.bindings: the trigger has a triggerRef and bindings, interceptors/,
        ),
        expect.stringMatching(/^error EventListener\/listener spec\.triggers\[2\]\.name: trigger name "on push" is not a label value/),
      ]);
    });
    test('near: a triggerRef alone, an inline trigger with a template, names that are label values (or none)', () => {
      const inline = { name: 'push.v1_a', bindings: [{ ref: 'push-binding' }], template: { ref: 'model-template' } };
      expect(
        checkDocuments([...ALL().slice(0, 4), el({ triggers: [{ triggerRef: 'on-push' }, { name: 'p', triggerRef: 'on-push' }, inline] })]),
      ).toEqual([]);
    });

    test('trigger-group-invalid fires: no interceptors; a triggerSelector with neither selector', () => {
      const findings = checkDocuments([
        el({
          triggerGroups: [group({ interceptors: [] }), group({ name: 'b', triggerSelector: { namespaceSelector: { matchNames: [] } } })],
        }),
      ]);
      expect(messages(findings, 'trigger-group-invalid')).toEqual([
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggerGroups\[0\]\.interceptors: the trigger group has no interceptors, so Triggers refuses/,
        ),
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggerGroups\[1\]\.triggerSelector: the trigger group has no triggerSelector\.labelSelector/,
        ),
      ]);
    });
    test('near: a namespaceSelector alone selects; the group name is not required to be unique (Triggers does not check it)', () => {
      const byNamespace = group({ triggerSelector: { namespaceSelector: { matchNames: ['ci'] } } });
      expect(checkDocuments([el({ triggerGroups: [group(), byNamespace] })])).toEqual([]);
    });

    test("a group's interceptors are judged as a trigger's: no ref nor webhook fails every event; the cel filter compiles", () => {
      const findings = checkDocuments([
        el({
          triggerGroups: [
            group({ interceptors: [{ params: [] }, { ref: { name: 'cel' }, params: [{ name: 'filter', value: 'body.x ==' }] }] }),
          ],
        }),
      ]);
      expect(messages(findings, 'trigger-interceptor-invalid')).toEqual([
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggerGroups\[0\]\.interceptors\[0\]: .*the trigger group fails every event/,
        ),
      ]);
      expect(messages(findings, 'trigger-cel-invalid')).toEqual([
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggerGroups\[0\]\.interceptors\[1\]\.params\[0\]\.value: the cel filter/,
        ),
      ]);
    });

    test.each([
      [
        'In without values',
        { matchExpressions: [{ key: 'group', operator: 'In', values: [] }] },
        /matchExpressions\[0\]\.values: operator In needs at least one value/,
      ],
      [
        'Exists with values',
        { matchExpressions: [{ key: 'group', operator: 'Exists', values: ['push'] }] },
        /matchExpressions\[0\]\.values: operator Exists takes no values/,
      ],
      [
        'an unknown operator',
        { matchExpressions: [{ key: 'group', operator: 'Equals', values: ['push'] }] },
        /matchExpressions\[0\]\.operator: operator "Equals" is not In, NotIn/,
      ],
      ['a key that is not a qualified name', { matchLabels: { 'a/b/c': 'push' } }, /label key "a\/b\/c" is not a qualified name/],
      ['a value that is not a label value', { matchLabels: { group: 'push events' } }, /label value "push events" is not a label value/],
    ])("label-selector-invalid fires: %s (spec.labelSelector and a group's)", (_name, selector, message) => {
      const top = messages(checkDocuments([el({ labelSelector: selector })]), 'label-selector-invalid');
      expect(top).toEqual([expect.stringMatching(/^error EventListener\/listener spec\.labelSelector\./)]);
      expect(top[0]).toMatch(message);
      expect(top[0]).toMatch(/the EventListener answers every event with an error/);
      const inGroup = messages(
        checkDocuments([el({ triggerGroups: [group({ triggerSelector: { labelSelector: selector } })] })]),
        'label-selector-invalid',
      );
      expect(inGroup).toEqual([
        expect.stringMatching(
          /^error EventListener\/listener spec\.triggerGroups\[0\]\.triggerSelector\.labelSelector\..*the trigger group processes no Trigger/,
        ),
      ]);
    });
    test('near: the four operators as metav1 takes them, a prefixed key, an empty value', () => {
      const selector = {
        matchLabels: { 'triggers.example.com/group': 'push', tier: '' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: ['x', 'y'] },
          { key: 'b', operator: 'NotIn', values: ['z'] },
          { key: 'c', operator: 'Exists' },
          { key: 'd', operator: 'DoesNotExist', values: [] },
        ],
      };
      expect(
        checkDocuments([el({ labelSelector: selector, triggerGroups: [group({ triggerSelector: { labelSelector: selector } })] })]),
      ).toEqual([]);
    });

    test('namespace-selector-invalid fires (a warning): a name that is not a DNS-1123 label; "*" beside other names', () => {
      const findings = checkDocuments([
        el({
          namespaceSelector: { matchNames: ['ci', 'Team_A'] },
          triggerGroups: [group({ triggerSelector: { namespaceSelector: { matchNames: ['ci', '*'] } } })],
        }),
      ]);
      expect(messages(findings, 'namespace-selector-invalid')).toEqual([
        'warning EventListener/listener spec.namespaceSelector.matchNames[1]: matchNames entry "Team_A" is not a namespace name (a DNS-1123 label), so it selects no Trigger',
        expect.stringMatching(
          /^warning EventListener\/listener spec\.triggerGroups\[0\]\.triggerSelector\.namespaceSelector\.matchNames\[1\]: matchNames entry "\*" selects every namespace only as the one entry/,
        ),
      ]);
    });
    test('near: namespace names, and "*" alone', () => {
      expect(checkDocuments([el({ namespaceSelector: { matchNames: ['ci', 'team-a'] } })])).toEqual([]);
      expect(checkDocuments([el({ namespaceSelector: { matchNames: ['*'] } })])).toEqual([]);
    });
  });

  test('references not among the documents are notes', () => {
    const findings = checkDocuments([trigger(), listener([{ triggerRef: 'elsewhere' }])]);
    expect(findings.map((f) => [f.severity, f.rule])).toEqual([
      ['note', 'ref-not-found'],
      ['note', 'ref-not-found'],
      ['note', 'ref-not-found'],
    ]);
  });
});

describe("cel in when is compiled as Tekton's admission compiles it (when_validation.go)", () => {
  const task = (when: object[]): object => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: 't' },
    spec: { params: [{ name: 'x' }], steps: [{ name: 's', image: 'alpine', script: 'echo', when }] },
  });
  const pipeline = (when: object[]): object => ({
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: { name: 'p' },
    spec: { params: [{ name: 'x' }], tasks: [{ name: 'a', when, taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo' }] } }] },
  });
  const flags = { featureFlags: { 'enable-api-fields': 'alpha', 'enable-cel-in-whenexpression': 'true' } };
  test.each([
    ["$(params.x) == 'a'", /does not compile/],
    ["params.x == 'a'", /does not compile/],
    ["'$(params.x)' > 1", /does not compile/],
  ])('fires on a step and on a pipeline task: %s', (cel, message) => {
    for (const doc of [task([{ cel }]), pipeline([{ cel }])]) {
      const findings = checkDocuments([doc], flags).filter((f) => f.rule === 'when-expression-invalid');
      expect(findings).toHaveLength(1);
      expect(findings[0].message).toMatch(message);
      expect(findings[0].path.slice(-1)).toEqual(['cel']);
    }
  });
  test('near: the quoted form Tekton documents', () => {
    for (const doc of [task([{ cel: "'$(params.x)' == 'a'" }]), pipeline([{ cel: "'$(params.x)' in ['a', 'b']" }])])
      expect(checkDocuments([doc], flags)).toEqual([]);
  });
});

describe('variables Triggers substitutes in an embedded pipelineSpec of a resource template', () => {
  const embedded = (value: string): object =>
    run({
      pipelineRef: undefined,
      params: [],
      pipelineSpec: {
        tasks: [
          {
            name: 'a',
            params: [{ name: 'p', value }],
            taskSpec: { params: [{ name: 'p' }], steps: [{ name: 's', image: 'alpine', script: 'echo $(params.p)' }] },
          },
        ],
      },
      workspaces: [],
    });
  const prefixFindings = (documents: object[]): string[] =>
    checkDocuments(documents)
      .filter((f: Finding) => f.rule === 'variable-prefix-unknown')
      .map((f: Finding) => f.message);

  test("$(uid) and $(tt.params.x) there are Triggers' own, not unknown Tekton variables", () => {
    expect(prefixFindings([template([embedded('bucket-$(uid)')]), template([embedded('$(tt.params.revision)')])])).toEqual([]);
  });

  test('near case: the same $(uid) in a Pipeline of its own is refused', () => {
    const pipeline = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'p' },
      spec: (embedded('$(uid)') as any).spec.pipelineSpec,
    };
    expect(prefixFindings([pipeline])).toEqual([expect.stringContaining('$(uid) is not a Tekton variable')]);
  });
});

describe('a taskRef name Triggers fills in', () => {
  const withRef = (name: string): object =>
    run({
      pipelineRef: undefined,
      params: [],
      workspaces: [],
      pipelineSpec: { tasks: [{ name: 'a', taskRef: { name } }] },
    });
  const refInvalid = (documents: object[]): number => checkDocuments(documents).filter((f: Finding) => f.rule === 'ref-invalid').length;

  test('create-$(tt.params.arch) in a resource template is not judged as a name (Triggers fills it in)', () => {
    expect(refInvalid([template([withRef('create-$(tt.params.revision)')])])).toBe(0);
  });

  test('near case: the same name in a Pipeline of its own is not a qualified name', () => {
    const pipeline = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'p' },
      spec: (withRef('create-$(tt.params.revision)') as any).spec.pipelineSpec,
    };
    expect(refInvalid([pipeline])).toBe(1);
  });
});

describe("a Trigger's inline template is filled in by Triggers as a TriggerTemplate is", () => {
  const inline = (value: string, taskName: string): object => ({
    apiVersion: T,
    kind: 'Trigger',
    metadata: { name: 'inline' },
    spec: {
      bindings: [{ name: 'revision', value: '$(body.after)' }],
      template: {
        spec: {
          params: [{ name: 'revision' }],
          resourcetemplates: [
            run({
              pipelineRef: undefined,
              params: [],
              workspaces: [],
              pipelineSpec: { tasks: [{ name: 'a', taskRef: { name: taskName }, params: [{ name: 'p', value }] }] },
            }),
          ],
        },
      },
    },
  });
  const errors = (documents: object[]): string[] =>
    checkDocuments(documents)
      .filter((f: Finding) => f.severity === 'error')
      .map((f: Finding) => f.message);

  test('$(tt.params.x) and $(uid) in its embedded pipelineSpec and taskRef name are not Tekton errors', () => {
    expect(errors([inline('$(tt.params.revision)-$(uid)', 'create-$(tt.params.revision)')])).toEqual([]);
  });

  test('near case: $(tt.revision), which Triggers does not fill in, reaches Tekton as an unknown variable', () => {
    expect(errors([inline('$(tt.revision)', 'create')])).toEqual([expect.stringContaining('$(tt.revision) is not a Tekton variable')]);
  });
});
