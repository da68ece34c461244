import { canonicalHeaderKey, compileCelExpression, evaluateCelExpression } from '../src/tekton-model/cel-expressions';

describe('compileCelExpression in the tekton-when environment (cel.NewEnv(), as when_validation.go compiles)', () => {
  // each row: what cel-go's env.Compile says of it in an empty environment
  const valid = [
    "'$(params.branch)' == 'main'",
    "'$(tasks.unit-test.results.coverage)' in ['a', 'b']",
    "!('$(params.x)' in ['a'])",
    "int('5') > 3 && double('0.9') > 0.8",
    "'abc'.startsWith('a') && 'abc'.endsWith('c') && 'abc'.contains('b') && 'abc'.matches('^a.c$')",
    "size('abc') == 3",
    '[1, 2].exists(x, x > 1)',
    "[1, 'a'].size() == 2",
  ];
  const invalid: [string, RegExp][] = [
    ["$(params.foo) == 'foo'", /\$/],
    ["params.foo == 'foo'", /params/],
    ["'a' > 1", /overload/],
    ["'$(params.count)' > 3", /overload/],
    ["'a' == 1", /overload/],
    ["true && 'x'", /bool/],
    ["'abc", /Unterminated/i],
    ['1 +', /EOF|token/i],
    ["'x'.foo()", /foo/],
    ['has(x.y)', /x/],
  ];
  it.each(valid)('compiles %s', (expression) => {
    expect(compileCelExpression(expression, 'tekton-when')).toMatchObject({ ok: true });
  });
  it.each(invalid)('refuses %s with one line', (expression, message) => {
    const result = compileCelExpression(expression, 'tekton-when');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(message);
      expect(result.message).not.toContain('\n');
    }
  });
  it('knows no Triggers variable', () => {
    expect(compileCelExpression("body.ref == 'x'", 'tekton-when').ok).toBe(false);
  });
});

describe('the triggers environment (Triggers v0.37.0 makeCelEnv)', () => {
  const body = {
    ref: 'refs/heads/main',
    deleted: false,
    after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    repository: { full_name: 'octo-org/octo-repo', clone_url: 'https://github.com/octo-org/octo-repo.git' },
    commits: [{ id: 'a' }, { id: 'b' }],
    size: 2,
  };
  const header = { 'X-Github-Event': ['push'], 'Content-Type': ['application/json'] };
  const vars = { body, header, extensions: {}, requestURL: 'http://el:8080/hook?x=1' };
  const cases: [string, unknown][] = [
    ["body.repository.full_name == 'octo-org/octo-repo' && body.ref == 'refs/heads/main' && !body.deleted", true],
    ["header.match('X-GitHub-Event', 'push')", true],
    ["header.match('x-github-event', 'pull_request')", false],
    ["header.canonical('content-type')", 'application/json'],
    ["header['X-Github-Event'][0] == 'push'", true],
    ['body.after.truncate(7)', '0d1a26e'],
    ["body.ref.split('/')[2]", 'main'],
    ["body.ref.split('/').last()", 'main'],
    ['body.commits.first().id', 'a'],
    ['body.size == 2.0', true],
    ['\'{"a": [1]}\'.parseJSON().a.size()', 1],
    ['requestURL.parseURL().query.x', '1'],
    ["body.ref.translate('refs/heads/(.*)', '${1}')", 'main'],
    ["'a b'.replace(' ', '-')", 'a-b'],
    ['{"k": "v"}.marshalJSON()', '{"k":"v"}'],
  ];
  it.each(cases)('%s gives %p', (expression, expected) => {
    expect(evaluateCelExpression(expression, 'triggers', vars)).toEqual({ ok: true, value: expected });
  });
  it('compiles the filters Triggers documents, and refuses a type error', () => {
    expect(compileCelExpression("header.match('X-GitHub-Event', 'pull_request') && body.action in ['opened']", 'triggers').ok).toBe(true);
    expect(compileCelExpression('requestURL > 1', 'triggers')).toMatchObject({ ok: false });
    expect(compileCelExpression("bodi.ref == 'x'", 'triggers')).toMatchObject({ ok: false, message: expect.stringMatching(/bodi/) });
  });
  it('says that a cel-go extension it lacks was not checked, not that the expression is wrong', () => {
    expect(compileCelExpression("sets.contains(body.labels, ['ok'])", 'triggers')).toMatchObject({ ok: false, unsupported: true });
    expect(compileCelExpression("body.sets.contains('x')", 'triggers')).toMatchObject({ ok: true });
  });
  it('says why an evaluation fails, in one line', () => {
    const result = evaluateCelExpression("'x'.compareSecret('token', 'secret')", 'triggers', vars);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/Secret/) });
    expect(evaluateCelExpression('body.missing.field', 'triggers', vars)).toMatchObject({ ok: false });
  });
});

describe('canonicalHeaderKey (Go textproto.CanonicalMIMEHeaderKey)', () => {
  it('capitalizes each dash-separated word', () => {
    expect(canonicalHeaderKey('x-hub-SIGNATURE-256')).toBe('X-Hub-Signature-256');
    expect(canonicalHeaderKey('X-GitHub-Event')).toBe('X-Github-Event');
  });
  it('leaves a key with a space unchanged', () => {
    expect(canonicalHeaderKey('bad key')).toBe('bad key');
  });
});
