/**
 * Tekton Chains v0.29.2 type hinting: which results of a TaskRun or PipelineRun become attestation
 * subjects, which become resolved dependencies (materials), and which end up as byproducts, under each
 * payload format. Mirrors `pkg/artifacts/signable.go`, `pkg/artifacts/structured.go`,
 * `pkg/chains/formats/slsa/extract/extract.go`, `.../internal/material/material.go` and
 * `.../internal/results/results.go` at tag v0.29.2 (deep inspection off: only the run's own results).
 *
 * One table, {@link CHAINS_CONVENTIONS} (the names, how they match, the type read, the role under each
 * format), drives two entry points:
 * - on declared results (names, types, the keys an object result sets): `typeHintsOfDeclaredResults`,
 *   for synth-time checks such as "no result would become a subject";
 * - on actual values: `subjectsFromResults`, `materialsFromParamsAndResults`, `byproductResults`,
 *   for building the provenance Chains would sign.
 * Both match names through `matchName`/`pairsOf`; neither spells a suffix of its own.
 */
import { parseOciDigestReference } from './oci-reference';
import { parseChainsDigest, TYPE_HINT_NAMES } from './type-hint-names';

export { parseChainsDigest, TYPE_HINT_NAMES } from './type-hint-names';

/** A Chains payload format for TaskRuns and PipelineRuns (`artifacts.pipelinerun.format`). */
export type ChainsFormat = 'in-toto' | 'slsa/v1' | 'slsa/v2alpha3' | 'slsa/v2alpha4';

/** Every Chains v0.29.2 in-toto payload format, in the order Chains lists them. */
export const CHAINS_FORMATS: readonly ChainsFormat[] = ['in-toto', 'slsa/v1', 'slsa/v2alpha3', 'slsa/v2alpha4'];

/** The value of a Tekton result: a string, an array of strings, or an object of strings. */
export type ResultValue = string | readonly string[] | Readonly<Record<string, string>>;

/** A result of a finished run, as in `status.results` (name and value). */
export interface ResultWithValue {
  /** The result's name. */
  readonly name: string;
  /** The result's value. */
  readonly value: ResultValue;
}

/** An in-toto resource descriptor reduced to what type hinting produces: a name or uri and a digest set. */
export interface HintedArtifact {
  /** For subjects the `name`, for materials the `uri`. */
  readonly uri: string;
  /** Algorithm → hex, e.g. `{ sha256: "…" }`. */
  readonly digest: Readonly<Record<string, string>>;
}

/** One of the type-hinting conventions Chains v0.29.2 reads. */
export type TypeHintConvention =
  | 'IMAGE_URL/IMAGE_DIGEST'
  | 'IMAGES'
  | 'ARTIFACT_URI/ARTIFACT_DIGEST'
  | 'ARTIFACT_OUTPUTS'
  | 'ARTIFACT_INPUTS'
  | 'CHAINS-GIT_URL/CHAINS-GIT_COMMIT';

const N = TYPE_HINT_NAMES;

/** What Chains makes of a convention under a format. */
export type TypeHintRole =
  /** an attestation subject */
  | 'subject'
  /** a subject when the object sets `isBuildArtifact: "true"`, else a byproduct (`slsa/v2alpha4`'s `*ARTIFACT_OUTPUTS`) */
  | 'subject-if-build-artifact'
  /** a resolved dependency (material) */
  | 'material'
  /** not read as a subject or material: a byproduct where the format records byproducts */
  | 'ignored';

/** One Chains type-hinting convention: the names it matches, the type it reads, and its role under each format. */
export interface ChainsConvention {
  /** Which convention. */
  readonly convention: TypeHintConvention;
  /** How results are matched: a name suffix, an exact name, or a pair of either (uri/url first, digest/commit second). */
  readonly match: 'suffix' | 'exact' | 'suffix-pair' | 'exact-pair';
  /** The suffix or name (two for a pair). */
  readonly names: readonly string[];
  /** The result type Chains reads it from. */
  readonly accepts: 'string' | 'object';
  /** The role under each format. */
  readonly roles: Readonly<Record<ChainsFormat, TypeHintRole>>;
}

