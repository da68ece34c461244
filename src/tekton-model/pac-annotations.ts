/**
 * Pipelines-as-Code remote resources: the Tasks and the Pipeline a PipelineRun (or a Pipeline)
 * names in its `pipelinesascode.tekton.dev/task`, `task-N` and `pipeline` annotations, which PaC
 * fetches and inlines before Tekton sees the run (openshift-pipelines/pipelines-as-code
 * `pkg/matcher/annotation_tasks_install.go` `GrabTasksFromAnnotations`, `getRemote`;
 * `pkg/matcher/annotation_matcher.go` `getAnnotationValues`; `pkg/resolve/remote.go`).
 */
import * as path from 'node:path';
import { asObject, asString, JsonObject } from './json-shape';

/** Where PaC fetches one annotated Task or Pipeline from. */
export type PacResource =
  /** `https://...` or `http://...`: downloaded. */
  | { readonly from: 'url'; readonly value: string; readonly likelyName: string }
  /** `catalog://name[:version]`: a custom Hub catalog the cluster's PaC configures. */
  | { readonly from: 'catalog'; readonly value: string; readonly likelyName: string }
  /** Anything with a `/`: a file inside the repository, relative to its root. */
  | { readonly from: 'repository'; readonly value: string; readonly path: string; readonly likelyName: string }
  /** A plain name (`git-clone`, `git-clone:0.9`): the default Hub catalog. */
  | { readonly from: 'hub'; readonly value: string; readonly likelyName: string };

const TASK_ANNOTATION = /^pipelinesascode\.tekton\.dev\/task(-[0-9]+)?$/;
const PIPELINE_ANNOTATION = /^pipelinesascode\.tekton\.dev\/pipeline$/;
/** PaC's `reValidateTag`: a `[list, of, values]` or one value without spaces or brackets. */
const VALUE_FORMAT = /^\[(.*)\]$|^[^[\]\s]*$/;

/** The values of one annotation as PaC reads them (`[a, b]` or `a`; `&#44;` is a comma); undefined when PaC refuses its format. */
export function pacAnnotationValues(annotation: string): string[] | undefined {
  const text = annotation.trim();
  const match = VALUE_FORMAT.exec(text);
  if (!match) return undefined;
  if (!text.startsWith('[')) return [text.split('&#44;').join(',')];
  const values = match[1].split(',').map((v) => v.split('&#44;').join(',').trim());
  return values[0] === '' ? undefined : values;
}

/** Where PaC fetches `value` from (`getRemote`: URL, custom catalog, file in the repository, else the Hub). */
export function classifyPacResource(value: string): PacResource {
  const lower = value.toLowerCase();
  const base = (p: string): string => path.posix.basename(p).replace(/\.(ya?ml|json)$/i, '');
  if (lower.startsWith('https://') || lower.startsWith('http://')) return { from: 'url', value, likelyName: base(value.split(/[?#]/)[0]) };
  if (value.includes('://')) return { from: 'catalog', value, likelyName: value.slice(value.indexOf('://') + 3).split(':')[0] };
  if (value.includes('/'))
    return { from: 'repository', value, path: path.posix.normalize(value).replace(/^(\.\/)+/, ''), likelyName: base(value) };
  return { from: 'hub', value, likelyName: value.split(':')[0] };
}

/**
 * The Tasks (`which: 'task'`, from `task` and `task-N`) or the Pipeline (`'pipeline'`) an object's
 * annotations name, in PaC's order; the values of an annotation PaC refuses are left out.
 */
export function pacAnnotatedResources(object: JsonObject, which: 'task' | 'pipeline'): PacResource[] {
  const annotations = asObject(asObject(object.metadata)?.annotations);
  if (!annotations) return [];
  const pattern = which === 'task' ? TASK_ANNOTATION : PIPELINE_ANNOTATION;
  const resources: PacResource[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    const text = asString(value);
    if (!pattern.test(key) || text === undefined) continue;
    for (const v of pacAnnotationValues(text) ?? []) resources.push(classifyPacResource(v));
  }
  return resources;
}

/**
 * The repository root a PaC file sits in: from its place in its git repository when known, else
 * the directory that holds its `.tekton/` directory; undefined when neither tells.
 */
export function pacRepositoryRoot(source: string, pathInRepo: string | undefined): string | undefined {
  const file = source.split('\\').join('/');
  if (pathInRepo !== undefined && file.endsWith(pathInRepo)) return file.slice(0, file.length - pathInRepo.length);
  const at = file.lastIndexOf('/.tekton/');
  if (at >= 0) return file.slice(0, at + 1);
  if (file.startsWith('.tekton/')) return '';
  return undefined;
}
