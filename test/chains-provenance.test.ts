import * as fs from 'fs';
import * as path from 'path';
import { buildPipelineRunProvenance, RunObject, SLSA_TEKTON_BUILD_TYPE } from '../src/chains/chains-provenance';

const SHA = '827521c857fdcd4374f4da5442fbae2edb01e7fbae285c3ec15673d4c1daecb7';
const COMMIT = 'd56521f123fa0ad14127f40ed831334cd47a80e8';

/** A finished PipelineRun shaped like the one rehearse writes. */
function pipelineRun(results: { name: string; value: unknown }[], extra: Partial<RunObject> = {}): RunObject {
  return {
    metadata: { name: 'slsa-for-models-abcde', uid: '9f1e4c1a-0000-4000-8000-000000000001', labels: { app: 'x' } },
    spec: {
      pipelineRef: { name: 'slsa-for-models' },
      params: [{ name: 'model-name', value: 'pytorch_model.pth' }],
      timeouts: { pipeline: '1h0m0s' },
    },
    status: {
      startTime: '2026-11-26T01:00:00Z',
      completionTime: '2026-11-26T01:05:00Z',
      results,
      pipelineSpec: { tasks: [{ name: 'source' }, { name: 'upload' }], params: [{ name: 'model-name', type: 'string' }] },
      provenance: { featureFlags: { enableAPIFields: 'beta', enableParamEnum: true, maxResultSize: 4096 } },
    },
    ...extra,
  };
}

const taskRun = (task: string, image: string): RunObject => ({
  metadata: { name: `run-${task}`, labels: { 'tekton.dev/pipelineTask': task } },
  status: { completionTime: '2026-11-26T01:04:00Z', steps: [{ name: 'step', imageID: image }] },
});

const model = {
  name: 'model-ARTIFACT_OUTPUTS',
  value: { uri: 'https://us-generic.pkg.dev/p/r/m', digest: `sha256:${SHA}`, isBuildArtifact: 'true' },
};
const source = { name: 'source-ARTIFACT_INPUTS', value: { uri: 'git+https://github.com/org/repo.git', digest: `sha1:${COMMIT}` } };

