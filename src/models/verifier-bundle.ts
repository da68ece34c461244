/**
 * The project's verifier as the cluster runs it: verifier-program.ts (the deploy gate's commands and
 * the training task's input check) and the verify library it imports, the Sigstore code included,
 * bundled by program-bundle.ts into CommonJS files that ConfigMaps ship (verifier-config-maps.ts) and
 * a stock, digest-pinned Node.js image runs. One bundle for every Task that verifies in the cluster:
 * no image for the user to build, and no second verifier to disagree with `slsa-for-models verify`.
 * `yaml` (PipelineRuns are fetched as JSON) and `hash-wasm` (blake3, 280 KB; what the cluster checks
 * is sha256 or blake2b) are refused. With the Sigstore code the table is about 450 KB, more than one
 * ConfigMap can carry, so it ships in parts (see program-bundle.ts).
 */
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { bundleProgram, ProgramBundle, writeProgramBundle } from './program-bundle';

export { MAX_PART_BYTES } from './program-bundle';

/** The ConfigMap that ships the entry, and its key (the entry's file name); part N (2, 3, ...) is `<name>-N`, key `verifier-N.js`. */
export const VERIFIER_CONFIG_MAP = { name: 'slsa-for-models-verifier', key: 'verifier.js' } as const;

/** The name of the ConfigMap holding a file of the bundle. */
export function verifierConfigMapName(fileName: string): string {
  const part = /^verifier-([0-9]+)\.js$/.exec(fileName);
  return part === null ? VERIFIER_CONFIG_MAP.name : `${VERIFIER_CONFIG_MAP.name}-${part[1]}`;
}

/** Modules the cluster's verifier never needs, replaced by one that throws when loaded. */
const REFUSED_MODULES: Record<string, string> = {
  yaml: 'the verifier in the cluster reads PipelineRuns as JSON only (yaml is not bundled)',
  'hash-wasm': 'the verifier in the cluster hashes with sha256 and blake2b; blake3 (hash-wasm) is not bundled',
};

/** The bundled verifier: its files, the entry first, and the entry's sha256 (which pins every part). */
export type VerifierBundle = ProgramBundle;

let cached: VerifierBundle | undefined;

/** The bundle of `lib/src/models/verifier-program.js` (built by `npm run build`). */
export function verifierBundle(libRoot: string = path.join(PACKAGE_ROOT, 'lib')): VerifierBundle {
  if (cached !== undefined && libRoot === path.join(PACKAGE_ROOT, 'lib')) return cached;
  const bundle = bundleProgram({
    libRoot,
    entry: 'src/models/verifier-program.js',
    entryFile: VERIFIER_CONFIG_MAP.key,
    what: 'verifier',
    madeBy: 'src/models/verifier-bundle.ts',
    refused: REFUSED_MODULES,
    reapply: 'kubectl apply -f dist',
  });
  if (libRoot === path.join(PACKAGE_ROOT, 'lib')) cached = bundle;
  return bundle;
}

/** Writes the bundle's files into `directory` (as the ConfigMaps mount them); returns the entry's path. */
export const writeVerifierBundle = writeProgramBundle;