const EVERY_FORMAT = <R extends TypeHintRole>(role: R): Readonly<Record<ChainsFormat, R>> => ({
  'in-toto': role,
  'slsa/v1': role,
  'slsa/v2alpha3': role,
  'slsa/v2alpha4': role,
});

/**
 * The conventions Chains v0.29.2 reads (deep inspection off), one row each: what both the extraction
 * (subjects, materials and byproducts from values) and the prediction (from declared results) follow.
 */
export const CHAINS_CONVENTIONS: readonly ChainsConvention[] = [
  {
    convention: 'IMAGE_URL/IMAGE_DIGEST',
    match: 'suffix-pair',
    names: [N.imageUrl, N.imageDigest],
    accepts: 'string',
    roles: EVERY_FORMAT('subject'),
  },
  { convention: 'IMAGES', match: 'exact', names: [N.images], accepts: 'string', roles: EVERY_FORMAT('subject') },
  {
    convention: 'ARTIFACT_URI/ARTIFACT_DIGEST',
    match: 'suffix-pair',
    names: [N.artifactUri, N.artifactDigest],
    accepts: 'string',
    roles: { 'in-toto': 'subject', 'slsa/v1': 'subject', 'slsa/v2alpha3': 'subject', 'slsa/v2alpha4': 'ignored' },
  },
  {
    convention: 'ARTIFACT_OUTPUTS',
    match: 'suffix',
    names: [N.artifactOutputs],
    accepts: 'object',
    roles: { 'in-toto': 'subject', 'slsa/v1': 'subject', 'slsa/v2alpha3': 'subject', 'slsa/v2alpha4': 'subject-if-build-artifact' },
  },
  { convention: 'ARTIFACT_INPUTS', match: 'suffix', names: [N.artifactInputs], accepts: 'object', roles: EVERY_FORMAT('material') },
  {
    convention: 'CHAINS-GIT_URL/CHAINS-GIT_COMMIT',
    match: 'exact-pair',
    names: [N.gitUrl, N.gitCommit],
    accepts: 'string',
    roles: EVERY_FORMAT('material'),
  },
];

/** The row of `convention` in {@link CHAINS_CONVENTIONS}. */
function conventionRow(convention: TypeHintConvention): ChainsConvention {
  return CHAINS_CONVENTIONS.find((c) => c.convention === convention)!;
}

/** The role of `convention` under `format`. */
export function typeHintRole(convention: TypeHintConvention, format: ChainsFormat): TypeHintRole {
  return conventionRow(convention).roles[format];
}

/** Which of its names a param or result name matches under a convention's row: the name's part (0: the uri or url, or the only name; 1: the digest or commit) and the marker before a suffix. */
interface NameMatch {
  readonly part: 0 | 1;
  readonly marker: string;
}

/** How `name` matches `convention` (by suffix or exactly, as its row says), or undefined. */
function matchName(convention: TypeHintConvention, name: string): NameMatch | undefined {
  const row = conventionRow(convention);
  const exact = row.match === 'exact' || row.match === 'exact-pair';
  for (const part of [0, 1] as const) {
    const n = row.names[part];
    if (n !== undefined && (exact ? name === n : name.endsWith(n))) return { part, marker: name.slice(0, name.length - n.length) };
  }
  return undefined;
}

/** True when `name` is one a convention reads (an `IMAGES`, a `*ARTIFACT_OUTPUTS`, either half of a pair). */
export function matchesConvention(convention: TypeHintConvention, name: string): boolean {
  return matchName(convention, name) !== undefined;
}

/**
 * The results of a pair convention grouped by marker, in first-seen order: `[first, second]` (uri or url,
 * digest or commit), the later of two for one half winning, as Chains reads them. Results `take` refuses
 * are passed over.
 */
