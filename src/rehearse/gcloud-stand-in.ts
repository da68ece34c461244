import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';

/**
 * The cloud as the rehearsal stands it in: a `gcloud` program put first on the steps' PATH. It implements
 * `gcloud artifacts generic upload` (Artifact Registry generic repositories; `--source` or `--source-directory`) by storing the files under a
 * local directory and answering as the real command does — with `--format=json`, the finished
 * operation's response, a `GenericArtifact`
 * (`{"@type": ..., "createTime", "name": "projects/P/locations/L/repositories/R/genericArtifacts/PKG:VER",
 * "updateTime", "version"}`) — plus the read-only calls a step may make (`artifacts generic download`,
 * `config get-value`, `version`). Anything else fails with a message saying it is not stood in for.
 */

/** Environment variable naming the directory the stand-in stores artifacts in. */
export const STORE_ENV = 'SLSA_FOR_MODELS_REHEARSAL_STORE';
/** Environment variable with the project the stand-in reports when none is given. */
export const PROJECT_ENV = 'SLSA_FOR_MODELS_REHEARSAL_PROJECT';
/** The project used when neither --project, CLOUDSDK_CORE_PROJECT nor PROJECT_ENV say otherwise. */
export const DEFAULT_REHEARSAL_PROJECT = 'rehearsal-project';

