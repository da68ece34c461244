import {
  findVariableReferences,
  formatReferenceExpression,
  splitReferenceExpression,
  substituteVariableReferences,
  isPlainSubstitution,
} from '../src/tekton-model/variable-references';

describe('findVariableReferences', () => {
  test.each([
    ['$(params.x)', { kind: 'params', name: 'x', star: false }],
    ['$(params["x"])', { kind: 'params', name: 'x' }],
    ["$(params['x.y'])", { kind: 'params', name: 'x.y', star: false }],
    ['$(params.x.key)', { kind: 'params', name: 'x', key: 'key' }],
    ['$(params.x[*])', { kind: 'params', name: 'x', star: true }],
    ['$(params.x[0])', { kind: 'params', name: 'x', index: 0 }],
    ['$(params["a.b"].k)', { kind: 'params', name: 'a.b', key: 'k' }],
    ['$(tasks.t.results.r)', { kind: 'tasks.results', owner: 't', name: 'r' }],
    ['$(tasks.t.results.r.key)', { kind: 'tasks.results', owner: 't', name: 'r', key: 'key' }],
    ['$(tasks.t.results.r[*])', { kind: 'tasks.results', owner: 't', name: 'r', star: true }],
    ['$(tasks.t.results.r[2])', { kind: 'tasks.results', owner: 't', name: 'r', index: 2 }],
    ['$(finally.f.results.r)', { kind: 'tasks.results', owner: 'f', name: 'r' }],
    ['$(tasks.t.status)', { kind: 'tasks.status', owner: 't' }],
    ['$(tasks.t.reason)', { kind: 'tasks.reason', owner: 't' }],
    ['$(tasks.status)', { kind: 'tasks.aggregate-status' }],
    ['$(tasks.t.matrix.length)', { kind: 'tasks.matrix', owner: 't', attribute: 'length' }],
    ['$(tasks.t.matrix.r.length)', { kind: 'tasks.matrix', owner: 't', name: 'r', attribute: 'length' }],
    ['$(results.r.path)', { kind: 'results', name: 'r', attribute: 'path' }],
    ['$(workspaces.w.path)', { kind: 'workspaces', name: 'w', attribute: 'path' }],
    ['$(workspaces.w.bound)', { kind: 'workspaces', name: 'w', attribute: 'bound' }],
    ['$(context.taskRun.name)', { kind: 'context', name: 'taskRun', attribute: 'name' }],
    ['$(context.task.retry-count)', { kind: 'context', name: 'task', attribute: 'retry-count' }],
    ['$(steps.s.results.r)', { kind: 'steps.results', owner: 's', name: 'r' }],
    ['$(steps.step-s.exitCode.path)', { kind: 'steps.exitCode', owner: 'step-s', attribute: 'path' }],
    ['$(step.results.r.path)', { kind: 'step.results', name: 'r', attribute: 'path' }],
    ['$(credentials.path)', { kind: 'credentials', attribute: 'path' }],
    ['$(date +%s)', { kind: 'other' }],
  ])('%s', (text, expected) => {
    const [ref] = findVariableReferences(text);
    expect(ref).toMatchObject({ text, start: 0, end: text.length, ...expected });
  });

  test('finds every reference with offsets, in order', () => {
    const text = 'echo $(params.a) and $(tasks.t.results.r[*]) done';
    const refs = findVariableReferences(text);
    expect(refs.map((r) => [r.text, r.start, r.end])).toEqual([
      ['$(params.a)', 5, 16],
      ['$(tasks.t.results.r[*])', 21, 44],
    ]);
    expect(text.slice(refs[1].start, refs[1].end)).toBe('$(tasks.t.results.r[*])');
  });

  test('a nested shell substitution still yields the inner reference', () => {
    const refs = findVariableReferences('$(cat $(results.r.path))');
    expect(refs.map((r) => r.text)).toEqual(['$(results.r.path)']);
  });

  test('a quoted bracket may hold ) and dots', () => {
    const [ref] = findVariableReferences('$(params["a)b"])');
    expect(ref).toMatchObject({ kind: 'params', name: 'a)b' });
  });

  test('an unclosed reference is not a reference', () => {
    expect(findVariableReferences('echo $(params.x')).toEqual([]);
  });

  test('more than one key after a param name is a problem Tekton refuses', () => {
    const [ref] = findVariableReferences('$(params.a.b.c)');
    expect(ref.problem).toMatch(/only one object key/);
  });

  test('bad bracket content is not valid', () => {
    const [ref] = findVariableReferences('$(params.x[a])');
    expect(ref).toMatchObject({ valid: false, kind: 'other' });
  });
});

describe('substituteVariableReferences', () => {
  test('replaces what the replacer answers and keeps the rest', () => {
    const out = substituteVariableReferences('a=$(params.a) b=$(params.b) $(date)', (r) =>
      r.kind === 'params' && r.name === 'a' ? 'ONE' : undefined,
    );
    expect(out).toBe('a=ONE b=$(params.b) $(date)');
  });

  test('does not re-scan its own output', () => {
    const out = substituteVariableReferences('$(params.a)', () => '$(params.a)$(params.a)');
    expect(out).toBe('$(params.a)$(params.a)');
  });
});

describe('splitReferenceExpression and formatReferenceExpression', () => {
  test('round-trip', () => {
    for (const e of ['params.x', 'params["a.b"][*]', 'tasks.t.results.r[0]', 'params.o.k']) {
      expect(formatReferenceExpression(splitReferenceExpression(e)!)).toBe(e);
    }
  });
  test('rejects empty segments', () => {
    expect(splitReferenceExpression('params..x')).toBeUndefined();
    expect(splitReferenceExpression('params.')).toBeUndefined();
  });
});

describe('findVariableReferences on any text', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fc = require('fast-check') as typeof import('fast-check');
  const pieces = fc.constantFrom('$(', ')', 'params', '.', '[', ']', '*', '0', '"', "'", 'x', 'tasks', 'results', ' ', '$', '(', '\n');
  const texts = fc.array(pieces, { maxLength: 30 }).map((a) => a.join(''));

  test('never throws; each reference is the text between its offsets, in order, without overlap', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const refs = findVariableReferences(text);
        let last = 0;
        for (const r of refs) {
          expect(r.start).toBeGreaterThanOrEqual(last);
          expect(text.slice(r.start, r.end)).toBe(r.text);
          expect(r.text.startsWith('$(') && r.text.endsWith(')')).toBe(true);
          last = r.end;
        }
      }),
      { numRuns: 500 },
    );
  });

  test('substituting every reference by itself changes nothing', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(substituteVariableReferences(text, (r) => r.text)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('isPlainSubstitution', () => {
  const plain = (text: string) => findVariableReferences(text).map(isPlainSubstitution);
  test('dot notation with at most one trailing [N] or [*] is the shape Tekton substitutes', () => {
    expect(plain('$(params.a) $(tasks.t.results.r[*]) $(params.a-b_c[2])')).toEqual([true, true, true]);
  });
  test('bracket notation, an inner index and a name with other characters are not', () => {
    expect(plain('$(params["a.b"]) $(params.a[0].b) $(params.a b) $([0])')).toEqual([false, false, false, false]);
  });
});