describe('buildPipelineRunProvenance', () => {
  test('v2alpha4: statement v1, SLSA v1 predicate, subject from the build artifact, source as inputs/result', () => {
    const statement = buildPipelineRunProvenance(pipelineRun([model, source]), [taskRun('source', `docker.io/alpine/git@sha256:${SHA}`)], {
      format: 'slsa/v2alpha4',
    });
    expect(Object.keys(statement)).toEqual(['_type', 'subject', 'predicateType', 'predicate']);
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(statement.subject).toEqual([{ name: 'https://us-generic.pkg.dev/p/r/m', digest: { sha256: SHA } }]);
    const predicate = statement.predicate as any;
    expect(Object.keys(predicate)).toEqual(['buildDefinition', 'runDetails']);
    expect(predicate.buildDefinition.buildType).toBe('https://tekton.dev/chains/v2/slsa');
    expect(predicate.buildDefinition.externalParameters.runSpec.pipelineRef).toEqual({ name: 'slsa-for-models' });
    expect(predicate.buildDefinition.internalParameters).toEqual({
      'tekton-pipelines-feature-flags': { enableAPIFields: 'beta', enableParamEnum: true, maxResultSize: 4096 },
    });
    expect(predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'oci://docker.io/alpine/git', digest: { sha256: SHA } },
      { name: 'inputs/result', uri: 'git+https://github.com/org/repo.git', digest: { sha1: COMMIT } },
    ]);
    expect(predicate.runDetails.builder).toEqual({ id: 'https://tekton.dev/chains/v2' });
    expect(predicate.runDetails.metadata).toEqual({
      invocationId: '9f1e4c1a-0000-4000-8000-000000000001',
      startedOn: '2026-11-26T01:00:00Z',
      finishedOn: '2026-11-26T01:05:00Z',
    });
    // the build artifact is not a byproduct; the input is
    expect(predicate.runDetails.byproducts.map((b: any) => b.name)).toEqual([
      'pipelineRunResults/slsa-for-models-abcde/source-ARTIFACT_INPUTS',
    ]);
    expect(Buffer.from(predicate.runDetails.byproducts[0].content, 'base64').toString()).toBe(
      `{"digest":"sha1:${COMMIT}","uri":"git+https://github.com/org/repo.git"}`,
    );
  });
  test('v2alpha4 without isBuildArtifact: no subject, the output is a byproduct', () => {
    const plain = { name: 'model-ARTIFACT_OUTPUTS', value: { uri: 'u', digest: `sha256:${SHA}` } };
    const statement = buildPipelineRunProvenance(pipelineRun([plain]), [], { format: 'slsa/v2alpha4' });
    // protojson leaves an empty subject list out
    expect(statement).not.toHaveProperty('subject');
    expect((statement.predicate as any).runDetails.byproducts[0].name).toBe(
      'pipelineRunResults/slsa-for-models-abcde/model-ARTIFACT_OUTPUTS',
    );
  });
  test('v2alpha3: the same output is a subject and every result is a byproduct named without the run', () => {
    const plain = { name: 'model-ARTIFACT_OUTPUTS', value: { uri: 'u', digest: `sha256:${SHA}` } };
    const statement = buildPipelineRunProvenance(pipelineRun([plain]), [], { format: 'slsa/v2alpha3' });
    expect(statement.subject).toEqual([{ name: 'u', digest: { sha256: SHA } }]);
    expect((statement.predicate as any).runDetails.byproducts.map((b: any) => b.name)).toEqual([
      'pipelineRunResults/model-ARTIFACT_OUTPUTS',
    ]);
  });
  test('builder id and the slsa-tekton build type come from the config', () => {
    const statement = buildPipelineRunProvenance(pipelineRun([model]), [taskRun('source', `gcr.io/x/y@sha256:${SHA}`)], {
      format: 'slsa/v2alpha4',
      builderId: 'https://example.com/builder',
      buildType: SLSA_TEKTON_BUILD_TYPE,
    });
    const predicate = statement.predicate as any;
    expect(predicate.runDetails.builder.id).toBe('https://example.com/builder');
    expect(predicate.buildDefinition.buildType).toBe(SLSA_TEKTON_BUILD_TYPE);
    expect(predicate.buildDefinition.internalParameters.labels).toEqual({ app: 'x' });
    const task = predicate.buildDefinition.resolvedDependencies[0];
    expect(task.name).toBe('pipelineTask');
    expect(JSON.parse(Buffer.from(task.content, 'base64').toString()).metadata.name).toBe('run-source');
  });
  test('a TaskRun that did not complete is left out', () => {
    const unfinished = {
      ...taskRun('source', `gcr.io/x/y@sha256:${SHA}`),
      status: { steps: [{ name: 's', imageID: `gcr.io/x/y@sha256:${SHA}` }] },
    };
    const statement = buildPipelineRunProvenance(pipelineRun([model]), [unfinished], { format: 'slsa/v2alpha4' });
    expect((statement.predicate as any).buildDefinition.resolvedDependencies).toBeUndefined();
  });
  test('a step imageID without a digest fails as in Chains; a state without imageID (unknown digest) is left out', () => {
    expect(() => buildPipelineRunProvenance(pipelineRun([model]), [taskRun('source', 'alpine:3')], { format: 'slsa/v2alpha4' })).toThrow(
      /step step: imageID "alpine:3" is not/,
    );
    const unknown = { ...taskRun('source', ''), status: { completionTime: '2026-11-26T01:04:00Z', steps: [{ name: 'step' }] } };
    expect(
      (buildPipelineRunProvenance(pipelineRun([model]), [unknown], { format: 'slsa/v2alpha4' }).predicate as any).buildDefinition
        .resolvedDependencies,
    ).toBeUndefined();
  });
  test('SLSA v0.2 formats give a v0.2 statement; unknown build types and formats are refused', () => {
    const v02 = buildPipelineRunProvenance(pipelineRun([model]), [], { format: 'in-toto' });
    expect(v02._type).toBe('https://in-toto.io/Statement/v0.1');
    expect(v02.predicateType).toBe('https://slsa.dev/provenance/v0.2');
    expect((v02.predicate as any).buildType).toBe('tekton.dev/v1/PipelineRun');
    expect(() => buildPipelineRunProvenance(pipelineRun([model]), [], { format: 'slsa/v3' as any })).toThrow(
      /"slsa\/v3" is not a Chains v0.29.2 format/,
    );
    expect(() => buildPipelineRunProvenance(pipelineRun([model]), [], { format: 'slsa/v2alpha4', buildType: 'x' })).toThrow(
      /unsupported buildType/,
    );
  });
});

const fixtures = path.resolve(__dirname, '..', '..', 'shared', 'tekton', 'chains-fixtures');
const unitData = path.join(fixtures, 'pkg', 'chains', 'formats', 'slsa', 'testdata', 'slsa-v2alpha4');
const describeShared = fs.existsSync(fixtures) ? describe : describe.skip;
if (!fs.existsSync(fixtures)) console.log(`skipping Chains fixture comparisons: ${fixtures} does not exist`);

