import * as zlib from 'zlib';
import { assertResultBudget, terminationMessageSize, typedTaskResults, typeResultValue } from '../src/rehearse/task-results';
import { readTektonFeatureFlags } from '../src/tekton-model/feature-flags';
import { formatGoDuration, parseGoDuration } from '../src/tekton-model/go-duration';
import { paramReplacements, Replacements } from '../src/rehearse/variable-replacements';

describe('typeResultValue (ParamValue.UnmarshalJSON for non-string results)', () => {
  test('strings keep their raw bytes, trailing newline included', () => {
    expect(typeResultValue('abc\n', 'string')).toBe('abc\n');
    expect(typeResultValue('["a"]', 'string')).toBe('["a"]');
  });
  test('arrays and objects of strings parse, trailing whitespace allowed', () => {
    expect(typeResultValue('["a","b"]\n', 'array')).toEqual(['a', 'b']);
    expect(typeResultValue('{"a":"1"}\n', 'object')).toEqual({ a: '1' });
  });
  test('anything else falls back to a string (a JSON string literal is unquoted)', () => {
    expect(typeResultValue('[1,2]', 'array')).toBe('[1,2]');
    expect(typeResultValue('{"a":1}', 'object')).toBe('{"a":1}');
    expect(typeResultValue(' {"a":"1"}', 'object')).toBe(' {"a":"1"}');
    expect(typeResultValue('"x"', 'object')).toBe('x');
  });
});

describe('typedTaskResults', () => {
  test('checks declared types and object properties', () => {
    expect(typedTaskResults(new Map([['o', '{"a":"1","b":"2"}']]), [{ name: 'o', type: 'object', properties: { a: {} } }])).toEqual([
      { name: 'o', type: 'object', value: { a: '1', b: '2' } },
    ]);
    expect(() => typedTaskResults(new Map([['l', 'a,b']]), [{ name: 'l', type: 'array' }])).toThrow(
      /result "l" is expected to be "array" type but was initialized to a different type "string"/,
    );
  });
});

describe('terminationMessageSize and assertResultBudget', () => {
  const startedAt = new Date('2026-11-26T01:02:03.456Z');
  test('counts the JSON the entrypoint writes: results and the StartedAt entry', () => {
    const json = '[{"key":"r","value":"a\\u003cb\\n","type":1},{"key":"StartedAt","value":"2026-11-26T01:02:03.456Z","type":3}]';
    expect(terminationMessageSize(new Map([['r', 'a<b\n']]), startedAt, false)).toBe(Buffer.byteLength(json));
  });
  test('compression shrinks repetitive results below the limit', () => {
    const big = new Map([['r', 'x'.repeat(6000)]]);
    expect(terminationMessageSize(big, startedAt, false)).toBeGreaterThan(4096);
    expect(terminationMessageSize(big, startedAt, true)).toBeLessThan(200);
    expect(zlib.deflateRawSync(Buffer.from('x')).length).toBeGreaterThan(0);
  });
  test('4096 bytes is the limit, with the flag values of the feature-flags map', () => {
    const flags = readTektonFeatureFlags();
    const at = (n: number) => new Map([['r', 'x'.repeat(n)]]);
    const overhead = terminationMessageSize(at(0), startedAt, false);
    expect(() => assertResultBudget(at(4096 - overhead), flags, startedAt)).not.toThrow();
    expect(() => assertResultBudget(at(4097 - overhead), flags, startedAt)).toThrow(/above max allowed size 4096/);
    expect(() =>
      assertResultBudget(at(5000), readTektonFeatureFlags({ 'enable-termination-message-compression': 'true' }), startedAt),
    ).not.toThrow();
  });
});

describe('readTektonFeatureFlags', () => {
  test('defaults as Tekton v1.15.0 writes them into status.provenance.featureFlags', () => {
    expect(readTektonFeatureFlags().statusJson).toEqual({
      runningInEnvWithInjectedSidecars: true,
      enableAPIFields: 'beta',
      sendCloudEventsForRuns: true,
      awaitSidecarReadiness: true,
      enforceNonfalsifiability: 'none',
      verificationNoMatchPolicy: 'ignore',
      enableProvenanceInStatus: true,
      resultExtractionMethod: 'termination-message',
      maxResultSize: 4096,
      coschedule: 'workspaces',
    });
  });
  test('reads values and refuses what the controller refuses', () => {
    expect(readTektonFeatureFlags({ 'enable-param-enum': 'true', 'enable-api-fields': 'Alpha' }).statusJson).toMatchObject({
      enableParamEnum: true,
      enableAPIFields: 'alpha',
    });
    expect(() => readTektonFeatureFlags({ 'enable-param-enum': 'yes' })).toThrow(
      'feature-flags enable-param-enum: "yes" is not a boolean (true or false)',
    );
    expect(() => readTektonFeatureFlags({ 'results-from': 'logs' })).toThrow(/results-from: "logs" is not one of/);
    expect(() => readTektonFeatureFlags({ 'max-result-size': '2000000' })).toThrow(/less than 1572864/);
  });
});

describe('formatGoDuration', () => {
  test('formats as Kubernetes stores a parsed duration', () => {
    expect(formatGoDuration(parseGoDuration('2h')!)).toBe('2h0m0s');
    expect(formatGoDuration(parseGoDuration('1h30m')!)).toBe('1h30m0s');
    expect(formatGoDuration(parseGoDuration('90s')!)).toBe('1m30s');
    expect(formatGoDuration(parseGoDuration('1.5s')!)).toBe('1.5s');
    expect(formatGoDuration(0)).toBe('0s');
  });
});

describe('Replacements (Tekton substitution)', () => {
  test('one pass: a replaced value is not substituted again', () => {
    const r = new Replacements();
    r.strings.set('params.a', '$(params.b)');
    r.strings.set('params.b', 'B');
    expect(r.apply('$(params.a) $(params.b) $(params.c)')).toBe('$(params.b) B $(params.c)');
  });
  test('params["x"], params[\'x\'], object keys, array elements, [*] expansion and whole-value typing', () => {
    const r = paramReplacements(
      [
        { name: 'o', type: 'object', default: { k: 'v', j: 'w' } },
        { name: 'l', type: 'array', default: ['1', '2'] },
        { name: 'd', default: 'x-$(params.s)' },
        { name: 's', default: 'S' },
      ],
      [{ name: 'o', value: { k: 'given' } }],
    );
    expect(r.apply('$(params.o.k) $(params.o.j) $(params["d"]) $(params[\'l\'][1])')).toBe('given w x-S 2');
    expect(r.applyToArrayElement('$(params.l[*])')).toEqual(['1', '2']);
    expect(r.applyToArrayElement('a $(params.l[*])')).toEqual(['a $(params.l[*])']);
    expect(r.applyToValue('$(params.o[*])')).toEqual({ k: 'given', j: 'w' });
    expect(r.applyToValue('$(params.l)')).toEqual(['1', '2']);
  });
});
