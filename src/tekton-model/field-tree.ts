/**
 * The fields the API server keeps of each Tekton kind (structural pruning), read from the tree
 * `npm run import` derives (imports/tekton-fields.ts) from the v1.15.0 CRDs; embedded `taskSpec`/`pipelineSpec`, which the
 * CRDs leave open, are given the Task and Pipeline spec trees that Tekton decodes them into.
 */

/** A node of the field tree: a scalar (1), or an object/list/map with what it declares. */
export type FieldNode = 1 | FieldShape;

/** What an object, list or map node declares. */
export interface FieldShape {
  /** Declared properties; any other key is pruned (unless `x`). */
  readonly p?: Readonly<Record<string, FieldNode>>;
  /** Set when unknown keys are kept (x-kubernetes-preserve-unknown-fields). */
  readonly x?: 1;
  /** The node of every value of an additionalProperties map. */
  readonly m?: FieldNode;
  /** The node of every item of a list. */
  readonly i?: FieldNode;
  /** A shared subtree, by id. */
  readonly r?: string;
  /** Set on the embedded pipeline task `taskSpec` node: skipped when it is a custom task's. */
  readonly customTaskSpec?: true;
}

/** The tree of one kind: the apiVersion it describes and its spec. */
export interface KindFields {
  /** E.g. `tekton.dev/v1`. */
  readonly apiVersion: string;
  /** The spec node. */
  readonly spec: FieldNode;
}

/** The loaded tree. */
export interface FieldTree {
  /** By kind (Task, Pipeline, PipelineRun, TaskRun in tekton.dev/v1, StepAction in tekton.dev/v1beta1). */
  readonly kinds: Readonly<Record<string, KindFields>>;
  /** The tree of `kind` in `apiVersion` (v1, or v1beta1 for Task, Pipeline, PipelineRun, TaskRun and StepAction), if the tree holds it. */
  kindIn(kind: string, apiVersion: string): KindFields | undefined;
  /** Follows a shared-subtree reference. */
  resolve(node: FieldNode): FieldNode;
}

interface RawTree {
  readonly defs: Record<string, FieldNode>;
  readonly kinds: Record<string, KindFields>;
  /** The v1beta1 Task, Pipeline, PipelineRun and TaskRun. */
  readonly beta: Record<string, KindFields>;
}

let loaded: FieldTree | undefined;

/** The field tree, loaded (and its embedded specs wired) on first use. */
export function tektonFieldTree(): FieldTree {
  if (!loaded) {
    // required here, not imported above: only a check that runs pays for loading and parsing the tree
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const text = (require('../../imports/tekton-fields') as typeof import('../../imports/tekton-fields')).TEKTON_FIELDS_JSON;
    const raw = JSON.parse(text) as RawTree;
    loaded = wire(raw);
  }
  return loaded;
}

function shape(node: FieldNode): FieldShape {
  return node === 1 ? {} : node;
}

function withProperties(node: FieldShape, extra: Record<string, FieldNode>): FieldShape {
  return { ...node, p: { ...node.p, ...extra } };
}

function wire(raw: RawTree): FieldTree {
  const resolve = (node: FieldNode): FieldNode => (node !== 1 && node.r !== undefined ? raw.defs[node.r] : node);
  const kinds = wireKinds(raw.kinds, resolve);
  const beta = wireKinds(raw.beta, resolve);
  const kindIn = (kind: string, apiVersion: string): KindFields | undefined => {
    const found = kinds[kind]?.apiVersion === apiVersion ? kinds[kind] : beta[kind];
    return found?.apiVersion === apiVersion ? found : undefined;
  };
  return { kinds, kindIn, resolve };
}

/** One version's kinds, with embedded taskSpec/pipelineSpec given the Task and Pipeline spec trees of that version. */
function wireKinds(raw: Record<string, KindFields>, resolve: (node: FieldNode) => FieldNode): Record<string, KindFields> {
  const kind = (name: string): KindFields => {
    const found = raw[name];
    if (!found) throw new Error(`imports/tekton-fields.ts has no ${name}; run npm run import`);
    return found;
  };
  const taskSpec = shape(resolve(kind('Task').spec));
  const pipelineSource = shape(resolve(kind('Pipeline').spec));
  const tasksNode = shape(resolve(shape(pipelineSource.p?.tasks ?? 1).i ?? 1));
  const finallyNode = shape(resolve(shape(pipelineSource.p?.finally ?? 1).i ?? 1));
  // Tekton's EmbeddedTask: the Task spec plus TypeMeta, PipelineTaskMetadata and a custom task's spec
  const embeddedTask: FieldShape = {
    ...withProperties(taskSpec, {
      apiVersion: 1,
      kind: 1,
      metadata: { p: { annotations: { m: 1 }, labels: { m: 1 } } },
      spec: { x: 1 },
    }),
    customTaskSpec: true,
  };
  const tasksProperties: Record<string, FieldNode> = { ...tasksNode.p, taskSpec: embeddedTask };
  const finallyProperties: Record<string, FieldNode> = { ...finallyNode.p, taskSpec: embeddedTask };
  const pipelineSpec = withProperties(pipelineSource, {
    tasks: { i: { ...tasksNode, p: tasksProperties } },
    finally: { i: { ...finallyNode, p: finallyProperties } },
  });
  // pipelines in pipelines: a pipeline task's pipelineSpec is again a Pipeline spec
  tasksProperties.pipelineSpec = pipelineSpec;
  finallyProperties.pipelineSpec = pipelineSpec;
  const pipelineRun = kind('PipelineRun');
  const taskRun = kind('TaskRun');
  return {
    ...raw,
    Pipeline: { ...kind('Pipeline'), spec: pipelineSpec },
    PipelineRun: { ...pipelineRun, spec: withProperties(shape(resolve(pipelineRun.spec)), { pipelineSpec }) },
    TaskRun: { ...taskRun, spec: withProperties(shape(resolve(taskRun.spec)), { taskSpec }) },
  };
}
