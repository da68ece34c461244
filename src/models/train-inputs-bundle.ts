/**
 * The training task's input check (train-inputs-program.ts) and the verify library it imports, as
 * one file for a ConfigMap: the same mechanism that ships the deploy gate (program-bundle.ts), so
 * the step verifies with the project's own verifier, not a second one.
 */
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { bundleProgram, ProgramBundle } from './program-bundle';

/** The ConfigMap that ships the bundle, and its key (the file name in the mounted workspace). */
export const TRAIN_INPUTS_CONFIG_MAP = { name: 'slsa-for-models-train-inputs', key: 'train-inputs.js' } as const;

/** Modules the input check never needs. */
const REFUSED_MODULES: Record<string, string> = {
  yaml: 'the training input check reads no YAML (yaml is not bundled)',
  './sigstore/sigstore-steps':
    'the training input check verifies OMS signatures with a key or a certificate chain (no Sigstore code is bundled)',
  'hash-wasm': 'the training input check hashes with sha256 and blake2b (blake3, hash-wasm, is not bundled)',
};

let cached: ProgramBundle | undefined;

/** The bundle of `lib/src/models/train-inputs-program.js` (built by `npm run build`). */
export function trainInputsBundle(libRoot: string = path.join(PACKAGE_ROOT, 'lib')): ProgramBundle {
  if (cached !== undefined && libRoot === path.join(PACKAGE_ROOT, 'lib')) return cached;
  const bundle = bundleProgram({
    libRoot,
    entry: 'src/models/train-inputs-program.js',
    entryFile: TRAIN_INPUTS_CONFIG_MAP.key,
    what: 'training input check',
    madeBy: 'src/models/train-inputs-bundle.ts',
    refused: REFUSED_MODULES,
    reapply: 'kubectl apply -f dist',
  });
  if (bundle.files.length > 1)
    throw new Error(`training input check: the bundle needs ${bundle.files.length} ConfigMaps; it is shipped in one`);
  if (libRoot === path.join(PACKAGE_ROOT, 'lib')) cached = bundle;
  return bundle;
}
