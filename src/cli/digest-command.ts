import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';
import { resolveIgnorePaths } from '../verify/oms/model-files';
import { serializeModel } from '../verify/oms/serialize-model';
import { AttestationRejectedError, UnreadableInputError } from '../verify/verification-errors';

const HELP = `usage: slsa-for-models digest [--ignore-paths PATH]... [--no-ignore-git-paths] [--allow-symlinks] MODEL

Prints a model's root digest as sha256:<hex>, as model_signing's "digest" command prints it: the
subject an OpenSSF Model Signing (OMS) signature of MODEL names. MODEL is a file or a directory.
Every file is hashed with sha256 (files in parallel, streamed); the root digest is the sha256 of
their digests in model_signing's order. For a directory it is also the subject digest of its SLSA
provenance (the upload task records it; \`verify ... DIR\` matches it): the provenance whose subject
has this sha256 is the directory's. A single file's provenance names the file's own sha256.

  --ignore-paths PATH    leave PATH (and all under it) out; relative to the working directory,
                         as model_signing reads it; a path outside MODEL is skipped. Repeatable.
                         A signature file inside MODEL counts unless it is left out this way.
  --no-ignore-git-paths  hash .git, .gitattributes, .github and .gitignore at the root too
  --allow-symlinks       hash a symlink as its target's content (default: refuse symlinks)

Exit status: 0 printed, 1 the model cannot be hashed (one line says why), 2 bad usage.
`;

const OPTIONS = {
  'ignore-paths': { type: 'string', repeatable: true },
  'ignore-git-paths': { type: 'boolean' },
  'no-ignore-git-paths': { type: 'boolean' },
  'allow-symlinks': { type: 'boolean' },
} as const;

/** `slsa-for-models digest`: the OMS root digest of a model directory or file. */
export const digestCommand: Command = {
  summary: "print a model's root digest (sha256:<hex>) as model_signing's digest command does",
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length !== 1) throw new UsageError(`give exactly one MODEL (got ${positionals.length})`);
    if (options['ignore-git-paths'] !== undefined && options['no-ignore-git-paths'] !== undefined) {
      throw new UsageError('give --ignore-git-paths or --no-ignore-git-paths, not both');
    }
    const model = positionals[0];
    const ignoreGitPaths = options['no-ignore-git-paths'] === true ? false : ((options['ignore-git-paths'] as boolean | undefined) ?? true);
    try {
      const serialized = await serializeModel(model, {
        ignorePaths: resolveIgnorePaths(model, (options['ignore-paths'] as string[] | undefined) ?? []),
        ignoreGitPaths,
        allowSymlinks: options['allow-symlinks'] === true,
      });
      output.stdout.write(`sha256:${serialized.rootDigest}\n`);
      return 0;
    } catch (err) {
      if (err instanceof UnreadableInputError || err instanceof AttestationRejectedError) {
        output.stderr.write(`slsa-for-models digest: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