function pairsOf<T extends { readonly name: string }>(
  results: readonly T[],
  convention: TypeHintConvention,
  take: (result: T) => boolean = () => true,
): { readonly marker: string; readonly parts: readonly [T | undefined, T | undefined] }[] {
  const groups = new Map<string, [T | undefined, T | undefined]>();
  for (const result of results) {
    const match = matchName(convention, result.name);
    if (!match || !take(result)) continue;
    const parts = groups.get(match.marker) ?? [undefined, undefined];
    parts[match.part] = result;
    groups.set(match.marker, parts);
  }
  return [...groups].map(([marker, parts]) => ({ marker, parts }));
}

/** True for the formats that write SLSA v1.0 provenance (`buildDefinition`/`runDetails`). */
export function isSlsaV1Format(format: ChainsFormat): boolean {
  return format === 'slsa/v2alpha3' || format === 'slsa/v2alpha4';
}

/** Chains builds the digest set from the raw `alg:hex` split (the validated copy is trimmed; the written one is not). */
function rawDigestSet(digest: string): Record<string, string> {
  const [algorithm, hex] = digest.split(':');
  return { [algorithm]: hex };
}

function isObjectValue(value: ResultValue): value is Readonly<Record<string, string>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringValue(value: ResultValue): string {
  return typeof value === 'string' ? value : '';
}

/** `res.Value.ObjectVal["key"]` in Go: the empty string when absent or not an object. */
function objectKey(value: ResultValue, key: string): string {
  if (!isObjectValue(value)) return '';
  const v = value[key];
  return typeof v === 'string' ? v : '';
}

/** Chains' isValidArtifactOutput: uri and digest set, digest parses. */
function isValidArtifactObject(value: ResultValue): boolean {
  return objectKey(value, 'uri') !== '' && objectKey(value, 'digest') !== '' && parseChainsDigest(objectKey(value, 'digest')) !== undefined;
}

/**
 * True when the result is a `*ARTIFACT_OUTPUTS` object marked `isBuildArtifact: "true"` with a uri and a valid
 * digest: the only structured output `slsa/v2alpha4` makes a subject (Chains' `IsBuildArtifact`).
 */
export function isBuildArtifact(result: ResultWithValue): boolean {
  if (!matchesConvention('ARTIFACT_OUTPUTS', result.name)) return false;
  if (!isObjectValue(result.value)) return false;
  if (objectKey(result.value, N.isBuildArtifact) !== 'true') return false;
  return isValidArtifactObject(result.value);
}

/** Subject/material lists merge like Chains' AppendSubjects: same name and one common digest → merged. */
function appendArtifacts(list: HintedArtifact[], item: HintedArtifact): HintedArtifact[] {
  for (let i = 0; i < list.length; i++) {
    const existing = list[i];
    if (existing.uri !== item.uri) continue;
    const common = Object.entries(existing.digest).some(([alg, hex]) => item.digest[alg] === hex);
    if (common) {
      list[i] = { uri: existing.uri, digest: { ...existing.digest, ...item.digest } };
      return list;
    }
  }
  list.push(item);
  return list;
}

/** The complete pairs of a pair convention's string results (trimmed, non-empty), by marker, in first-seen order. */
function valuePairs(results: readonly ResultWithValue[], convention: TypeHintConvention): { uri: string; digest: string }[] {
  const value = (result: ResultWithValue | undefined): string => (result ? stringValue(result.value).trim() : '');
  return pairsOf(results, convention, (result) => value(result) !== '')
    .map(({ parts: [uri, digest] }) => ({ uri: value(uri), digest: value(digest) }))
    .filter((p) => p.uri !== '' && p.digest !== '');
}

