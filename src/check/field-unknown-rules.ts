import { ScopedReporter } from './scoped-reporter';
import { TektonDocument } from './document-set';
import { nearestNames } from './edit-distance';
import { FieldPathSegment } from './finding';
import { FieldNode, tektonFieldTree } from '../tekton-model/field-tree';
import { asObject, asString, quote } from '../tekton-model/json-shape';
import { isPacDocument } from '../tekton-model/pac-placeholders';

/** The fields of Kubernetes ObjectMeta (metadata.*): the API server prunes any other. */
const OBJECT_META_FIELDS = [
  'annotations',
  'creationTimestamp',
  'deletionGracePeriodSeconds',
  'deletionTimestamp',
  'finalizers',
  'generateName',
  'generation',
  'labels',
  'managedFields',
  'name',
  'namespace',
  'ownerReferences',
  'resourceVersion',
  'selfLink',
  'uid',
];

/** The top-level fields of every Tekton object (status is the controller's, and never judged). */
const TOP_LEVEL_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Reports every field of `document` that Tekton v1.15.0 never sees: a field its CRD schema does
 * not declare (the API server prunes it), or a field of an embedded `taskSpec`/`pipelineSpec`
 * that Tekton's Task or Pipeline spec types do not have. Documents in an apiVersion the tree
 * describes (v1 and v1beta1; v1beta1 for StepAction) are walked; `status`, param and result values and
 * preserved subtrees (pod affinity, security contexts, custom task specs) are not.
 */
export function checkUnknownFields(r: ScopedReporter, document: TektonDocument): void {
  const tree = tektonFieldTree();
  // objects without apiVersion (as cdk8s tests sometimes build them) are read as the v1 kinds
  const apiVersion = asString(document.object.apiVersion);
  const kind = apiVersion !== undefined ? tree.kindIn(document.kind, apiVersion) : tree.kinds[document.kind];
  if (!kind) return;
  const where = `the ${kind.apiVersion} ${document.kind} schema`;
  for (const key of Object.keys(document.object)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) report(r, [key], key, TOP_LEVEL_FIELDS, `${where} (top level)`, true);
  }
  const metadata = asObject(document.object.metadata);
  if (metadata) {
    for (const key of Object.keys(metadata)) {
      if (!OBJECT_META_FIELDS.includes(key)) report(r, ['metadata', key], key, OBJECT_META_FIELDS, 'Kubernetes ObjectMeta', true);
    }
  }
  if (document.object.spec === undefined) return;
  const walker = new Walker(r, tree.resolve);
  walker.walk(document.object.spec, kind.spec, ['spec'], where, true);
}

function report(
  r: ScopedReporter,
  path: FieldPathSegment[],
  key: string,
  declared: readonly string[],
  where: string,
  pruned: boolean,
): void {
  const near = nearestNames(key, declared);
  const pac = decodedByPac(r);
  const strict = r.fieldValidation === 'strict' && !pac;
  const outcome = pac
    ? "so Pipelines-as-Code, which decodes the object into Tekton's types (not strictly) before it creates the run, drops it and Tekton never sees it"
    : !pruned
      ? "so Tekton's webhook, which decodes an embedded spec with unknown fields disallowed, refuses the object"
      : strict
        ? "so the API server refuses it under kubectl's default strict field validation (with --validate=warn or ignore it drops it and Tekton never sees it)"
        : 'so the API server drops it and Tekton never sees it';
  const hint =
    near.length > 0
      ? `did you mean ${near.map(quote).join(' or ')}?`
      : declared.length === 0
        ? 'nothing may be set here'
        : `declared here: ${declared.slice(0, 12).join(', ')}${declared.length > 12 ? ', ...' : ''}`;
  r.report(
    'field-unknown',
    path,
    `field ${quote(key)} is not in ${where}, ${outcome}; ${hint}`,
    pac || (pruned && !strict) ? 'warning' : 'error',
  );
}

/**
 * True for what Pipelines-as-Code hands to Tekton: a document with PaC annotations, or one in a
 * `.tekton/` directory. PaC decodes it into Tekton's Go types with the ordinary (not strict)
 * deserializer (pipelines-as-code `pkg/resolve/resolve.go` ReadTektonTypes,
 * `UniversalDeserializer`) and creates the run from them, so an unknown field is dropped, not refused.
 */
function decodedByPac(r: ScopedReporter): boolean {
  const document = r.document();
  if (document && isPacDocument(document.object)) return true;
  const source = r.source()?.split('\\').join('/');
  return source !== undefined && (source.startsWith('.tekton/') || source.includes('/.tekton/'));
}

const folded = new WeakMap<object, Map<string, string>>();

/** The declared names of `properties` by their lowercase form (memoized per node). */
function foldedNames(properties: Readonly<Record<string, FieldNode>>): Map<string, string> {
  let names = folded.get(properties);
  if (!names) {
    names = new Map(Object.keys(properties).map((name) => [name.toLowerCase(), name]));
    folded.set(properties, names);
  }
  return names;
}

/** Walks one document's spec against its field tree; each value is visited once. */
class Walker {
  public constructor(
    private readonly r: ScopedReporter,
    private readonly resolve: (node: FieldNode) => FieldNode,
  ) {}

  /** Walks `value` at `path` against `node`; `pruned` tells whether the API server (true) or Tekton's decoding (false) loses unknown fields here. */
  public walk(value: unknown, node: FieldNode, path: FieldPathSegment[], where: string, pruned: boolean): void {
    const resolved = this.resolve(node);
    if (resolved === 1 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      if (resolved.i === undefined) return;
      for (let index = 0; index < value.length; index++) this.walk(value[index], resolved.i, [...path, index], where, pruned);
      return;
    }
    const object = value as Record<string, unknown>;
    if (resolved.customTaskSpec && isCustomTaskSpec(object)) return;
    if (resolved.p !== undefined) {
      const embedded = isEmbeddedSpec(path);
      const childWhere = embedded ? `Tekton's ${path[path.length - 1] === 'taskSpec' ? 'Task' : 'Pipeline'} spec` : where;
      const childPruned = embedded ? false : pruned;
      for (const key of Object.keys(object)) {
        // Go's encoding/json, which decodes embedded specs, matches field names ignoring case
        const declared = hasOwn(resolved.p, key) ? key : childPruned ? undefined : foldedNames(resolved.p).get(key.toLowerCase());
        if (declared !== undefined) this.walk(object[key], resolved.p[declared], [...path, key], childWhere, childPruned);
        else if (!resolved.x) report(this.r, [...path, key], key, Object.keys(resolved.p).sort(), childWhere, childPruned);
      }
      return;
    }
    if (resolved.m !== undefined) {
      for (const key of Object.keys(object)) this.walk(object[key], resolved.m, [...path, key], where, pruned);
    }
  }
}

/**
 * True for an embedded `taskSpec`/`pipelineSpec` (of a run or a pipeline task): the CRD keeps it
 * whole, and the field tree gives it the Task or Pipeline spec that Tekton's webhook decodes it into.
 */
function isEmbeddedSpec(path: readonly FieldPathSegment[]): boolean {
  const last = path[path.length - 1];
  return last === 'taskSpec' || last === 'pipelineSpec';
}

/** A pipeline task's taskSpec that names another kind or an apiVersion is a custom task's: its spec is the custom task's business. */
function isCustomTaskSpec(object: Record<string, unknown>): boolean {
  const kind = asString(object.kind);
  const apiVersion = asString(object.apiVersion);
  return (kind !== undefined && kind !== 'Task') || (apiVersion !== undefined && apiVersion !== '');
}
