import { App, Chart, Testing } from 'cdk8s';
import { checkDocuments } from '../src/check';
import { SlsaForModels } from '../src/models/slsa-for-models';
import { SlsaForModelsPacRun, SlsaForModelsPacRunProps } from '../src/models/slsa-for-models-pac-run';
import { SlsaForModelsTrigger, SlsaForModelsTriggerProps } from '../src/models/slsa-for-models-trigger';
import { triggersFieldProblems } from './support/crd-schema';

/** The model bundle in one chart (with its feature flags) and what is under test in another chart of the same app. */
function setup() {
  const app = new App();
  const chart = new Chart(app, 'models', { disableResourceNameHashes: true });
  const models = new SlsaForModels(chart, 'Models');
  const under = new Chart(app, 'under-test', { disableResourceNameHashes: true });
  return { chart, models, under };
}

function synthTrigger(props: Partial<SlsaForModelsTriggerProps> = {}) {
  const { models, under } = setup();
  const trigger = new SlsaForModelsTrigger(under, 'Trigger', {
    pipeline: models.pipeline,
    runServiceAccountName: models.serviceAccount.name,
    repository: 'octo-org/tiny-models',
    ...props,
  });
  return { trigger, objects: Testing.synth(under), models };
}

const byKind = (objects: any[], kind: string) => objects.filter((o) => o.kind === kind);

describe('SlsaForModelsTrigger', () => {
  test('GitHub push for one repository and branch: signature and event type checked, then a CEL filter that refuses other repositories, other branches and deletions', () => {
    const { objects, trigger } = synthTrigger({ branch: 'release/v2' });
    const [t] = byKind(objects, 'Trigger');
    expect(t.spec.interceptors).toEqual([
      {
        ref: { name: 'github', kind: 'ClusterInterceptor' },
        params: [
          { name: 'secretRef', value: { secretName: 'github-webhook-secret', secretKey: 'token' } },
          { name: 'eventTypes', value: ['push'] },
        ],
      },
      {
        name: 'only octo-org/tiny-models release/v2, not a deletion',
        ref: { name: 'cel', kind: 'ClusterInterceptor' },
        params: [
          {
            name: 'filter',
            value: "body.repository.full_name == 'octo-org/tiny-models' && body.ref == 'refs/heads/release/v2' && !body.deleted",
          },
        ],
      },
    ]);
    expect(trigger.filter).toBe(t.spec.interceptors[1].params[0].value);
    expect(t.spec.bindings).toEqual([{ kind: 'TriggerBinding', ref: 'slsa-for-models-push' }]);
    expect(t.spec.template).toEqual({ ref: 'slsa-for-models-push' });
    const [binding] = byKind(objects, 'TriggerBinding');
    expect(binding.spec.params).toEqual([
      { name: 'revision', value: '$(body.after)' },
      { name: 'url', value: '$(body.repository.clone_url)' },
    ]);
    for (const o of objects.filter((x) => x.apiVersion.startsWith('triggers.')))
      expect([o.kind, triggersFieldProblems(o)]).toEqual([o.kind, []]);
  });

  test('the template creates the hardened model run (generateName) for the pushed commit, and the run Triggers makes passes check', () => {
    const { objects, models } = synthTrigger();
    const [tt] = byKind(objects, 'TriggerTemplate');
    expect(tt.spec.params.map((p: any) => p.name)).toEqual(['revision', 'url']);
    const [run] = tt.spec.resourcetemplates;
    expect(run.metadata).toEqual({ generateName: 'slsa-for-models-push-' });
    expect(run.spec.params.find((p: any) => p.name === 'model-source').value).toEqual({
      url: '$(tt.params.url)',
      revision: '$(tt.params.revision)',
      'requirements-path': 'workloads/tiny-cnn/requirements.txt',
      'main-path': 'workloads/tiny-cnn/train.py',
    });
    expect(run.spec.taskRunTemplate.serviceAccountName).toBe('slsa-for-models');
    expect(run.spec.taskRunTemplate.podTemplate.securityContext.runAsNonRoot).toBe(true);
    // what Triggers creates for a push of commit 9a1f...: the params substituted, judged with the Pipeline and its Tasks
    const created = JSON.parse(
      JSON.stringify(run)
        .replace('$(tt.params.url)', 'https://github.com/octo-org/tiny-models.git')
        .replace('$(tt.params.revision)', '9a1f1b2c3d4e5f60718293a4b5c6d7e8f9012345'),
    );
    const flags = { 'enable-param-enum': 'true', 'enable-api-fields': 'beta' };
    expect(checkDocuments([created, ...models.pipeline.documentsForCheck()], { featureFlags: flags })).toEqual([]);
  });

  test('gives the EventListener its own ServiceAccount: the documented RoleBinding, and cluster-wide only a read of two Triggers kinds', () => {
    const { objects } = synthTrigger({ namespace: 'ml' });
    const [el] = byKind(objects, 'EventListener');
    expect(el.spec).toEqual({ serviceAccountName: 'slsa-for-models-triggers', triggers: [{ triggerRef: 'slsa-for-models-push' }] });
    expect(byKind(objects, 'ServiceAccount').map((o) => o.metadata.name)).toEqual(['slsa-for-models-triggers']);
    const [rb] = byKind(objects, 'RoleBinding');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tekton-triggers-eventlistener-roles' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'slsa-for-models-triggers' }]);
    const [role] = byKind(objects, 'ClusterRole');
    expect(role.rules).toEqual([
      { apiGroups: ['triggers.tekton.dev'], resources: ['clusterinterceptors', 'clustertriggerbindings'], verbs: ['get', 'list', 'watch'] },
    ]);
    // no Secret read anywhere, unlike tekton-triggers-eventlistener-clusterroles
    expect(JSON.stringify(objects.filter((o) => o.kind.includes('Role')))).not.toContain('secrets');
    const [crb] = byKind(objects, 'ClusterRoleBinding');
    expect(crb.roleRef.name).toBe(role.metadata.name);
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'slsa-for-models-triggers', namespace: 'ml' }]);
  });

  test('exposes the EventListener through a GKE Ingress with a managed certificate only when a host is given', () => {
    expect(byKind(synthTrigger().objects, 'Ingress')).toEqual([]);
    const { objects } = synthTrigger({ host: 'hooks.example.com' });
    const [cert] = byKind(objects, 'ManagedCertificate');
    expect(cert).toMatchObject({ apiVersion: 'networking.gke.io/v1', spec: { domains: ['hooks.example.com'] } });
    const [ingress] = byKind(objects, 'Ingress');
    expect(ingress.metadata.annotations).toEqual({
      'kubernetes.io/ingress.class': 'gce',
      'networking.gke.io/managed-certificates': cert.metadata.name,
      'kubernetes.io/ingress.allow-http': 'false',
    });
    expect(ingress.spec.rules).toEqual([
      {
        host: 'hooks.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'el-slsa-for-models', port: { number: 8080 } } } }] },
      },
    ]);
  });

  test('refuses a repository, branch or host it cannot match or certify, one line each', () => {
    expect(() => synthTrigger({ repository: "octo-org/x' || true || '" })).toThrow(
      `trigger repository "octo-org/x' || true || '" is not a github owner/name`,
    );
    expect(() => synthTrigger({ repository: 'tiny-models' })).toThrow('is not a github owner/name');
    expect(() => synthTrigger({ branch: "main' || true || '" })).toThrow(`trigger branch "main' || true || '" is not a branch name`);
    expect(() => synthTrigger({ branch: 'feature//x' })).toThrow('is not a branch name');
    expect(() => synthTrigger({ host: '*.example.com' })).toThrow('host "*.example.com" is not a lowercase DNS name');
    expect(() => synthTrigger({ host: 'localhost' })).toThrow('host "localhost" is not a lowercase DNS name');
    // near cases that pass
    expect(() =>
      synthTrigger({ repository: 'octo-org/tiny.models_2', branch: 'release/v1.2', host: 'ci.hooks.example.com' }),
    ).not.toThrow();
  });
});