/** Chains' ExtractOCIImagesFromResults: IMAGE_URL/IMAGE_DIGEST pairs, then IMAGES, then image-shaped build artifacts. */
function ociImageSubjects(results: readonly ResultWithValue[]): HintedArtifact[] {
  const subjects: HintedArtifact[] = [];
  const seen = new Set<string>();
  const add = (reference: string): void => {
    const parsed = parseOciDigestReference(reference);
    if (!parsed) return;
    const key = `${parsed.repository}@sha256:${parsed.sha256}`;
    if (seen.has(key)) return;
    seen.add(key);
    appendArtifacts(subjects, { uri: parsed.repository, digest: { sha256: parsed.sha256 } });
  };
  for (const pair of valuePairs(results, 'IMAGE_URL/IMAGE_DIGEST')) add(`${pair.uri}@${pair.digest}`);
  for (const result of results) {
    if (!matchesConvention('IMAGES', result.name)) continue;
    for (const image of stringValue(result.value).split(/[\n,]/)) {
      if (image.trim() !== '') add(image.trim());
    }
  }
  for (const result of results) {
    if (isBuildArtifact(result)) add(`${objectKey(result.value, 'uri')}@${objectKey(result.value, 'digest')}`);
  }
  return subjects;
}

/**
 * The subjects Chains v0.29.2 derives from these results under `format` (deep inspection off).
 * - `slsa/v2alpha4`: `*ARTIFACT_OUTPUTS` objects with `isBuildArtifact: "true"`, then OCI images
 *   (`*IMAGE_URL`+`*IMAGE_DIGEST`, `IMAGES`).
 * - `in-toto`, `slsa/v1`, `slsa/v2alpha3`: OCI images, `*ARTIFACT_URI`+`*ARTIFACT_DIGEST` pairs, and every
 *   `*ARTIFACT_OUTPUTS` object with uri and digest.
 * Digests must be `alg:hex` (sha1, sha256, sha384, sha512; images sha256 only).
 */
export function subjectsFromResults(results: readonly ResultWithValue[], format: ChainsFormat): HintedArtifact[] {
  let subjects: HintedArtifact[] = [];
  const outputs = typeHintRole('ARTIFACT_OUTPUTS', format);
  if (outputs === 'subject-if-build-artifact') {
    // build artifacts first (Chains' v2alpha4 GetSubjectDigests), then images
    for (const result of results) {
      if (isBuildArtifact(result)) {
        appendArtifacts(subjects, { uri: objectKey(result.value, 'uri'), digest: rawDigestSet(objectKey(result.value, 'digest')) });
      }
    }
    for (const image of ociImageSubjects(results)) subjects = appendArtifacts(subjects, image);
  } else {
    subjects = ociImageSubjects(results);
  }
  if (typeHintRole('ARTIFACT_URI/ARTIFACT_DIGEST', format) === 'subject') {
    for (const pair of valuePairs(results, 'ARTIFACT_URI/ARTIFACT_DIGEST')) {
      if (parseChainsDigest(pair.digest) === undefined) continue;
      appendArtifacts(subjects, { uri: pair.uri, digest: rawDigestSet(pair.digest) });
    }
  }
  if (outputs === 'subject') {
    for (const result of results) {
      if (!matchesConvention('ARTIFACT_OUTPUTS', result.name) || !isObjectValue(result.value) || !isValidArtifactObject(result.value))
        continue;
      appendArtifacts(subjects, { uri: objectKey(result.value, 'uri'), digest: rawDigestSet(objectKey(result.value, 'digest')) });
    }
  }
  return subjects;
}

/** `git+` prefix and `.git` suffix as Chains' SPDXGit writes a git source uri. */
export function spdxGitUri(url: string): string {
  let uri = url.startsWith('git+') ? url : `git+${url}`;
  if (!uri.endsWith('.git')) uri = `${uri}.git`;
  return uri;
}

