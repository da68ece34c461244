import {
  canonicalGoDuration,
  canonicalQuantity,
  formatGoTime,
  formatMetav1Time,
  formatProtoTimestamp,
  goJsonMarshal,
  goJsonText,
  GoJsonError,
  goRoundTrip,
  GoType,
  paramValueOf,
} from '../src/chains/go-json';
import { FEATURE_FLAGS, PIPELINE_RUN_SPEC, TASK_RUN_SPEC } from '../src/chains/tekton-go-types';

describe('goJsonMarshal (Go encoding/json of maps, lists and strings)', () => {
  test('sorts object keys and escapes < > & U+2028 U+2029 as Go does', () => {
    expect(goJsonMarshal({ uri: 'a<b>&c', digest: 'sha256:x', isBuildArtifact: 'true' })).toBe(
      '{"digest":"sha256:x","isBuildArtifact":"true","uri":"a\\u003cb\\u003e\\u0026c"}',
    );
    expect(goJsonMarshal('line\u2028break\u2029')).toBe('"line\\u2028break\\u2029"');
  });
  test("a plain string is JSON.stringify's text", () => {
    expect(goJsonMarshal('result-value')).toBe('"result-value"');
    expect(goJsonMarshal(['a', 'b'])).toBe('["a","b"]');
  });
  test('goJsonText keeps the given key order (struct field order)', () => {
    expect(goJsonText({ z: 1, a: '<' })).toBe('{"z":1,"a":"\\u003c"}');
  });
});

describe('goRoundTrip (json.Unmarshal into a Go struct, then json.Marshal)', () => {
  test('structs are never omitted: a volumeClaimTemplate gets metadata {}, spec.resources {} and status {}', () => {
    const spec = goRoundTrip(
      PIPELINE_RUN_SPEC,
      {
        pipelineRef: { name: 'p' },
        workspaces: [
          {
            name: 'shared',
            volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4Gi' } } } },
          },
        ],
      },
      'spec',
    ) as any;
    expect(spec.workspaces[0].volumeClaimTemplate).toEqual({
      metadata: {},
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '4Gi' } } },
      status: {},
    });
    expect(spec.taskRunTemplate).toEqual({});
  });
  test('a struct pointer that is absent stays absent (near case)', () => {
    const spec = goRoundTrip(PIPELINE_RUN_SPEC, { pipelineRef: { name: 'p' } }, 'spec') as any;
    expect(spec).not.toHaveProperty('timeouts');
    expect(spec).not.toHaveProperty('pipelineSpec');
  });
  test('a field without omitempty is always written: TaskRunSpec.serviceAccountName', () => {
    expect(goRoundTrip(TASK_RUN_SPEC, { taskRef: { name: 't' } }, 'spec')).toEqual({ serviceAccountName: '', taskRef: { name: 't' } });
    // near case: PipelineTaskRunTemplate.serviceAccountName has omitempty
    expect((goRoundTrip(PIPELINE_RUN_SPEC, { taskRunTemplate: { serviceAccountName: '' } }, 'spec') as any).taskRunTemplate).toEqual({});
  });
  test('nil versus empty lists: with omitempty both vanish; without it nil is null and empty is []', () => {
    expect(goRoundTrip(TASK_RUN_SPEC, { params: [] }, 'spec')).not.toHaveProperty('params');
    const args: GoType = {
      kind: 'struct',
      name: 'S',
      fields: () => [{ json: 'arguments', type: { kind: 'slice', of: { kind: 'string' } } }],
    };
    expect(goRoundTrip(args, {}, 's')).toEqual({ arguments: null });
    expect(goRoundTrip(args, { arguments: [] }, 's')).toEqual({ arguments: [] });
  });
  test("durations are written as Go's Duration.String()", () => {
    expect(goRoundTrip(TASK_RUN_SPEC, { timeout: '1h30m' }, 'spec')).toMatchObject({ timeout: '1h30m0s' });
    expect((goRoundTrip(PIPELINE_RUN_SPEC, { timeouts: { pipeline: '2h', tasks: '90m' } }, 'spec') as any).timeouts).toEqual({
      pipeline: '2h0m0s',
      tasks: '1h30m0s',
    });
  });
  test('embedded tasks carry metadata {} and spec null; steps carry name and computeResources {}', () => {
    const spec = goRoundTrip(
      PIPELINE_RUN_SPEC,
      { pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [{ image: 'x', script: 'echo' }] } }] } },
      'spec',
    ) as any;
    expect(spec.pipelineSpec.tasks[0].taskSpec).toEqual({
      spec: null,
      metadata: {},
      steps: [{ name: '', image: 'x', computeResources: {}, script: 'echo' }],
    });
  });
  test('keys match case-insensitively (the later wins) and unknown keys are dropped', () => {
    expect(goRoundTrip(FEATURE_FLAGS, { EnableAPIFields: 'alpha', enableParamEnum: true, somethingElse: 1 }, 'flags')).toEqual({
      enableAPIFields: 'alpha',
      enableParamEnum: true,
    });
    expect(goRoundTrip(FEATURE_FLAGS, { enableAPIFields: 'beta', ENABLEAPIFIELDS: 'alpha' }, 'flags')).toEqual({
      enableAPIFields: 'alpha',
    });
  });
  test("a value of the wrong JSON type fails as Go's decoder does, naming the field", () => {
    expect(() => goRoundTrip(TASK_RUN_SPEC, { serviceAccountName: 3 }, 'taskrun x spec')).toThrow(GoJsonError);
    expect(() => goRoundTrip(TASK_RUN_SPEC, { serviceAccountName: 3 }, 'taskrun x spec')).toThrow(
      /taskrun x spec.serviceAccountName is number 3, expected a string/,
    );
    expect(() => goRoundTrip(TASK_RUN_SPEC, { timeout: '1d' }, 'spec')).toThrow(/spec.timeout is "1d", not a Go duration/);
  });
  test('param values: lists and string maps stay, null is "", other JSON becomes its text', () => {
    expect(paramValueOf(['a'])).toEqual(['a']);
    expect(paramValueOf({ b: '2', a: '1' })).toEqual({ a: '1', b: '2' });
    expect(paramValueOf(null)).toBe('');
    expect(paramValueOf(3)).toBe('3');
    expect(paramValueOf([1, 2])).toBe('[1,2]');
    expect(() => goRoundTrip(TASK_RUN_SPEC, { params: [{ name: 'p' }] }, 'spec')).toThrow(/spec.params\[0\].value is missing/);
  });
});