describe('SlsaForModelsPacRun', () => {
  function synthPac(props: Partial<SlsaForModelsPacRunProps> = {}) {
    const { models, under } = setup();
    new SlsaForModelsPacRun(under, 'Pac', { pipeline: models.pipeline, serviceAccountName: models.serviceAccount.name, ...props });
    return { objects: Testing.synth(under), models };
  }

  test("runs on a push to the branch with PaC's {{ revision }} and {{ repo_url }}, the installed Pipeline through the cluster resolver", () => {
    const { objects, models } = synthPac();
    expect(objects).toHaveLength(1);
    const [run] = objects;
    expect(run.metadata).toEqual({
      generateName: 'slsa-for-models-push-',
      annotations: { 'pipelinesascode.tekton.dev/on-event': '[push]', 'pipelinesascode.tekton.dev/on-target-branch': '[main]' },
    });
    // PaC leaves a resolver reference alone: Tekton reads the Pipeline kubectl apply -f dist installed, in PaC's namespace
    expect(run.spec.pipelineRef).toEqual({
      resolver: 'cluster',
      params: [
        { name: 'kind', value: 'pipeline' },
        { name: 'name', value: 'slsa-for-models' },
        { name: 'namespace', value: '{{ target_namespace }}' },
      ],
    });
    expect(run.spec.params.find((p: any) => p.name === 'model-source').value).toMatchObject({
      url: '{{ repo_url }}',
      revision: '{{ revision }}',
    });
    const flags = { 'enable-param-enum': 'true', 'enable-api-fields': 'beta' };
    // judged beside the Pipeline, check does not take the file for what the cluster holds: one note, no error
    expect(
      checkDocuments([run, ...models.pipeline.documentsForCheck()], { featureFlags: flags }).map((f) => `${f.severity} ${f.rule}`),
    ).toEqual(['note remote-reference']);
  });

  test("with pipelineFrom 'repository': the Pipeline by name, for PaC to inline from .tekton/", () => {
    const { objects, models } = synthPac({ pipelineFrom: 'repository' });
    const [run] = objects;
    expect(run.spec.pipelineRef).toEqual({ name: 'slsa-for-models' });
    const flags = { 'enable-param-enum': 'true', 'enable-api-fields': 'beta' };
    expect(checkDocuments([run, ...models.pipeline.documentsForCheck()], { featureFlags: flags })).toEqual([]);
  });

  test('adds on-path-change only where paths are given, and refuses a value PaC would split', () => {
    const { objects } = synthPac({ branch: 'release', paths: ['workloads/tiny-cnn/**', 'requirements.txt'] });
    expect(objects[0].metadata.annotations).toEqual({
      'pipelinesascode.tekton.dev/on-event': '[push]',
      'pipelinesascode.tekton.dev/on-target-branch': '[release]',
      'pipelinesascode.tekton.dev/on-path-change': '[workloads/tiny-cnn/**, requirements.txt]',
    });
    expect(() => synthPac({ paths: ['a,b'] })).toThrow('pipelines-as-code value "a,b" cannot stand in an annotation list');
    expect(() => synthPac({ branch: '[main]' })).toThrow('pipelines-as-code value "[main]" cannot stand');
  });
});