/** Where Chains looks for `CHAINS-GIT_*` and structured inputs of a run. */
export interface TypeHintInputs {
  /** Declared params with their string defaults (`status.pipelineSpec.params` or `status.taskSpec.params`). */
  readonly paramDefaults?: readonly { readonly name: string; readonly default?: ResultValue }[];
  /** The run's params (`spec.params`). */
  readonly params?: readonly { readonly name: string; readonly value: ResultValue }[];
  /** The run's results (`status.results`). */
  readonly results: readonly ResultWithValue[];
}

/**
 * The materials (resolved dependencies named `inputs/result`) Chains v0.29.2 derives from a run's params and
 * results: first every `*ARTIFACT_INPUTS` object result with uri and a valid digest, then one git source
 * `{uri: git+URL.git, digest: {sha1: COMMIT}}` when `CHAINS-GIT_URL` and `CHAINS-GIT_COMMIT` are both found
 * (param defaults, overridden by run params, overridden by results). The same for every format.
 */
export function materialsFromParamsAndResults(inputs: TypeHintInputs): HintedArtifact[] {
  const materials: HintedArtifact[] = [];
  for (const result of inputs.results) {
    if (!matchesConvention('ARTIFACT_INPUTS', result.name) || !isObjectValue(result.value)) continue;
    const uri = objectKey(result.value, 'uri');
    const digest = objectKey(result.value, 'digest');
    if (uri === '' || digest === '') continue;
    const parsed = parseChainsDigest(digest);
    if (!parsed) continue;
    appendArtifacts(materials, { uri, digest: { [parsed.algorithm]: parsed.hex } });
  }
  let commit = '';
  let url = '';
  const take = (name: string, value: ResultValue | undefined): void => {
    const match = matchName('CHAINS-GIT_URL/CHAINS-GIT_COMMIT', name);
    if (value === undefined || !match) return;
    if (match.part === 1) commit = stringValue(value);
    else url = stringValue(value);
  };
  for (const p of inputs.paramDefaults ?? []) take(p.name, p.default);
  for (const p of inputs.params ?? []) take(p.name, p.value);
  for (const r of inputs.results) take(r.name, r.value);
  if (commit !== '' && url !== '') appendArtifacts(materials, { uri: spdxGitUri(url), digest: { sha1: commit } });
  return materials;
}

/**
 * The results Chains v0.29.2 records as `runDetails.byproducts` of a SLSA v1.0 format: under `slsa/v2alpha3`
 * every result; under `slsa/v2alpha4` every result except build artifacts (and malformed `*ARTIFACT_OUTPUTS`
 * strings) and image results (`*IMAGE_URL`, `*IMAGE_DIGEST`, `IMAGES`). Empty for SLSA v0.2 formats.
 */
export function byproductResults(results: readonly ResultWithValue[], format: ChainsFormat): ResultWithValue[] {
  if (format === 'slsa/v2alpha3') return [...results];
  if (format !== 'slsa/v2alpha4') return [];
  const images = CHAINS_CONVENTIONS.filter(
    (c) => c.roles[format] === 'subject' && (c.convention === 'IMAGE_URL/IMAGE_DIGEST' || c.convention === 'IMAGES'),
  );
  const isImageResult = (name: string): boolean => images.some((c) => matchesConvention(c.convention, name));
  return results.filter((result) => {
    if (matchesConvention('ARTIFACT_OUTPUTS', result.name) && typeHintRole('ARTIFACT_OUTPUTS', format) === 'subject-if-build-artifact') {
      if (!isObjectValue(result.value)) return false;
      if (objectKey(result.value, N.isBuildArtifact) === 'true') return false;
    }
    return !isImageResult(result.name);
  });
}

/** A result as declared (a Pipeline's `spec.results` or a Task's), before any run. */
export interface DeclaredResult {
  /** The result's name. */
  readonly name: string;
  /** The declared type. @default 'string' */
  readonly type?: 'string' | 'array' | 'object';
  /**
   * For object results: each key the result sets, mapped to its literal value, or to `undefined` when the
   * value is only known at run time (a `$(…)` reference). Omit when unknown.
   */
  readonly keys?: Readonly<Record<string, string | undefined>>;
}

