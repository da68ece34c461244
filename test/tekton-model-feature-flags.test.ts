import { checkDocuments } from '../src/check';

/** A Task whose string param has an enum: refused unless enable-param-enum is on. */
const TASK_WITH_ENUM = {
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: { name: 'pick' },
  spec: {
    params: [{ name: 'mode', enum: ['a', 'b'], default: 'a' }],
    steps: [{ name: 's', image: 'busybox', script: 'echo $(params.mode)' }],
  },
};

const disabled = (flags: Record<string, string>) =>
  checkDocuments([TASK_WITH_ENUM], { featureFlags: flags }).filter((f) => f.rule === 'feature-disabled').length;

describe('feature flags under check (one reader with the rehearsal, booleans as Go strconv.ParseBool reads them)', () => {
  test.each(['true', 'True', 'TRUE', 't', 'T', '1'])('enable-param-enum: %s turns enum on', (value) => {
    expect(disabled({ 'enable-param-enum': value })).toBe(0);
  });

  test.each(['false', 'f', '0'])('enable-param-enum: %s leaves enum refused', (value) => {
    expect(disabled({ 'enable-param-enum': value })).toBe(1);
  });

  test('a value Tekton refuses is refused, naming the key', () => {
    expect(() => checkDocuments([TASK_WITH_ENUM], { featureFlags: { 'enable-param-enum': 'yes' } })).toThrow(
      'feature-flags enable-param-enum: "yes" is not a boolean (true or false)',
    );
  });
});