interface Streams {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Where an uploaded file lives in the store. */
export function storedArtifactPath(
  store: string,
  a: { project: string; location: string; repository: string; packageId: string; version: string; file: string },
): string {
  return path.join(store, a.project, a.location, a.repository, a.packageId, a.version, a.file);
}

function parseArgs(argv: readonly string[]): { words: string[]; flags: Map<string, string | true> } {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  const valueless = new Set(['quiet', 'q', 'async', 'skip-existing', 'help', 'version']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-q') {
      flags.set('quiet', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) flags.set(name, arg.slice(eq + 1));
    else if (valueless.has(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) flags.set(name, true);
    else flags.set(name, argv[++i]);
  }
  return { words, flags };
}

function flag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function printResource(resource: Record<string, unknown>, format: string | undefined, out: Streams): void {
  if (format === 'json') {
    const sorted = Object.fromEntries(
      Object.keys(resource)
        .sort()
        .map((k) => [k, resource[k]]),
    );
    out.stdout(`${JSON.stringify(sorted, null, 2)}\n`);
  } else if (format === 'value(name)') {
    out.stdout(`${resource.name}\n`);
  } else {
    for (const key of Object.keys(resource).sort()) {
      const value = String(resource[key]);
      out.stdout(`${key}: ${/^[\w./:-]+$/.test(value) && !value.includes(': ') ? value : `'${value.replace(/'/g, "''")}'`}\n`);
    }
  }
}

const PACKAGE_ID = /^[a-zA-Z][a-zA-Z0-9.-]*[a-zA-Z0-9]$|^[a-zA-Z]$/;
const VERSION_ID = /^[a-z0-9]([a-z0-9.-]{0,126}[a-z0-9])?$/;
const FILE_NAME = /^[a-zA-Z0-9\-_.~@]+$/;

/** Runs the stand-in with gcloud's arguments; returns the exit code. */
export function runGcloudStandIn(argv: readonly string[], env: NodeJS.ProcessEnv, out: Streams): number {
  const { words, flags } = parseArgs(argv);
  const command = words.join(' ');
  const fail = (message: string, code = 1): number => {
    out.stderr(`ERROR: (gcloud${words.length ? `.${words.slice(0, 3).join('.')}` : ''}) ${message}\n`);
    return code;
  };
  const store = env[STORE_ENV];
  const project = flag(flags, 'project') ?? env.CLOUDSDK_CORE_PROJECT ?? env[PROJECT_ENV] ?? DEFAULT_REHEARSAL_PROJECT;
  if (store) fs.appendFileSync(path.join(store, 'gcloud-calls.log'), `${JSON.stringify(argv)}\n`);
  if ((flags.has('version') && words.length === 0) || command === 'version') {
    out.stdout('Google Cloud SDK (slsa-for-models rehearsal stand-in)\n');
    return 0;
  }
  if (words[0] === 'config' && words[1] === 'get-value' && words.length === 3) {
    const values: Record<string, string | undefined> = {
      project,
      'core/project': project,
      account: 'rehearsal@rehearsal-project.iam.gserviceaccount.com',
      'artifacts/location': env.CLOUDSDK_ARTIFACTS_LOCATION,
      'artifacts/repository': env.CLOUDSDK_ARTIFACTS_REPOSITORY,
    };
    const value = values[words[2]];
    if (value === undefined) out.stderr('(unset)\n');
    else out.stdout(`${value}\n`);
    return 0;
  }
  if (command === 'artifacts generic upload' || command === 'artifacts generic download') {
    if (!store) return fail(`rehearsal stand-in: ${STORE_ENV} is not set`, 1);
    const location = flag(flags, 'location') ?? env.CLOUDSDK_ARTIFACTS_LOCATION;
    const repository = flag(flags, 'repository') ?? env.CLOUDSDK_ARTIFACTS_REPOSITORY;
    const packageId = flag(flags, 'package');
    const version = flag(flags, 'version');
    for (const [name, value] of [
      ['repository', repository],
      ['location', location],
      ['package', packageId],
      ['version', version],
    ] as const) {
      if (!value) return fail(`argument --${name}: Must be specified.`, 2);
    }
    if (command === 'artifacts generic download')
      return download(
        store,
        { project, location: location!, repository: repository!, packageId: packageId!, version: version! },
        flags,
        fail,
        out,
      );
    const source = flag(flags, 'source');
    const sourceDirectory = flag(flags, 'source-directory');
    if ((source === undefined) === (sourceDirectory === undefined))
      return fail('Exactly one of (--source | --source-directory) must be specified.', 2);
    if (source !== undefined && (!fs.existsSync(source) || !fs.statSync(source).isFile()))
      return fail(`INVALID_ARGUMENT: source file ${source} does not exist or is not a file`);
    if (sourceDirectory !== undefined && (!fs.existsSync(sourceDirectory) || !fs.statSync(sourceDirectory).isDirectory()))
      return fail(`INVALID_ARGUMENT: source directory ${sourceDirectory} does not exist or is not a directory`);
    if (!PACKAGE_ID.test(packageId!))
      return fail(
        `INVALID_ARGUMENT: invalid package id "${packageId}": it must start with a letter, end with a letter or number and contain only letters, numbers, hyphens and periods`,
      );
    if (!VERSION_ID.test(version!) || version === 'latest')
      return fail(
        `INVALID_ARGUMENT: invalid version id "${version}": lowercase letters, numbers, hyphens and periods, starting and ending with a letter or number (not "latest")`,
      );
    // --source-directory: every file under it, named by its path relative to the directory (as the
    // stand-in assumes the real command names them; not checked against Artifact Registry).
    const sources: { from: string; name: string }[] =
      source !== undefined ? [{ from: source, name: path.basename(source) }] : filesUnder(sourceDirectory!);
    const destination = flag(flags, 'destination-path');
    const uploads: { from: string; fileName: string; target: string }[] = [];
    for (const { from, name } of sources) {
      const fileName = destination ? `${path.posix.normalize(destination)}/${name}` : name;
      for (const part of fileName.split('/')) {
        if (!FILE_NAME.test(part)) return fail(`INVALID_ARGUMENT: invalid file name "${fileName}": use letters, numbers and - _ . ~ @`);
      }
      const target = storedArtifactPath(store, {
        project,
        location: location!,
        repository: repository!,
        packageId: packageId!,
        version: version!,
        file: fileName,
      });
      if (fs.existsSync(target)) {
        return fail(`ALREADY_EXISTS: the file ${fileName} already exists in version ${version} of package ${packageId}`);
      }
      uploads.push({ from, fileName, target });
    }
    for (const { from, fileName, target } of uploads) {
      out.stderr(`Uploading file: ${fileName}\n`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(from, target);
    }
    const now = new Date().toISOString().replace('Z', '000Z');
    const resource = {
      '@type': 'type.googleapis.com/google.devtools.artifactregistry.v1.GenericArtifact',
      createTime: now,
      name: `projects/${project}/locations/${location}/repositories/${repository}/genericArtifacts/${packageId}:${version}`,
      updateTime: now,
      version,
    };
    printResource(resource, flag(flags, 'format'), out);
    return 0;
  }
  return fail(
    `rehearsal stand-in: "gcloud ${command}" is not stood in for (the rehearsal supports artifacts generic upload and download, config get-value, version); run it against a real project instead`,
    2,
  );
}

/** The regular files under `dir`, each with its `/`-separated path relative to it, in name order. */
function filesUnder(dir: string, prefix = ''): { from: string; name: string }[] {
  const out: { from: string; name: string }[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(dir, name));
    else if (entry.isFile()) out.push({ from: path.join(dir, name), name });
  }
  return out;
}

function download(
  store: string,
  where: { project: string; location: string; repository: string; packageId: string; version: string },
  flags: Map<string, string | true>,
  fail: (m: string, c?: number) => number,
  out: Streams,
): number {
  const destination = flag(flags, 'destination');
  if (!destination) return fail('argument --destination: Must be specified.', 2);
  const dir = path.join(store, where.project, where.location, where.repository, where.packageId, where.version);
  if (!fs.existsSync(dir)) return fail(`NOT_FOUND: version ${where.version} of package ${where.packageId} does not exist`);
  const name = flag(flags, 'name');
  const files = name ? [name] : fs.readdirSync(dir);
  for (const file of files) {
    const from = path.join(dir, file);
    if (!fs.existsSync(from)) return fail(`NOT_FOUND: file ${file} does not exist in version ${where.version}`);
    fs.mkdirSync(destination, { recursive: true });
    fs.copyFileSync(from, path.join(destination, path.basename(file)));
    out.stderr(`Downloading file: ${file}\n`);
  }
  return 0;
}

/** The compiled stand-in program, which `installGcloudStandIn` runs. */
function compiledStandIn(): string {
  if (__filename.endsWith('.js')) return __filename;
  const built = path.join(PACKAGE_ROOT, 'lib', 'src', 'rehearse', 'gcloud-stand-in.js');
  if (!fs.existsSync(built)) throw new Error(`the gcloud stand-in is not built (${built}); run npm run build`);
  return built;
}

/** Writes `binDir/gcloud`, which runs this stand-in with node and stores uploads in `store`. */
export function installGcloudStandIn(binDir: string, store: string): string {
  fs.mkdirSync(binDir, { recursive: true });
  fs.mkdirSync(store, { recursive: true });
  const file = path.join(binDir, 'gcloud');
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  fs.writeFileSync(
    file,
    `#!/bin/sh\nexport ${STORE_ENV}=${quote(store)}\nexec ${quote(process.execPath)} ${quote(compiledStandIn())} "$@"\n`,
    { mode: 0o755 },
  );
  return file;
}

if (require.main === module) {
  process.exitCode = runGcloudStandIn(process.argv.slice(2), process.env, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
