import * as fs from 'node:fs';
import * as path from 'node:path';
import { KubernetesObject } from '../tekton-model/tekton-objects';
import { RehearsalError } from './rehearsal-error';

/**
 * The files a workspace holds when a run binds it to a ConfigMap, a Secret or a projected volume, written
 * as the kubelet writes such volumes (`pkg/volume/configmap`, `secret`, `projected`), from the objects
 * the rehearsal has. Every key becomes a file named after it, or only the `items` named, at their paths
 * (subdirectories allowed); ConfigMap `data` and base64 `binaryData`; Secret base64 `data` and
 * `stringData` (which the API server merges into `data`); file modes from the item, else the volume's
 * `defaultMode`, else 0644. A projected volume writes its sources in order.
 *
 * Where the kubelet would not start the pod, the rehearsal stops with one line: an absent object that is
 * not `optional` (an optional one is left out: the directory may end up empty), an item whose key the
 * object lacks (left out when the source is `optional`, as the kubelet does), an item path that is
 * absolute or has a `..` element (the API server refuses it). Two files at one path are refused too:
 * the API server refuses duplicate item paths in a projected volume; where whole objects collide the
 * kubelet lets the later source win, which the rehearsal refuses rather than hide. downwardAPI,
 * serviceAccountToken, clusterTrustBundle and podCertificate sources are refused: the rehearsal has no
 * pod, token or trust bundle to stand in for them, and an empty file would pass for one.
 */

/** A key written to a path, as a binding's `items` name it (Kubernetes `KeyToPath`). */
interface KeyToPath {
  readonly key?: string;
  readonly path?: string;
  readonly mode?: number;
}

/** A ConfigMap or Secret source, as a binding or a projected source has it (wire names). */
interface KeysSourceJson {
  readonly name?: string;
  readonly secretName?: string;
  readonly items?: readonly KeyToPath[];
  readonly optional?: boolean;
  readonly defaultMode?: number;
}

/** The volume sources of a PipelineRun's workspace binding that write files (wire names). */
export interface WorkspaceVolumeBinding {
  readonly configMap?: KeysSourceJson;
  readonly secret?: KeysSourceJson;
  readonly projected?: { readonly sources?: readonly Record<string, unknown>[]; readonly defaultMode?: number };
}

/** The sources a projected volume may hold; the rehearsal writes only the first two. */
const PROJECTED_SOURCES = ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken', 'clusterTrustBundle', 'podCertificate'] as const;

/** The kubelet's default file mode. */
const DEFAULT_MODE = 0o644;

/** Names the run and workspace in messages. */
interface Where {
  readonly runName: string;
  readonly workspace: string;
}

/** One file to write, with what wrote it (for the duplicate-path message). */
interface VolumeFile {
  readonly path: string;
  readonly data: Buffer;
  readonly mode: number;
  readonly from: string;
}

/**
 * Writes the files of a ConfigMap, Secret or projected binding into `dir` (which exists); any other
 * binding writes nothing. Checks everything before writing, so a refused volume writes no file.
 */
export function writeWorkspaceVolume(
  runName: string,
  workspace: string,
  binding: WorkspaceVolumeBinding,
  dir: string,
  objects: readonly KubernetesObject[],
): void {
  const where: Where = { runName, workspace };
  const files: VolumeFile[] = [];
  if (binding.configMap) {
    files.push(...keyFiles(where, 'ConfigMap', binding.configMap, 'configMap', binding.configMap.defaultMode, objects));
  } else if (binding.secret) {
    files.push(...keyFiles(where, 'Secret', binding.secret, 'secret', binding.secret.defaultMode, objects));
  } else if (binding.projected) {
    (binding.projected.sources ?? []).forEach((source, i) =>
      files.push(...projectedFiles(where, source, `projected.sources[${i}]`, binding.projected?.defaultMode, objects)),
    );
  }
  assertDistinctPaths(where, files);
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.data);
    fs.chmodSync(target, file.mode);
  }
}

/** The files of one projected source; refuses the sources the rehearsal cannot stand in for. */
function projectedFiles(
  where: Where,
  source: Record<string, unknown>,
  field: string,
  defaultMode: number | undefined,
  objects: readonly KubernetesObject[],
): VolumeFile[] {
  const set = PROJECTED_SOURCES.filter((k) => source?.[k] !== undefined && source?.[k] !== null);
  if (set.length !== 1) {
    throw new RehearsalError(
      `pipelinerun ${where.runName}: workspace "${where.workspace}" ${field} sets ${set.length ? set.join(' and ') : 'no source'}; give it exactly one of ${PROJECTED_SOURCES.join(', ')}`,
    );
  }
  const [kind] = set;
  if (kind !== 'configMap' && kind !== 'secret') {
    throw new RehearsalError(
      `pipelinerun ${where.runName}: workspace "${where.workspace}" ${field} is a ${kind} source, which the rehearsal does not rehearse (it writes configMap and secret sources only)`,
    );
  }
  const keys = source[kind] as KeysSourceJson;
  return keyFiles(where, kind === 'configMap' ? 'ConfigMap' : 'Secret', keys, field, defaultMode, objects);
}

