// The one digest a model's provenance and its OMS signature can share: for a directory, the OMS
// root digest (what `slsa-for-models digest` prints); for a single file, its own sha256 (the
// subject cosign and today's upload task record; the OMS root of one file is the sha256 of
// that sha256, so a single-file model's two signatures name different digests).
import { stat } from 'node:fs/promises';
import { describeFileError } from '../file-error';
import { sha256OfFile } from '../model-digest';
import { UnreadableInputError } from '../verification-errors';
import { serializeModel, SerializeModelOptions } from './serialize-model';

/** The subject digest of a model, and which rule gave it. */
export interface ModelSubjectDigest {
  /** Lowercase hex sha256. */
  readonly sha256: string;
  /** `file`: the file's sha256; `directory`: the OMS root digest over its files. */
  readonly kind: 'file' | 'directory';
}

/**
 * The digest a provenance subject names for `modelPath`: a file's sha256, or a directory's OMS
 * root digest (files/sha256, git files left out, plus `ignorePaths` relative to the model root).
 */
export async function modelSubjectDigest(
  modelPath: string,
  options: Pick<SerializeModelOptions, 'ignorePaths' | 'ignoreGitPaths' | 'onProgress'> = {},
): Promise<ModelSubjectDigest> {
  let directory: boolean;
  try {
    directory = (await stat(modelPath)).isDirectory();
  } catch (err) {
    throw new UnreadableInputError(`cannot read model ${modelPath}: ${describeFileError(err)}`);
  }
  if (!directory)
    return { sha256: (await sha256OfFile(modelPath, options.onProgress ? { onProgress: options.onProgress } : {})).sha256, kind: 'file' };
  return { sha256: (await serializeModel(modelPath, options)).rootDigest, kind: 'directory' };
}
