import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The small model project a rehearsal trains when the user names none: a git repository with a pip
 * requirements file (no packages, so `pip --require-hashes` succeeds offline) and a training entry point
 * that uses only the Python standard library and writes a deterministic file named after the model
 * format, committed with fixed author and dates so its commit id is the same on every machine.
 */

/** The model formats of the upstream example (the pipeline's `model-name` enum). */
export const MODEL_FORMATS: readonly string[] = [
  'tensorflow_model.keras',
  'tensorflow_hdf5_model.h5',
  'tensorflow_hdf5.weights.h5',
  'pytorch_model.pth',
  'pytorch_full_model.pth',
  'pytorch_jitted_model.pt',
];

/** Where the project keeps its files (relative paths, as the pipeline's `model-source` names them). */
export interface ModelProjectLayout {
  /** The requirements file. */
  readonly requirementsPath: string;
  /** The training entry point, run as `python MAIN MODEL_NAME`. */
  readonly mainPath: string;
}

/** A committed model project. */
export interface ModelProject {
  /** The repository directory. */
  readonly dir: string;
  /** `file://` URL to clone it from. */
  readonly url: string;
  /** The commit (40 hex). */
  readonly commit: string;
}

const TRAIN_PY = `"""Rehearsal training entry point: writes a small deterministic model file.

Usage: python main.py MODEL_NAME

Uses only the Python standard library so that a rehearsal needs no downloads. The bytes depend only
on MODEL_NAME, so every rehearsal of the same format produces the same file and digest.
"""
import hashlib
import sys

FORMATS = ${JSON.stringify(MODEL_FORMATS)}


def main() -> int:
    if len(sys.argv) != 2 or sys.argv[1] not in FORMATS:
        print("usage: main.py MODEL_NAME, one of: " + ", ".join(FORMATS), file=sys.stderr)
        return 2
    name = sys.argv[1]
    header = ("slsa-for-models rehearsal model\\nformat: %s\\n" % name).encode()
    weights = bytearray()
    block = hashlib.sha256(name.encode()).digest()
    while len(weights) < 4096:
        block = hashlib.sha256(block).digest()
        weights.extend(block)
    with open(name, "wb") as out:
        out.write(header + bytes(weights))
    print("trained %s (%d bytes)" % (name, len(header) + len(weights)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;

const REQUIREMENTS = `# The rehearsal model needs only the Python standard library.
# pip install --require-hashes -r this-file installs nothing and needs no network.
`;

function git(dir: string, args: string[]): string {
  const result = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'slsa-for-models rehearsal',
      GIT_AUTHOR_EMAIL: 'rehearsal@example.invalid',
      GIT_COMMITTER_NAME: 'slsa-for-models rehearsal',
      GIT_COMMITTER_EMAIL: 'rehearsal@example.invalid',
      GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  });
  if (result.error) throw new Error(`git is needed to make the model project: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`git ${args[0]} failed in ${dir}: ${(result.stderr || result.stdout).trim().split('\n').pop()}`);
  return result.stdout.trim();
}

/** Writes and commits the model project in `dir` (created; must not exist or be empty). */
export function createModelProject(dir: string, layout: ModelProjectLayout): ModelProject {
  fs.mkdirSync(dir, { recursive: true });
  for (const [relative, text] of [
    [layout.requirementsPath, REQUIREMENTS],
    [layout.mainPath, TRAIN_PY],
  ] as const) {
    const file = path.join(dir, relative);
    if (!file.startsWith(dir + path.sep)) throw new Error(`model-source path "${relative}" leaves the repository`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(
    path.join(dir, 'README.md'),
    '# Rehearsal model\n\nMade by `slsa-for-models rehearse`: a stand-in for a real training repository.\n',
  );
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--no-gpg-sign', '-m', 'rehearsal model project']);
  return { dir, url: `file://${dir}`, commit: git(dir, ['rev-parse', 'HEAD']) };
}

/** Reads an existing local repository to clone from: its `file://` URL and its HEAD commit. */
export function readModelProject(dir: string): ModelProject {
  const absolute = path.resolve(dir);
  if (!fs.existsSync(absolute)) throw new Error(`--source ${dir}: no such directory`);
  let commit: string;
  try {
    commit = git(absolute, ['rev-parse', '--verify', 'HEAD^{commit}']);
  } catch {
    throw new Error(`--source ${dir}: not a git repository with a commit; commit the model project first`);
  }
  const bare = git(absolute, ['rev-parse', '--is-bare-repository']) === 'true';
  if (!bare && fs.realpathSync(git(absolute, ['rev-parse', '--show-toplevel'])) !== fs.realpathSync(absolute)) {
    throw new Error(`--source ${dir}: not the top of a git repository; give the repository's root directory`);
  }
  return { dir: absolute, url: `file://${absolute}`, commit };
}
