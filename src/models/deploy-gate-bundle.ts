/**
 * The deploy gate's program (deploy-gate-program.ts) and the verify library it imports, the Sigstore
 * code of its transparency log check included, bundled by program-bundle.ts into a few CommonJS files
 * that ConfigMaps ship and a stock, digest-pinned Node.js image runs: no image for the user to build,
 * and no second verifier to disagree with `slsa-for-models verify`. `yaml` (PipelineRuns given as
 * YAML; the gate fetches JSON) and `hash-wasm` (blake3, 280 KB; OMS signatures the gate checks are
 * sha256) are refused. With the Sigstore code the table is about 440 KB, more than one ConfigMap can
 * carry, so it ships in parts (see program-bundle.ts).
 */
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { bundleProgram, ProgramBundle, writeProgramBundle } from './program-bundle';

export { MAX_PART_BYTES } from './program-bundle';

/** The file name of the entry part; the others are `deploy-gate-2.js`, `deploy-gate-3.js`, ... */
export const ENTRY_FILE = 'deploy-gate.js';

/** Modules the gate never needs, replaced by one that throws when loaded. */
const REFUSED_MODULES: Record<string, string> = {
  yaml: 'the deploy gate reads PipelineRuns as JSON only (yaml is not bundled)',
  'hash-wasm': 'the deploy gate hashes with sha256 only (a directory model: its OMS root digest); blake3 (hash-wasm) is not bundled',
};

/** The bundled deploy gate: its files, the entry first, and the entry's sha256. */
export type DeployGateBundle = ProgramBundle;

let cached: DeployGateBundle | undefined;

/** The bundle of `lib/src/models/deploy-gate-program.js` (built by `npm run build`). */
export function deployGateBundle(libRoot: string = path.join(PACKAGE_ROOT, 'lib')): DeployGateBundle {
  if (cached !== undefined && libRoot === path.join(PACKAGE_ROOT, 'lib')) return cached;
  const bundle = bundleProgram({
    libRoot,
    entry: 'src/models/deploy-gate-program.js',
    entryFile: ENTRY_FILE,
    what: 'deploy gate',
    madeBy: 'src/models/deploy-gate-bundle.ts',
    refused: REFUSED_MODULES,
    reapply: 'kubectl apply -f dist/deploy',
  });
  if (libRoot === path.join(PACKAGE_ROOT, 'lib')) cached = bundle;
  return bundle;
}

/** Writes the bundle's files into `directory` (as the ConfigMaps mount them); returns the entry's path. */
export const writeDeployGateBundle = writeProgramBundle;