/** A convention that will fire for declared results, given well-formed values at run time. */
export interface DeclaredTypeHint {
  /** Which convention. */
  readonly convention: TypeHintConvention;
  /** What Chains makes of it. */
  readonly role: 'subject' | 'material';
  /** The results that take part (one, or a url/digest pair). */
  readonly results: readonly string[];
  /** False when it depends on a value known only at run time (e.g. `isBuildArtifact` from a reference). */
  readonly certain: boolean;
}

/** A result that looks meant for Chains but that Chains will not read as intended; `reason` names the fix. */
export interface TypeHintMiss {
  /** The result's name. */
  readonly result: string;
  /** Lowercase sentence: what is wrong and what would be right. */
  readonly reason: string;
}

/** What Chains would make of a set of declared results. */
export interface DeclaredTypeHintReport {
  /** Conventions that fire. */
  readonly hints: readonly DeclaredTypeHint[];
  /** Results that miss a convention they seem to aim at. */
  readonly misses: readonly TypeHintMiss[];
}

function typeOf(result: DeclaredResult): 'string' | 'array' | 'object' {
  return result.type ?? 'string';
}

/** Where the prediction puts what it finds. */
interface DeclaredReport {
  readonly hints: DeclaredTypeHint[];
  readonly misses: TypeHintMiss[];
}

/**
 * A pair convention over declared results: `*IMAGE_URL`/`*IMAGE_DIGEST` and `*ARTIFACT_URI`/`*ARTIFACT_DIGEST`
 * by marker (`suffix-pair`), `CHAINS-GIT_URL`/`CHAINS-GIT_COMMIT` by exact name (`exact-pair`, a git
 * source, which a param may complete). Both halves are needed, of the type the row reads.
 */
function predictPair(results: readonly DeclaredResult[], convention: TypeHintConvention, format: ChainsFormat, out: DeclaredReport): void {
  const row = conventionRow(convention);
  const gitSource = row.match === 'exact-pair';
  const role = row.roles[format];
  for (const { marker, parts } of pairsOf(results, convention)) {
    const [first, second] = parts;
    const present = (first ?? second)!;
    if (role === 'ignored') {
      out.misses.push({
        result: present.name,
        reason: `result "${present.name}" is not read by ${format}: ${row.names.join('/')} results become subjects only under in-toto, slsa/v1 and slsa/v2alpha3; declare an object result "${marker}${N.artifactOutputs}" with uri, digest and isBuildArtifact: "true" instead`,
      });
      continue;
    }
    if (!first || !second) {
      const missing = `${marker}${row.names[first ? 1 : 0]}`;
      out.misses.push({
        result: present.name,
        reason: gitSource
          ? `result "${present.name}" has no partner: chains records the git source only when "${missing}" is also a param or result`
          : `result "${present.name}" has no partner: chains pairs it with a string result "${missing}", which is not declared`,
      });
      continue;
    }
    const wrong = [first, second].find((r) => typeOf(r) !== row.accepts);
    if (wrong) {
      out.misses.push({
        result: wrong.name,
        reason: gitSource
          ? `result "${wrong.name}" is of type ${typeOf(wrong)}; chains reads the git source only from string values`
          : `result "${wrong.name}" is of type ${typeOf(wrong)}; chains reads ${convention} only from string results`,
      });
      continue;
    }
    out.hints.push({ convention, role: role as 'subject' | 'material', results: [first.name, second.name], certain: true });
  }
}

/** The `exact` convention `IMAGES` on one declared result. */
function predictImages(result: DeclaredResult, format: ChainsFormat, out: DeclaredReport): void {
  const row = conventionRow('IMAGES');
  if (typeOf(result) !== row.accepts) {
    out.misses.push({
      result: result.name,
      reason: `result "IMAGES" is of type ${typeOf(result)}; chains reads it only as a string of comma- or newline-separated image@sha256:digest references`,
    });
  } else {
    out.hints.push({ convention: 'IMAGES', role: row.roles[format] as 'subject', results: [result.name], certain: true });
  }
}