/** The files of a ConfigMap or Secret: every key, or the items; none when it is absent and optional. */
function keyFiles(
  where: Where,
  kind: 'ConfigMap' | 'Secret',
  source: KeysSourceJson,
  field: string,
  defaultMode: number | undefined,
  objects: readonly KubernetesObject[],
): VolumeFile[] {
  const name = kind === 'Secret' && field === 'secret' ? source.secretName : source.name;
  const object = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!object) {
    if (source.optional === true) return [];
    const at = field.startsWith('projected') ? ` in ${field}` : '';
    throw new RehearsalError(
      `pipelinerun ${where.runName}: workspace "${where.workspace}" binds ${kind} "${name}"${at}, which is not among the objects`,
    );
  }
  const data = kind === 'ConfigMap' ? configMapData(where, name!, object) : secretData(where, name!, object);
  const items: readonly KeyToPath[] = source.items ?? [...data.keys()].map((key) => ({ key, path: key }));
  const files: VolumeFile[] = [];
  items.forEach((item, j) => {
    const key = item.key ?? '';
    const content = data.get(key);
    if (content === undefined) {
      if (source.optional === true) return;
      throw new RehearsalError(`pipelinerun ${where.runName}: ${kind} "${name}" has no key "${key}"`);
    }
    const fieldOfPath = source.items ? `${field}.items[${j}].path` : `${field} (${kind} "${name}" key)`;
    files.push({
      path: volumePath(where, item.path ?? '', fieldOfPath),
      data: content,
      mode: item.mode ?? defaultMode ?? DEFAULT_MODE,
      from: `${source.items ? `${field}.items[${j}]` : field} (${kind} "${name}" key "${key}")`,
    });
  });
  return files;
}

/** A ConfigMap's keys: `data` as UTF-8, `binaryData` base64-decoded. */
function configMapData(where: Where, name: string, object: KubernetesObject): Map<string, Buffer> {
  const o = object as { data?: Record<string, string>; binaryData?: Record<string, string> };
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(o.data ?? {})) data.set(key, Buffer.from(String(value), 'utf8'));
  for (const [key, value] of Object.entries(o.binaryData ?? {}))
    data.set(key, base64(where, `ConfigMap "${name}" binaryData "${key}"`, value));
  return data;
}

/** A Secret's keys: `data` base64-decoded, then `stringData` over it (as the API server stores it). */
function secretData(where: Where, name: string, object: KubernetesObject): Map<string, Buffer> {
  const o = object as { data?: Record<string, string>; stringData?: Record<string, string> };
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(o.data ?? {})) data.set(key, base64(where, `Secret "${name}" data "${key}"`, value));
  for (const [key, value] of Object.entries(o.stringData ?? {})) data.set(key, Buffer.from(String(value), 'utf8'));
  return data;
}

/** Standard base64 with padding (line breaks ignored), as Go's encoding/json reads a `[]byte`. */
function base64(where: Where, what: string, value: unknown): Buffer {
  const text = typeof value === 'string' ? value.replace(/[\r\n]/g, '') : undefined;
  if (text === undefined || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
    throw new RehearsalError(`pipelinerun ${where.runName}: ${what} is not base64`);
  return Buffer.from(text, 'base64');
}

/**
 * A relative path inside the volume, cleaned (`a//b` is `a/b`); refuses an empty or absolute path and a
 * `..` element or prefix (the API server's validateLocalNonReservedPath, the kubelet's atomic writer).
 */
function volumePath(where: Where, raw: string, field: string): string {
  const problem =
    raw === ''
      ? 'is empty'
      : raw.startsWith('/')
        ? 'is absolute'
        : raw.split('/').includes('..')
          ? 'has a ".." element'
          : raw.startsWith('..')
            ? 'starts with ".."'
            : path.posix.normalize(raw).replace(/\/+$/, '') === '.'
              ? 'names the workspace directory itself'
              : undefined;
  if (problem) {
    throw new RehearsalError(
      `pipelinerun ${where.runName}: workspace "${where.workspace}" ${field} "${raw}" ${problem}; give a relative path inside the workspace`,
    );
  }
  return path.posix.normalize(raw).replace(/\/+$/, '');
}

/** No two files at one path, and no file where another needs a directory. */
function assertDistinctPaths(where: Where, files: readonly VolumeFile[]): void {
  const byPath = new Map<string, VolumeFile>();
  for (const file of files) {
    const same = byPath.get(file.path);
    if (same) {
      throw new RehearsalError(
        `pipelinerun ${where.runName}: workspace "${where.workspace}": ${same.from} and ${file.from} both write "${file.path}"; give each path one source`,
      );
    }
    byPath.set(file.path, file);
  }
  for (const file of files) {
    const parts = file.path.split('/');
    for (let n = 1; n < parts.length; n++) {
      const parent = byPath.get(parts.slice(0, n).join('/'));
      if (parent) {
        throw new RehearsalError(
          `pipelinerun ${where.runName}: workspace "${where.workspace}": ${parent.from} writes the file "${parent.path}" and ${file.from} writes "${file.path}" under it; a path is a file or a directory, not both`,
        );
      }
    }
  }
}