describeShared('against Chains v0.29.2 pipelinerun_test.go (pipelinerun1.json with taskrun1/2.json)', () => {
  const load = (f: string): RunObject => JSON.parse(fs.readFileSync(path.join(unitData, f), 'utf8'));
  const pr = () => load('pipelinerun1.json');
  const trs = () => [load('taskrun1.json'), load('taskrun2.json')];
  const byproductNames = (s: any) => s.predicate.runDetails.byproducts.map((b: any) => b.name);

  test('without deep inspection: subjects, resolved dependencies and byproducts as upstream expects', () => {
    const s = buildPipelineRunProvenance(pr(), trs(), { format: 'slsa/v2alpha4' }) as any;
    expect(s.subject.map((x: any) => x.name)).toEqual(['abc', 'test.io/test/image', 'index.docker.io/library/abc']);
    expect(s.predicate.buildDefinition.resolvedDependencies).toEqual([
      { uri: 'git+https://github.com/test', digest: { sha1: '28b123' }, name: 'pipeline' },
      { uri: 'git+https://github.com/catalog', digest: { sha1: 'x123' }, name: 'pipelineTask' },
      { uri: 'oci://gcr.io/test1/test1', digest: { sha256: 'd4b63d3e24d6eef04a6dc0795cf8a73470688803d97c52cffa3c8d4efd3397b6' } },
      { uri: 'git+https://github.com/test', digest: { sha1: 'ab123' }, name: 'pipelineTask' },
      { uri: 'oci://gcr.io/test2/test2', digest: { sha256: '4d6dd704ef58cb214dd826519929e92a978a57cdee43693006139c0080fd6fac' } },
      { uri: 'oci://gcr.io/test3/test3', digest: { sha256: 'f1a8b8549c179f41e27ff3db0fe1a1793e4b109da46586501a8343637b1d0478' } },
      { uri: 'abc', digest: { sha256: SHA }, name: 'inputs/result' },
      { name: 'inputs/result', uri: 'git+https://git.test.com.git', digest: { sha1: 'abcd' } },
    ]);
    expect(byproductNames(s)).toEqual([
      'pipelineRunResults/pipelinerun-build/CHAINS-GIT_COMMIT',
      'pipelineRunResults/pipelinerun-build/CHAINS-GIT_URL',
      'pipelineRunResults/pipelinerun-build/img-ARTIFACT_INPUTS',
      'pipelineRunResults/pipelinerun-build/img_no_uri-ARTIFACT_OUTPUTS',
    ]);
    expect(Buffer.from(s.predicate.runDetails.byproducts[0].content, 'base64').toString()).toBe('"abcd"');
    expect(s.predicate.runDetails.metadata).toEqual({
      invocationId: 'abhhf-12354-asjsdbjs23-3435353n',
      startedOn: '2021-03-29T09:50:00Z',
      finishedOn: '2021-03-29T09:50:15Z',
    });
  });
  test('with deep inspection: task subjects, step-action inputs and task byproducts join', () => {
    const s = buildPipelineRunProvenance(pr(), trs(), { format: 'slsa/v2alpha4', deepInspection: true }) as any;
    expect(s.subject.map((x: any) => x.name)).toEqual([
      'abc',
      'test.io/test/image',
      'index.docker.io/library/abc',
      'gcr.io/my/image/fromstep3',
      'gcr.io/my/image',
    ]);
    expect(s.predicate.buildDefinition.resolvedDependencies.slice(6)).toEqual([
      { name: 'inputs/result', uri: 'https://github.com/tektoncd/pipeline', digest: { sha1: '7f2f46e1b97df36b2b82d1b1d87c81b8b3d21601' } },
      { uri: 'abc', digest: { sha256: SHA }, name: 'inputs/result' },
      { name: 'inputs/result', uri: 'git+https://git.test.com.git', digest: { sha1: 'sha:taskdefault' } },
      { name: 'inputs/result', uri: 'git+https://git.test.com.git', digest: { sha1: 'taskrun' } },
      { name: 'inputs/result', uri: 'git+https://git.test.com.git', digest: { sha1: 'abcd' } },
    ]);
    expect(byproductNames(s).slice(4)).toEqual([
      'taskRunResults/git-clone/some-uri_DIGEST',
      'taskRunResults/git-clone/some-uri',
      'stepResults/git-clone/step1_result1-ARTIFACT_INPUTS',
      'stepResults/taskrun-build/step1_result1',
      'stepResults/taskrun-build/step1_result1-ARTIFACT_OUTPUTS',
    ]);
  });

  test('pipelinerun-remote-resolver.json: buildConfigSource from the git resolver and the pipeline as a dependency', () => {
    const s = buildPipelineRunProvenance(load('pipelinerun-remote-resolver.json'), [], { format: 'slsa/v2alpha4' }) as any;
    expect(s.predicate.buildDefinition.externalParameters.buildConfigSource).toEqual({
      path: 'pipeline/build-push-gke-deploy/0.1/build-push-gke-deploy.yaml',
      ref: 'sha1:4df486f198c3c2616ab129186fb30a74f580b5a1',
      repository: 'git+https://github.com/tektoncd/catalog',
    });
    expect(s.predicate.buildDefinition.resolvedDependencies[0]).toEqual({
      name: 'pipeline',
      uri: 'git+https://github.com/tektoncd/catalog',
      digest: { sha1: '4df486f198c3c2616ab129186fb30a74f580b5a1' },
    });
    expect(s.predicate.buildDefinition.externalParameters.runSpec.pipelineRef.resolver).toBe('git');
  });
  test('pipelinerun_structured_results.json: an output without a digest is no subject; the input is a dependency', () => {
    const s = buildPipelineRunProvenance(load('pipelinerun_structured_results.json'), [], { format: 'slsa/v2alpha4' }) as any;
    expect(s.subject).toBeUndefined();
    expect(s.predicate.buildDefinition.resolvedDependencies).toContainEqual({
      name: 'inputs/result',
      uri: 'abcd',
      digest: { sha256: SHA },
    });
    expect(s.predicate.buildDefinition.externalParameters.buildConfigSource).toBeUndefined();
  });
});