/** An object convention (`*ARTIFACT_OUTPUTS`, `*ARTIFACT_INPUTS`) on one declared result: its type, its keys, its role under `format`. */
function predictArtifactObject(result: DeclaredResult, convention: TypeHintConvention, format: ChainsFormat, out: DeclaredReport): void {
  const row = conventionRow(convention);
  const suffix = row.names[0];
  if (typeOf(result) !== row.accepts) {
    out.misses.push({
      result: result.name,
      reason: `result "${result.name}" is of type ${typeOf(result)}; chains reads *${suffix} only from object results with keys uri and digest ("alg:hex")`,
    });
    return;
  }
  const keys = result.keys;
  if (keys !== undefined) {
    const absent = ['uri', 'digest'].filter((k) => !(k in keys));
    if (absent.length > 0) {
      out.misses.push({
        result: result.name,
        reason: `result "${result.name}" does not set ${absent.join(' and ')}; chains needs both uri and digest ("alg:hex") in a *${suffix} object`,
      });
      return;
    }
    const digest = keys.digest;
    if (digest !== undefined && parseChainsDigest(digest) === undefined) {
      out.misses.push({
        result: result.name,
        reason: `result "${result.name}" has digest "${digest}", which chains cannot parse; use "alg:hex" with sha1, sha256, sha384 or sha512`,
      });
      return;
    }
  }
  const role = row.roles[format];
  if (role === 'subject' || role === 'material') {
    out.hints.push({ convention, role, results: [result.name], certain: true });
    return;
  }
  if (role !== 'subject-if-build-artifact') return;
  const marker = keys === undefined ? undefined : keys[N.isBuildArtifact];
  if (keys !== undefined && !(N.isBuildArtifact in keys)) {
    out.misses.push({
      result: result.name,
      reason: `result "${result.name}" has no isBuildArtifact key, so slsa/v2alpha4 records it as a byproduct, not a subject; set isBuildArtifact: "true"`,
    });
  } else if (marker !== undefined && marker !== 'true') {
    out.misses.push({
      result: result.name,
      reason: `result "${result.name}" sets isBuildArtifact to "${marker}", so slsa/v2alpha4 records it as a byproduct, not a subject; set isBuildArtifact: "true"`,
    });
  } else {
    out.hints.push({ convention, role: 'subject', results: [result.name], certain: marker === 'true' });
  }
}

/**
 * What Chains v0.29.2 would make of these declared results under `format`, assuming well-formed values at
 * run time: the conventions that fire (with their role) and the results that miss one (with the fix).
 * `hints.some(h => h.role === 'subject')` answers "would any result become a subject".
 *
 * The same table as the extraction drives it ({@link CHAINS_CONVENTIONS}: names, how they match, the type
 * read, the role under each format), in this order: the suffix pairs, then each result's single
 * conventions in declaration order, then the exact pairs.
 */
export function typeHintsOfDeclaredResults(results: readonly DeclaredResult[], format: ChainsFormat): DeclaredTypeHintReport {
  const out: DeclaredReport = { hints: [], misses: [] };
  const rows = (match: ChainsConvention['match']): ChainsConvention[] => CHAINS_CONVENTIONS.filter((c) => c.match === match);
  for (const row of rows('suffix-pair')) predictPair(results, row.convention, format, out);
  for (const result of results) {
    for (const row of CHAINS_CONVENTIONS) {
      if ((row.match !== 'exact' && row.match !== 'suffix') || !matchesConvention(row.convention, result.name)) continue;
      if (row.accepts === 'object') predictArtifactObject(result, row.convention, format, out);
      else predictImages(result, format, out);
    }
  }
  for (const row of rows('exact-pair')) predictPair(results, row.convention, format, out);
  return out;
}
