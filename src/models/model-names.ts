/**
 * The model formats the upstream training entry point (`slsa_for_models/main.py` of
 * sigstore/model-transparency) can write; each is also the name of the file it writes. The last,
 * ours, names a directory model (several files, e.g. weights and a config): its subject is the
 * directory's OMS root digest (src/verify/oms/model-subject.ts).
 */

/** Every model name `main.py` accepts, TensorFlow first, as upstream lists them. */
export const MODEL_NAMES = [
  'tensorflow_model.keras',
  'tensorflow_hdf5_model.h5',
  'tensorflow_hdf5.weights.h5',
  'pytorch_model.pth',
  'pytorch_full_model.pth',
  'pytorch_jitted_model.pt',
  'pytorch_model_directory',
] as const;

/** A model name (and file name) the training entry point accepts. */
export type ModelName = (typeof MODEL_NAMES)[number];
