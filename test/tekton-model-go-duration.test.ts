import { parseGoDuration } from '../src/tekton-model/go-duration';

describe('parseGoDuration', () => {
  test.each([
    ['1h30m', 5400e9],
    ['45m', 2700e9],
    ['0', 0],
    ['1.5s', 1.5e9],
    ['-2m', -120e9],
    ['300ms', 300e6],
  ])('%s', (text, nanos) => {
    expect(parseGoDuration(text)).toBe(nanos);
  });
  test.each(['1d', '10', '5 m', '', 'h', '.s'])('refuses %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