describe('Go durations', () => {
  test.each([
    ['90m', '1h30m0s'],
    ['0.5h', '30m0s'],
    ['72h', '72h0m0s'],
    ['1m', '1m0s'],
    ['1.5s', '1.5s'],
    ['500ms', '500ms'],
    ['0', '0s'],
  ])('%s → %s', (text, go) => {
    expect(canonicalGoDuration(text)).toBe(go);
  });
  test('text Go refuses is refused', () => {
    expect(() => canonicalGoDuration('10')).toThrow(GoJsonError);
  });
});

describe('the three timestamp formats', () => {
  test('metav1.Time drops the fraction and writes UTC', () => {
    expect(formatMetav1Time('2021-03-29T10:50:00.5+01:00')).toBe('2021-03-29T09:50:00Z');
  });
  test('Go time.Time writes only the fraction digits it needs', () => {
    expect(formatGoTime('2021-03-29T10:50:00.500+01:00')).toBe('2021-03-29T09:50:00.5Z');
    expect(formatGoTime('2021-03-29T09:50:00Z')).toBe('2021-03-29T09:50:00Z');
  });
  test('protojson Timestamp writes 0, 3, 6 or 9 fraction digits', () => {
    expect(formatProtoTimestamp('2021-03-29T09:50:00Z')).toBe('2021-03-29T09:50:00Z');
    expect(formatProtoTimestamp('2021-03-29T09:50:00.5Z')).toBe('2021-03-29T09:50:00.500Z');
    expect(formatProtoTimestamp('2021-03-29T09:50:00.0000005Z')).toBe('2021-03-29T09:50:00.000000500Z');
  });
  test('text that is not RFC 3339 is refused', () => {
    expect(() => formatMetav1Time('yesterday', 'status.startTime')).toThrow(/status.startTime is "yesterday", not an RFC 3339 time/);
  });
});

describe('Kubernetes quantities', () => {
  test.each([
    ['1024Mi', '1Gi'],
    ['1000m', '1'],
    ['2000', '2k'],
    ['500m', '500m'],
    ['4Gi', '4Gi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Ki', '512'],
    ['1.5', '1500m'],
    ['100M', '100M'],
    ['1e3', '1e3'],
    ['0', '0'],
  ])('%s → %s', (given, canonical) => {
    expect(canonicalQuantity(given)).toBe(canonical);
  });
  test('a number in JSON reads as its text', () => {
    expect(canonicalQuantity(2000)).toBe('2k');
  });
  test('a request in a step is canonicalised, a bad one refused', () => {
    const spec = goRoundTrip(TASK_RUN_SPEC, { computeResources: { requests: { memory: '1024Mi', cpu: '1000m' } } }, 'spec') as any;
    expect(spec.computeResources).toEqual({ requests: { cpu: '1', memory: '1Gi' } });
    expect(() => canonicalQuantity('4 GB')).toThrow(GoJsonError);
  });
});
