/**
 * Bundles the deploy gate's program (deploy-gate-program.ts) and the verify library it imports into
 * one CommonJS file, so a ConfigMap can ship the project's own verifier and a stock, digest-pinned
 * Node.js image can run it: no image for the user to build, and no second verifier to disagree with
 * `slsa-for-models verify`.
 *
 * The bundle is made from the compiled JavaScript under `lib/src/` (what `npm run synth` runs): each
 * module a function in a table keyed by its path, every `require("...")` resolved at bundle time as
 * Node would resolve it from that file (relative paths and packages in node_modules, JSON included),
 * Node's built-ins passed through, and three lazily loaded parts the gate does not use replaced by a
 * module that refuses: `yaml` (PipelineRuns given as YAML; the gate fetches JSON), the Sigstore
 * steps (transparency log and bundles; the gate verifies with the published key, as
 * `--insecure-ignore-tlog`), which would bring four npm packages and 370 KB, and hash-wasm (blake3,
 * 280 KB; a directory model's root digest is sha256). Modules are sorted by path, so
 * the same sources give the same bytes; the step checks the file's sha256 before running it.
 */
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { bundleProgram, ProgramBundle } from './program-bundle';

export { MAX_BUNDLE_BYTES } from './program-bundle';

/** Modules the gate never needs, replaced by one that throws when loaded. */
const REFUSED_MODULES: Record<string, string> = {
  yaml: 'the deploy gate reads PipelineRuns as JSON only (yaml is not bundled)',
  './sigstore/sigstore-steps': 'the deploy gate does not check a transparency log or Sigstore bundles (no Sigstore code is bundled)',
  'hash-wasm': 'the deploy gate hashes with sha256 only (a directory model: its OMS root digest); blake3 (hash-wasm) is not bundled',
};

/** The bundled deploy gate and its sha256. */
export type DeployGateBundle = ProgramBundle;

let cached: DeployGateBundle | undefined;

/** The bundle of `lib/src/models/deploy-gate-program.js` (built by `npm run build`). */
export function deployGateBundle(libRoot: string = path.join(PACKAGE_ROOT, 'lib')): DeployGateBundle {
  if (cached !== undefined && libRoot === path.join(PACKAGE_ROOT, 'lib')) return cached;
  const bundle = bundleProgram({
    libRoot,
    entry: 'src/models/deploy-gate-program.js',
    what: 'deploy gate',
    madeBy: 'src/models/deploy-gate-bundle.ts',
    refused: REFUSED_MODULES,
  });
  if (libRoot === path.join(PACKAGE_ROOT, 'lib')) cached = bundle;
  return bundle;
}
