import { decodeStrictBase64 } from '../src/verify/strict-base64';

function decoded(text: string): string {
  const result = decodeStrictBase64(text);
  if (!result.ok) throw new Error(`not decoded: ${result.error}`);
  return result.bytes.toString('hex');
}

function refused(text: string): string {
  const result = decodeStrictBase64(text);
  if (result.ok) throw new Error(`decoded ${JSON.stringify(text)} to ${result.bytes.toString('hex')}`);
  return result.error;
}

describe('decodeStrictBase64', () => {
  test('standard and URL-safe alphabets, padded or not', () => {
    expect(decoded('+/8=')).toBe('fbff');
    expect(decoded('-_8=')).toBe('fbff');
    expect(decoded('-_8')).toBe('fbff');
    expect(decoded('aGVsbG8gd29ybGQ=')).toBe(Buffer.from('hello world').toString('hex'));
    expect(decoded('aGVsbG8gd29ybGQ')).toBe(Buffer.from('hello world').toString('hex'));
    expect(decoded('')).toBe('');
  });

  test('line breaks are skipped as Go does; other whitespace is junk', () => {
    expect(decoded('aGVs\nbG8g\r\nd29y\nbGQ=\n')).toBe(Buffer.from('hello world').toString('hex'));
    expect(refused('aGVs bG8=')).toBe('has an invalid character " " at offset 4');
    expect(refused('aGVs\tbG8=')).toBe('has an invalid character "\\t" at offset 4');
  });

  test('junk Node would silently drop is refused', () => {
    expect(Buffer.from('aGVs*bG8=', 'base64').length).toBeGreaterThan(0); // what this guards against
    expect(refused('aGVs*bG8=')).toBe('has an invalid character "*" at offset 4');
    expect(refused('aGVsbG8=.')).toBe('has an invalid character "=" at offset 7');
    expect(refused('aG=Vs')).toBe('has an invalid character "=" at offset 2');
    expect(refused('é')).toBe('has an invalid character "é" at offset 0');
  });

  test('padding must complete the last group of four', () => {
    expect(refused('aGVsbG8==')).toBe('has 2 padding characters where 1 are needed');
    expect(refused('aGVsbA=')).toBe('has 1 padding characters where 2 are needed');
    expect(refused('aGVs====')).toBe('has 4 padding characters where 0 are needed');
    expect(refused('aGVsb')).toBe('has a length (5 characters without padding) no base64 encoder produces');
    expect(decoded('aGVsbA==')).toBe(Buffer.from('hell').toString('hex'));
  });

  test('mixed alphabets and non-canonical trailing bits are refused', () => {
    expect(refused('+_8=')).toBe('mixes the standard (+/) and URL-safe (-_) alphabets');
    expect(refused('aGVsbB==')).toBe('has non-zero bits after its last byte (not canonical base64)');
    expect(refused('aGVsbG9=')).toBe('has non-zero bits after its last byte (not canonical base64)');
    expect(decoded('aGVsbG8=')).toBe(Buffer.from('hello').toString('hex'));
  });

  test('agrees with Node on every canonical encoding of random bytes', () => {
    for (let length = 0; length < 64; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 97 + length * 13) & 0xff));
      expect(decoded(bytes.toString('base64'))).toBe(bytes.toString('hex'));
      expect(decoded(bytes.toString('base64url'))).toBe(bytes.toString('hex'));
    }
  });
});
