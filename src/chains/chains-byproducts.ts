// The reading side of the byproducts Chains v0.29.2 writes for a PipelineRun's results (the
// writing side is chains-provenance.ts): which `*ARTIFACT_INPUTS` result a resolved dependency
// came from. Chains names every resolved input `inputs/result`; only the byproducts keep the
// result's name, so a policy that asks for the input `base-model` reads it here.
import { parseChainsDigest, TYPE_HINT_NAMES } from './type-hint-names';

/** The byproduct name prefix of a PipelineRun's results: `pipelineRunResults/<result>` (slsa/v2alpha3) or `pipelineRunResults/<run name>/<result>` (slsa/v2alpha4). */
export const PIPELINE_RUN_RESULTS_BYPRODUCT = 'pipelineRunResults';

/** A PipelineRun's `*ARTIFACT_INPUTS` result as a byproduct records it. */
export interface RecordedInputResult {
  /** The result's name, e.g. `base-model_ARTIFACT_INPUTS`. */
  readonly result: string;
  /** What the result names: `base-model` (the name before `_ARTIFACT_INPUTS` or `-ARTIFACT_INPUTS`). */
  readonly name: string;
  /** Its `uri`. */
  readonly uri: string;
  /** Its digest, algorithm to hex (one entry), when Chains would accept it; else empty. */
  readonly digest: Readonly<Record<string, string>>;
}

/**
 * The PipelineRun's `*ARTIFACT_INPUTS` results among `runDetails.byproducts` (a SLSA v1.0
 * statement's, as Chains v0.29.2 writes them: `{name, content: base64(JSON), mediaType}`).
 * Undefined when the statement records no byproducts at all (Chains' SLSA v0.2 formats).
 */
export function inputResultsOfByproducts(byproducts: unknown): RecordedInputResult[] | undefined {
  if (!Array.isArray(byproducts)) return undefined;
  const out: RecordedInputResult[] = [];
  for (const entry of byproducts) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { name, content } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof content !== 'string') continue;
    const parts = name.split('/');
    if (parts[0] !== PIPELINE_RUN_RESULTS_BYPRODUCT || parts.length < 2 || parts.length > 3) continue;
    const result = parts[parts.length - 1];
    if (!result.endsWith(TYPE_HINT_NAMES.artifactInputs)) continue;
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(content, 'base64').toString('utf8'));
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const { uri, digest } = value as Record<string, unknown>;
    // an input not given is written empty; Chains resolves no dependency from it either
    if (typeof uri !== 'string' || typeof digest !== 'string' || uri === '') continue;
    const parsed = parseChainsDigest(digest);
    const stem = result.slice(0, -TYPE_HINT_NAMES.artifactInputs.length);
    out.push({
      result,
      name: /[-_]$/.test(stem) ? stem.slice(0, -1) : stem,
      uri,
      digest: parsed ? { [parsed.algorithm]: parsed.hex } : {},
    });
  }
  return out;
}
