/**
 * Input that cannot be read or parsed at all: a missing file, a key that is not a public key,
 * an envelope file that is not JSON. The command exits 2 for it; the library reports it as
 * `failure: 'unreadable'`.
 */
export class UnreadableInputError extends Error {
  public constructor(message: string) {
    super(oneLine(message));
    this.name = 'UnreadableInputError';
  }
}

/**
 * Input that was read and judged not to verify: a signature that does not match, a statement
 * about another digest, a policy that is not met. The command exits 1 for it; the library
 * reports it as `failure: 'rejected'`.
 */
export class AttestationRejectedError extends Error {
  public constructor(message: string) {
    super(oneLine(message));
    this.name = 'AttestationRejectedError';
  }
}

/** C1 controls, DEL, line and paragraph separators, bidirectional controls: raw in `JSON.stringify` output. */
const RAW_IN_JSON = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';

/**
 * Characters that steer a terminal or reorder what it shows: C0 and C1 controls (ESC and CSI
 * start escape sequences; newlines break lines), DEL, line and paragraph separators, and the
 * Unicode bidirectional controls (which can make a builder id or digest read as another).
 */
const TERMINAL_CONTROLS = new RegExp(`[\\u0000-\\u001f${RAW_IN_JSON}]+`, 'g');

/**
 * The longest reason a refusal gives, in characters: a reason quotes input (keys, URIs, lists of
 * what was recorded), and a hostile input must not turn a one-line reason into megabytes.
 */
export const MAX_REASON_LENGTH = 2000;

/**
 * Collapses terminal control characters (C0 and C1 controls, newlines included; DEL; line
 * separators; bidirectional controls) to a space: messages quote input (JSON snippets, builder
 * ids, file names), and a reason must stay one line and may not drive the terminal it is printed on.
 * Past {@link MAX_REASON_LENGTH} characters the message is cut, saying how much was left out.
 */
export function oneLine(message: string): string {
  if (message.length <= MAX_REASON_LENGTH) return message.replace(TERMINAL_CONTROLS, ' ');
  const kept = message.slice(0, MAX_REASON_LENGTH - 60).replace(TERMINAL_CONTROLS, ' ');
  return `${kept}... (${message.length - (MAX_REASON_LENGTH - 60)} more characters left out)`;
}

/**
 * Replaces terminal control characters with `?`, for printing fields of a statement (one line each).
 */
export function terminalSafeText(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (match) => '?'.repeat(match.length));
}

/**
 * JSON text safe to print on a terminal: the control characters that `JSON.stringify` leaves raw
 * (C1 controls, DEL, line separators, bidirectional controls) written as `\\uXXXX` escapes,
 * which every JSON reader decodes to the same string. (C0 controls are escaped by JSON.stringify.)
 */
export function terminalSafeJson(json: string): string {
  return json.replace(new RegExp(`[${RAW_IN_JSON}]`, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
