import {
  fillInTriggersVariables,
  findTriggerTemplateParams,
  findTriggersVariables,
  holdsTriggersVariable,
  readTriggersVariables,
  renderResourceTemplates,
} from '../src/tekton-model/triggers';

describe('findTriggersVariables', () => {
  test("finds $(tt.params.NAME) (Triggers' paramsRegexp) and $(uid), in order, with offsets", () => {
    expect(findTriggersVariables('run-$(tt.params.git_rev.short)-$(uid)')).toEqual([
      { param: 'git_rev.short', text: '$(tt.params.git_rev.short)', index: 4 },
      { text: '$(uid)', index: 31 },
    ]);
  });

  test('near: variables Triggers leaves as they are ($(params.x), $(tt.x), a name Triggers does not read, $(uid.x), $$ not special)', () => {
    expect(
      findTriggersVariables('$(params.revision) $(tt.revision) $(tt.params.1st) $(tt.params.) $(uid.x) $(context.pipelineRun.uid)'),
    ).toEqual([]);
  });
});

describe('holdsTriggersVariable', () => {
  test('true for a text holding one', () => {
    expect(holdsTriggersVariable('gs://bucket/$(uid)/model')).toBe(true);
    expect(holdsTriggersVariable('$(tt.params.timeout)')).toBe(true);
  });
  test('near: false for Tekton variables and plain text', () => {
    expect(holdsTriggersVariable('$(params.timeout)')).toBe(false);
    expect(holdsTriggersVariable('1h')).toBe(false);
  });
});

describe('findTriggerTemplateParams', () => {
  test('only the template params, not $(uid)', () => {
    expect(findTriggerTemplateParams('$(uid) $(tt.params.url)')).toEqual([{ name: 'url', text: '$(tt.params.url)', index: 7 }]);
  });
});

describe('fillInTriggersVariables', () => {
  test('replaces each given param, then every $(uid); a param not given stays as written', () => {
    expect(fillInTriggersVariables('$(tt.params.a)/$(tt.params.b)/$(uid)/$(uid)', [['a', 'x']], 'U')).toBe('x/$(tt.params.b)/U/U');
  });

  test("param by param as Triggers' ResolveResources: a value written in an earlier param's place is filled in by a later one", () => {
    expect(
      fillInTriggersVariables(
        '$(tt.params.a)',
        [
          ['a', '$(tt.params.b)'],
          ['b', 'y'],
        ],
        'U',
      ),
    ).toBe('y');
  });

  test('renderResourceTemplates fills in with it, values escaped $( to $$( (since v0.34)', () => {
    const template = {
      spec: { resourcetemplates: [{ kind: 'PipelineRun', metadata: { name: 'run-$(uid)' }, spec: { v: '$(tt.params.a)' } }] },
    };
    expect(renderResourceTemplates(template, new Map([['a', '$(x)']]), 'U')).toEqual([
      { kind: 'PipelineRun', metadata: { name: 'run-U' }, spec: { v: '$$(x)' } },
    ]);
  });
});

describe('readTriggersVariables', () => {
  test('reads each variable as the unknown string given for it', () => {
    expect(readTriggersVariables('Model-$(tt.params.Revision)-$(uid)', (p) => p.toLowerCase(), 'U')).toBe('Model-revision-U');
  });
  test('near: text without a Triggers variable is returned as it is', () => {
    expect(readTriggersVariables('model-$(params.revision)', () => 'x', 'U')).toBe('model-$(params.revision)');
  });
});
