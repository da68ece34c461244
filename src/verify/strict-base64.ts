/** The outcome of a strict base64 decoding: the bytes, or why the text is not base64. */
export type Base64Decoding = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly error: string };

const STANDARD_ONLY = /[+/]/;
const URL_SAFE_ONLY = /[-_]/;
const ALPHABET = /^[A-Za-z0-9+/_-]*$/;

/**
 * Decodes base64 strictly, as DSSE allows it: the standard alphabet (`+/`) or the URL-safe one
 * (`-_`), not a mix; `=` padding optional, but when present it must complete the last group of 4.
 * Line breaks (`\r`, `\n`) are skipped as Go's decoder does; any other character outside the
 * alphabet, a length no encoder produces, and non-zero leftover bits are refused.
 * Node's `Buffer.from(text, 'base64')` silently drops such junk; this never does.
 */
export function decodeStrictBase64(text: string): Base64Decoding {
  if (typeof text !== 'string') return { ok: false, error: 'is not a string' };
  const compact = text.indexOf('\n') === -1 && text.indexOf('\r') === -1 ? text : text.replace(/[\r\n]/g, '');
  let end = compact.length;
  while (end > 0 && compact.charCodeAt(end - 1) === 0x3d /* = */) end--;
  const padding = compact.length - end;
  const body = padding === 0 ? compact : compact.slice(0, end);
  if (!ALPHABET.test(body)) {
    const at = firstInvalidCharacter(body);
    return { ok: false, error: `has an invalid character ${JSON.stringify(body[at])} at offset ${at}` };
  }
  if (STANDARD_ONLY.test(body) && URL_SAFE_ONLY.test(body)) {
    return { ok: false, error: 'mixes the standard (+/) and URL-safe (-_) alphabets' };
  }
  const remainder = body.length % 4;
  if (remainder === 1) return { ok: false, error: `has a length (${body.length} characters without padding) no base64 encoder produces` };
  if (padding > 0 && (padding > 2 || compact.length % 4 !== 0)) {
    return { ok: false, error: `has ${padding} padding characters where ${remainder === 0 ? 0 : 4 - remainder} are needed` };
  }
  if (remainder !== 0) {
    const last = sextet(body.charCodeAt(body.length - 1));
    const unusedBits = remainder === 2 ? 0x0f : 0x03;
    if ((last & unusedBits) !== 0) return { ok: false, error: 'has non-zero bits after its last byte (not canonical base64)' };
  }
  return { ok: true, bytes: Buffer.from(body, 'base64') };
}

function firstInvalidCharacter(body: string): number {
  for (let i = 0; i < body.length; i++) {
    if (!ALPHABET.test(body[i])) return i;
  }
  return 0;
}

function sextet(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 26;
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 52;
  if (code === 0x2b || code === 0x2d) return 62;
  return 63;
}
