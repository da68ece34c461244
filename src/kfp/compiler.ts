/**
 * The compiler from the KFP v2 IR to Tekton: walks the root DAG and its sub-DAGs and produces a
 * plan of Tasks and pipeline tasks (flattened: Tekton pipelines do not nest without an alpha
 * feature), which `KfpPipeline` turns into typed `Task`/`Pipeline` constructs. Anything it cannot
 * map faithfully is refused with `KfpUnsupportedError`: one line naming the task and the feature.
 */
import * as crypto from 'node:crypto';
import { TYPE_HINT_NAMES } from '../chains';
import {
  KfpComponentSpec,
  KfpContainerSpec,
  KfpInputParameterSpec,
  KfpIr,
  KfpKubernetesExecutorConfig,
  KfpParameterType,
  KfpPipelineTaskSpec,
} from './pipeline-spec';

/** A feature of the IR that has no faithful Tekton mapping here; the message is one line naming the task. */
export class KfpUnsupportedError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'KfpUnsupportedError';
  }
}

/** The name of the Chains `*_ARTIFACT_OUTPUTS` result for an output (Chains' own type-hint suffix). */
export function subjectResultName(output: string): string {
  return `${output}_${TYPE_HINT_NAMES.artifactOutputs}`;
}

/** Sentinel wire value of an optional input that has no value (KFP leaves it out of the executor input). */
export const ABSENT = '<kfp:absent>';

/** A value a Tekton param can take: literal text with Tekton `$(...)` references. */
interface Wire {
  /** The Tekton text whose substituted value is the KFP wire form (STRING raw, others JSON). */
  readonly text: string;
  readonly type: KfpParameterType;
  /** Tekton pipeline tasks that must finish first (producers of referenced results). */
  readonly producers: readonly string[];
  /** When the value is a compile-time constant: the KFP value. */
  readonly constant?: { readonly value: unknown };
  /** A list collected from the iterations of a ParallelFor (`dsl.Collected`): one value per iteration. */
  readonly elements?: readonly Wire[];
  /** For a TASK_FINAL_STATUS: the KFP task whose status it is. */
  readonly statusOf?: string;
}

interface ArtifactRef {
  /** Tekton text of the artifact's path on the workspace (a producer result). */
  readonly text: string;
  readonly schemaTitle: string;
  readonly producer: string;
  /** The producer's `<key>_ARTIFACT_OUTPUTS` result, when it is a Chains subject. */
  readonly subject?: string;
  /** Artifacts collected from the iterations of a ParallelFor (`dsl.Collected`). */
  readonly elements?: readonly ArtifactRef[];
}

/** What a DAG scope sees. */
interface Scope {
  readonly prefix: string;
  readonly params: ReadonlyMap<string, Wire>;
  readonly artifacts: ReadonlyMap<string, ArtifactRef>;
  readonly when: readonly PlannedWhen[];
  readonly runAfter: readonly string[];
  readonly path: string;
}

/** A `when` expression, wire form. */
export type PlannedWhen =
  { readonly input: string; readonly operator: 'in' | 'notin'; readonly values: readonly string[] } | { readonly cel: string };

/** One input of a planned Task as the launcher sees it. */
export interface PlannedInput {
  readonly name: string;
  readonly type: KfpParameterType | 'ARTIFACT';
  readonly schemaTitle?: string;
  /** Tekton text of the value passed from the pipeline task. */
  readonly value: string;
  /** Task param default (optional inputs). */
  readonly default?: string;
  /** For a TASK_FINAL_STATUS: the KFP task whose status it is. */
  readonly statusOf?: string;
  /** A collected list: its leaves are Task params `<name>-<i>[-<j>...]`. */
  readonly tree?: CollectedTree;
}

/** The shape of a collected input: a leaf (one Task param) or a list of trees. */
export type CollectedTree =
  | { readonly param: string; readonly value: string; readonly type: KfpParameterType | 'ARTIFACT' }
  | { readonly list: readonly CollectedTree[] };

function wireTree(wire: Wire, param: string): CollectedTree {
  return wire.elements ? { list: wire.elements.map((e, i) => wireTree(e, `${param}-${i}`)) } : { param, value: wire.text, type: wire.type };
}

function artifactProducers(ref: ArtifactRef): string[] {
  return ref.elements ? ref.elements.flatMap(artifactProducers) : [ref.producer];
}

function wireProducers(wire: Wire): string[] {
  return [...wire.producers, ...(wire.elements ?? []).flatMap(wireProducers)];
}

/** One output of a planned Task. */
export interface PlannedOutput {
  readonly name: string;
  readonly type: KfpParameterType | 'ARTIFACT';
  readonly schemaTitle?: string;
  /** A Chains subject (`<name>_ARTIFACT_OUTPUTS`). */
  readonly subject: boolean;
}

/** A volume, env or mount from the platform spec; names may be Tekton param references. */
export interface PlannedPlatform {
  readonly env: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  readonly volumes: Record<string, unknown>[];
  readonly volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  readonly nodeSelector?: Record<string, string>;
  readonly tolerations?: Record<string, unknown>[];
  readonly podMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Extra Task params (platform values from the pipeline), name → Tekton text. */
  readonly params: Map<string, string>;
}

/** A Tekton pipeline task (and the Task it runs) compiled from one KFP container task. */
export interface PlannedTask {
  /** The Tekton pipeline task name. */
  readonly name: string;
  /** The KFP task path, e.g. `for-loop-2/print-op`. */
  readonly kfpPath: string;
  readonly component: string;
  readonly executor: string;
  readonly container: KfpContainerSpec;
  readonly inputs: PlannedInput[];
  readonly outputs: PlannedOutput[];
  readonly runAfter: string[];
  readonly when: PlannedWhen[];
  readonly retries?: number;
  readonly isFinally: boolean;
  readonly computeResources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readonly platform: PlannedPlatform;
  readonly displayName?: string;
}

/** A pipeline param compiled from a root input. */
export interface PlannedParam {
  readonly name: string;
  readonly type: KfpParameterType;
  readonly default?: string;
  readonly description?: string;
  /** The object keys, when the param is the git source (declared as a Tekton object param). */
  readonly objectKeys?: readonly string[];
}

/** A pipeline result. */
export interface PlannedResult {
  readonly name: string;
  readonly value: string | readonly string[] | Record<string, string>;
  readonly description: string;
}

/** The whole compiled pipeline. */
export interface PipelinePlan {
  readonly name: string;
  readonly description?: string;
  readonly params: PlannedParam[];
  readonly tasks: PlannedTask[];
  readonly results: PlannedResult[];
  /** CEL conditions that needed `enable-cel-in-whenexpression`. */
  readonly celConditions: number;
  /** The git source param, when asked for. */
  readonly gitSource?: string;
}

/** Options of the compiler. */
export interface CompileOptions {
  /** A STRUCT root input with `url` and `revision` keys: the pipeline's git source, cloned and recorded for Chains. @default - none */
  readonly gitSource?: string;
  /** Extra artifact types that become Chains subjects besides `system.Model`. @default - none */
  readonly subjectTypes?: readonly string[];
}

/** The Tekton name of a KFP path: a DNS-1123 label, shortened with a hash when too long. */
export function tektonName(text: string, max = 63): string {
  let name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `t-${name}`;
  if (name.length <= max && name === text) return name;
  if (name.length <= max && text.toLowerCase() === text) return name;
  const hash = crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);
  name = name.slice(0, max - 9).replace(/-+$/, '');
  return `${name}-${hash}`;
}

/** The KFP wire form of a value of `type`: STRING raw, every other type JSON. */
export function wireOf(value: unknown, type: KfpParameterType): string {
  if (type === 'STRING') return typeof value === 'string' ? value : JSON.stringify(value);
  if (type === 'NUMBER_INTEGER' && typeof value === 'number' && Number.isInteger(value)) return String(value);
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

const CEL_PARAM = /inputs\.parameter_values\['([^']+)'\]/g;

function splitTopLevel(text: string, op: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.startsWith(op, i)) {
      parts.push(text.slice(start, i));
      start = i + op.length;
      i += op.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function stripOuterParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && splitTopLevel(t.slice(1, -1), ')').length === 1 && balanced(t.slice(1, -1)))
    t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Maps a KFP `triggerPolicy.condition` (CEL over `inputs.parameter_values[...]`) to Tekton `when`
 * expressions: each `&&` conjunct of the form `X == lit`, `X != lit`, `!(X == lit)` (X a parameter,
 * lit a string, number or boolean literal) becomes `in`/`notin`; anything else (int() comparisons,
 * two parameters compared, `||`) becomes one CEL `when` (feature flag `enable-cel-in-whenexpression`)
 * with each parameter written as a quoted Tekton reference.
 */
export function conditionToWhen(condition: string, valueOf: (name: string) => Wire, where: string): { when: PlannedWhen[]; cel: boolean } {
  const simple: PlannedWhen[] = [];
  for (const conjunct of splitTopLevel(condition, '&&')) {
    let c = stripOuterParens(conjunct);
    let negate = false;
    if (c.startsWith('!(') && c.endsWith(')') && balanced(c.slice(2, -1))) {
      negate = true;
      c = stripOuterParens(c.slice(2, -1));
    }
    const m = /^inputs\.parameter_values\['([^']+)'\]\s*(==|!=)\s*('(?:[^'\\]|\\.)*'|true|false|-?\d+(?:\.\d+)?)$/.exec(c);
    if (!m) {
      simple.length = 0;
      break;
    }
    const [, name, op, lit] = m;
    const literal = lit.startsWith("'") ? lit.slice(1, -1).replace(/\\(.)/g, '$1') : lit;
    const wire = valueOf(name);
    const positive = (op === '==') !== negate;
    simple.push({ input: wire.text, operator: positive ? 'in' : 'notin', values: [literal] });
  }
  if (simple.length > 0) return { when: simple, cel: false };
  const cel = condition
    .replace(/(inputs\.parameter_values\['[^']+'\])\s*(==|!=)\s*(true|false)\b/g, "$1 $2 '$3'")
    .replace(CEL_PARAM, (_all, name: string) => {
      const text = valueOf(name).text;
      if (text.includes("'"))
        throw new KfpUnsupportedError(`${where}: condition compares a value with a quote in it, which a CEL when cannot quote`);
      return `'${text}'`;
    });
  return { when: [{ cel }], cel: true };
}

function artifactTitle(spec: { artifactType?: { schemaTitle?: string; schemaUri?: string } } | undefined, where: string): string {
  const title = spec?.artifactType?.schemaTitle;
  if (!title) throw new KfpUnsupportedError(`${where}: artifact type given by schemaUri is not supported (schemaTitle needed)`);
  return title;
}

const MAPPED_PLATFORM = new Set([
  'secretAsVolume',
  'secretAsEnv',
  'pvcMount',
  'nodeSelector',
  'tolerations',
  'configMapAsVolume',
  'configMapAsEnv',
  'fieldPathAsEnv',
  'podMetadata',
  'imagePullPolicy',
  'emptyDirMounts',
]);

/** Compiles an IR into a plan; throws `KfpUnsupportedError` on the first feature it cannot map. */
export function planPipeline(ir: KfpIr, options: CompileOptions = {}): PipelinePlan {
  return new Planner(ir, options).plan();
}

class Planner {
  private readonly tasks: PlannedTask[] = [];
  private readonly results: PlannedResult[] = [];
  private readonly params: PlannedParam[] = [];
  private readonly names = new Set<string>();
  private celConditions = 0;
  private readonly subjectTypes: Set<string>;

  public constructor(
    private readonly ir: KfpIr,
    private readonly options: CompileOptions,
  ) {
    this.subjectTypes = new Set(['system.Model', ...(options.subjectTypes ?? [])]);
  }

  public plan(): PipelinePlan {
    const spec = this.ir.spec;
    const root = spec.root;
    for (const key of Object.keys(this.ir.kubernetes ?? {})) {
      if (key !== 'deploymentSpec') throw new KfpUnsupportedError(`pipeline: platforms.kubernetes.${key} is not supported`);
    }
    const params = new Map<string, Wire>();
    for (const [name, p] of Object.entries(root.inputDefinitions?.parameters ?? {})) {
      if (p.parameterType === 'TASK_FINAL_STATUS' || p.parameterType === 'TASK_CONFIG') {
        throw new KfpUnsupportedError(`pipeline: input parameter ${name} has type ${p.parameterType}, which only a task input can have`);
      }
      const isSource = this.options.gitSource === name;
      let objectKeys: string[] | undefined;
      if (isSource) {
        const d = p.defaultValue as Record<string, unknown> | undefined;
        if (p.parameterType !== 'STRUCT' || !d || typeof d.url !== 'string' || typeof d.revision !== 'string') {
          throw new KfpUnsupportedError(`pipeline: git source ${name} must be a STRUCT input whose default has string url and revision`);
        }
        objectKeys = Object.keys(d);
      }
      const dflt = p.defaultValue !== undefined ? wireOf(p.defaultValue, p.parameterType) : p.isOptional ? ABSENT : undefined;
      this.params.push({ name, type: p.parameterType, default: dflt, description: p.description, objectKeys });
      // The git source is a Tekton object param (git-clone reads its keys); KFP tasks get it back as
      // the JSON text of a STRUCT, assembled from its keys (values with a quote or backslash fail to decode).
      const text = objectKeys
        ? `{${[...objectKeys]
            .sort()
            .map((k) => `${JSON.stringify(k)}:"$(params.${name}.${k})"`)
            .join(',')}}`
        : `$(params.${name})`;
      params.set(name, { text, type: p.parameterType, producers: [] });
    }
    if (this.options.gitSource && !params.has(this.options.gitSource)) {
      throw new KfpUnsupportedError(`pipeline: git source ${this.options.gitSource} is not an input parameter of the pipeline`);
    }
    if (Object.keys(root.inputDefinitions?.artifacts ?? {}).length > 0) {
      throw new KfpUnsupportedError(
        `pipeline: input artifacts of the pipeline (${Object.keys(root.inputDefinitions!.artifacts!).join(', ')}) are not supported`,
      );
    }
    const outputs = this.dag(root, { prefix: '', params, artifacts: new Map(), when: [], runAfter: [], path: '' }, 'pipeline');
    for (const [name, wire] of outputs.params) {
      if (wire.elements) {
        if (wire.elements.some((e) => e.elements))
          throw new KfpUnsupportedError(
            `pipeline: output parameter ${name} is a nested collected list, which a pipeline result cannot hold`,
          );
        this.results.push({
          name,
          value: wire.elements.map((e) => e.text),
          description: `KFP pipeline output parameter ${name}: the values collected from a ParallelFor, one wire-form element each.`,
        });
        continue;
      }
      this.results.push({
        name,
        value: wire.text,
        description: `KFP pipeline output parameter ${name} (wire form: ${wire.type === 'STRING' ? 'text' : 'JSON'}).`,
      });
    }
    for (const [name, ref] of outputs.artifacts) {
      if (ref.elements) {
        if (ref.elements.some((e) => e.elements || e.subject))
          throw new KfpUnsupportedError(
            `pipeline: output artifact ${name} is a collected list of models or of lists, which a pipeline result cannot attest`,
          );
        this.results.push({
          name,
          value: ref.elements.map((e) => e.text),
          description: `KFP pipeline output artifact ${name}: the paths collected from a ParallelFor.`,
        });
        continue;
      }
      this.results.push({
        name,
        value: ref.text,
        description: `KFP pipeline output artifact ${name} (${ref.schemaTitle}): its path on the kfp-artifacts workspace.`,
      });
      if (ref.subject) this.addSubject(subjectResultName(name), ref);
    }
    const exported = new Set([...outputs.artifacts.values()].filter((r) => r.subject).map((r) => r.subject));
    // When the pipeline returns models, those are what it publishes: only they are the run's subjects
    // (each task's own *_ARTIFACT_OUTPUTS result stays, for TaskRun attestations).
    for (const t of exported.size > 0 ? [] : this.tasks) {
      for (const o of t.outputs) {
        const subject = `$(tasks.${t.name}.results.${subjectResultName(o.name)}`;
        if (o.subject && !exported.has(subject)) {
          this.addSubject(subjectResultName(`${t.name}-${o.name}`), { text: '', schemaTitle: o.schemaTitle!, producer: t.name, subject });
        }
      }
    }
    return {
      name: tektonName(spec.pipelineInfo.name),
      description: spec.pipelineInfo.description,
      params: this.params,
      tasks: this.tasks,
      results: this.results,
      celConditions: this.celConditions,
      gitSource: this.options.gitSource,
    };
  }

  private addSubject(name: string, ref: ArtifactRef): void {
    const base = ref.subject!;
    this.results.push({
      name,
      value: { uri: `${base}.uri)`, digest: `${base}.digest)`, [TYPE_HINT_NAMES.isBuildArtifact]: 'true' },
      description: `${ref.schemaTitle} from ${ref.producer} (Chains: an attestation subject, sha256 digest).`,
    });
  }

  private component(name: string, where: string): KfpComponentSpec {
    const c = this.ir.spec.components[name];
    if (!c) throw new KfpUnsupportedError(`${where}: component ${name} is not defined`);
    return c;
  }

  private uniqueName(path: string): string {
    let name = tektonName(path);
    for (let i = 2; this.names.has(name); i++) name = tektonName(`${path}-${i}`);
    this.names.add(name);
    return name;
  }

  /** Compiles the DAG of `component` in `scope`; returns its outputs. */
  private dag(
    component: KfpComponentSpec,
    scope: Scope,
    where: string,
  ): { params: Map<string, Wire>; artifacts: Map<string, ArtifactRef>; taskNames: string[] } {
    const dag = component.dag!;
    const done = new Map<
      string,
      { params: Map<string, Wire>; artifacts: Map<string, ArtifactRef>; taskNames: string[]; status?: boolean }
    >();
    const order = this.topological(dag.tasks, where);
    const allNames: string[] = [];
    for (const taskName of order) {
      const task = dag.tasks[taskName];
      const kfpPath = scope.path ? `${scope.path}/${taskName}` : taskName;
      const w = `task ${kfpPath}`;
      const result = this.task(taskName, task, scope, done, w);
      done.set(taskName, result);
      allNames.push(...result.taskNames);
    }
    const params = new Map<string, Wire>();
    const artifacts = new Map<string, ArtifactRef>();
    for (const [name, o] of Object.entries(dag.outputs?.parameters ?? {})) {
      if (!o.valueFromParameter)
        throw new KfpUnsupportedError(
          `${where}: output parameter ${name} selects one of several branches (dsl.OneOf), which Tekton results cannot express`,
        );
      const producer = done.get(o.valueFromParameter.producerSubtask)?.params.get(o.valueFromParameter.outputParameterKey);
      if (!producer)
        throw new KfpUnsupportedError(
          `${where}: output parameter ${name} comes from ${o.valueFromParameter.producerSubtask}.${o.valueFromParameter.outputParameterKey}, which is not an output`,
        );
      params.set(name, producer);
    }
    for (const [name, o] of Object.entries(dag.outputs?.artifacts ?? {})) {
      const selectors = o.artifactSelectors ?? [];
      if (selectors.length !== 1)
        throw new KfpUnsupportedError(
          `${where}: output artifact ${name} selects one of ${selectors.length} branches (dsl.OneOf), which Tekton results cannot express`,
        );
      const ref = done.get(selectors[0].producerSubtask)?.artifacts.get(selectors[0].outputArtifactKey);
      if (!ref)
        throw new KfpUnsupportedError(
          `${where}: output artifact ${name} comes from ${selectors[0].producerSubtask}.${selectors[0].outputArtifactKey}, which is not an output`,
        );
      artifacts.set(name, ref);
    }
    return { params, artifacts, taskNames: allNames };
  }

  private topological(tasks: Readonly<Record<string, KfpPipelineTaskSpec>>, where: string): string[] {
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new KfpUnsupportedError(`${where}: task ${name} is part of a dependency cycle`);
      state.set(name, 'visiting');
      const t = tasks[name];
      const deps = new Set(t.dependentTasks ?? []);
      for (const p of Object.values(t.inputs?.parameters ?? {})) {
        if (p.taskOutputParameter) deps.add(p.taskOutputParameter.producerTask);
        if (p.taskFinalStatus) deps.add(p.taskFinalStatus.producerTask);
      }
      for (const a of Object.values(t.inputs?.artifacts ?? {})) if (a.taskOutputArtifact) deps.add(a.taskOutputArtifact.producerTask);
      for (const d of deps) {
        if (!tasks[d]) throw new KfpUnsupportedError(`${where}: task ${name} depends on ${d}, which is not a task of the same DAG`);
        visit(d);
      }
      state.set(name, 'done');
      order.push(name);
    };
    for (const name of Object.keys(tasks).sort()) visit(name);
    return order;
  }

  private inputParam(
    spec: KfpInputParameterSpec,
    type: KfpParameterType,
    scope: Scope,
    done: Map<string, { params: Map<string, Wire>; taskNames: string[] }>,
    w: string,
    name: string,
  ): Wire {
    let wire: Wire;
    if (spec.componentInputParameter !== undefined) {
      const v = scope.params.get(spec.componentInputParameter);
      if (!v) throw new KfpUnsupportedError(`${w}: input ${name} reads ${spec.componentInputParameter}, which its DAG does not have`);
      wire = v;
    } else if (spec.taskOutputParameter) {
      const producer = done.get(spec.taskOutputParameter.producerTask);
      const v = producer?.params.get(spec.taskOutputParameter.outputParameterKey);
      if (!v)
        throw new KfpUnsupportedError(
          `${w}: input ${name} reads ${spec.taskOutputParameter.producerTask}.${spec.taskOutputParameter.outputParameterKey}, which is not an output`,
        );
      wire = v;
    } else if (spec.runtimeValue) {
      const value = spec.runtimeValue.constant;
      return { text: wireOf(value, type), type, producers: [], constant: { value } };
    } else {
      throw new KfpUnsupportedError(`${w}: input ${name} has no value source this compiler knows`);
    }
    if (spec.parameterExpressionSelector !== undefined) {
      const m = /^parseJson\(string_value\)\["([^"]+)"\]$/.exec(spec.parameterExpressionSelector);
      if (!m)
        throw new KfpUnsupportedError(
          `${w}: input ${name} uses parameterExpressionSelector ${spec.parameterExpressionSelector}, which is not supported`,
        );
      if (!wire.constant)
        throw new KfpUnsupportedError(
          `${w}: input ${name} selects field ${m[1]} of a runtime value (parameterExpressionSelector), which Tekton cannot`,
        );
      let base = wire.constant.value;
      if (typeof base === 'string') {
        try {
          base = JSON.parse(base);
        } catch {
          /* keep */
        }
      }
      const value = (base as Record<string, unknown> | undefined)?.[m[1]];
      return { text: wireOf(value, type), type, producers: [], constant: { value } };
    }
    if (wire.constant && wire.type !== type) {
      return { text: wireOf(wire.constant.value, type), type, producers: [], constant: wire.constant };
    }
    return wire;
  }

  private task(
    taskName: string,
    task: KfpPipelineTaskSpec,
    scope: Scope,
    done: Map<string, { params: Map<string, Wire>; artifacts: Map<string, ArtifactRef>; taskNames: string[] }>,
    w: string,
  ) {
    const component = this.component(task.componentRef.name, w);
    if (task.cachingOptions?.cacheKey)
      throw new KfpUnsupportedError(`${w}: cachingOptions.cacheKey (caching through ML Metadata) is not supported`);
    if (task.artifactIterator) throw new KfpUnsupportedError(`${w}: artifactIterator (a loop over artifacts) is not supported`);
    if (task.iteratorPolicy?.parallelismLimit)
      throw new KfpUnsupportedError(`${w}: iteratorPolicy.parallelismLimit (ParallelFor parallelism) has no Tekton equivalent`);
    const kfpPath = w.slice('task '.length);
    // runAfter: dependentTasks (a DAG task stands for all its Tekton tasks) + inherited
    const runAfter = new Set(scope.runAfter);
    let afterExitHandler = false;
    for (const d of task.dependentTasks ?? []) {
      for (const n of done.get(d)?.taskNames ?? []) runAfter.add(n);
    }
    const strategy = task.triggerPolicy?.strategy;
    const isFinally = strategy === 'ALL_UPSTREAM_TASKS_COMPLETED';
    if (isFinally) {
      afterExitHandler = (task.dependentTasks ?? []).some((d) => /^exit-handler-\d+$/.test(d));
      if (scope.path !== '')
        throw new KfpUnsupportedError(
          `${w}: ALL_UPSTREAM_TASKS_COMPLETED inside a sub-DAG (an exit handler or ignore_upstream_failure below the root) is not supported`,
        );
      if (!afterExitHandler)
        throw new KfpUnsupportedError(
          `${w}: ignore_upstream_failure (ALL_UPSTREAM_TASKS_COMPLETED without an exit handler) is not supported`,
        );
    }
    // inputs of this task, in its own terms
    const params = new Map<string, Wire>();
    for (const [name, spec] of Object.entries(task.inputs?.parameters ?? {})) {
      const type = component.inputDefinitions?.parameters?.[name]?.parameterType ?? 'STRING';
      if (spec.taskFinalStatus) {
        if (!isFinally) throw new KfpUnsupportedError(`${w}: input ${name} is a task final status outside an exit handler`);
        params.set(name, {
          text: '$(tasks.status)',
          type: 'TASK_FINAL_STATUS',
          producers: [],
          statusOf: spec.taskFinalStatus.producerTask,
        });
        continue;
      }
      params.set(name, this.inputParam(spec, type, scope, done, w, name));
    }
    const artifacts = new Map<string, ArtifactRef>();
    for (const [name, spec] of Object.entries(task.inputs?.artifacts ?? {})) {
      let ref: ArtifactRef | undefined;
      if (spec.componentInputArtifact !== undefined) ref = scope.artifacts.get(spec.componentInputArtifact);
      else if (spec.taskOutputArtifact)
        ref = done.get(spec.taskOutputArtifact.producerTask)?.artifacts.get(spec.taskOutputArtifact.outputArtifactKey);
      if (!ref) throw new KfpUnsupportedError(`${w}: input artifact ${name} has no producer this compiler can see`);
      artifacts.set(name, ref);
    }
    const when = [...scope.when];
    if (task.triggerPolicy?.condition) {
      const mapped = conditionToWhen(
        task.triggerPolicy.condition,
        (n) => {
          const v = params.get(n);
          if (!v) throw new KfpUnsupportedError(`${w}: condition reads ${n}, which is not an input of the task`);
          if (v.elements) throw new KfpUnsupportedError(`${w}: condition reads the collected list ${n}, which a when expression cannot`);
          return v;
        },
        w,
      );
      if (mapped.cel) this.celConditions++;
      when.push(...mapped.when);
    }
    const retries = task.retryPolicy?.maxRetryCount;
    if (task.retryPolicy && (task.retryPolicy.backoffDuration || task.retryPolicy.backoffFactor || task.retryPolicy.backoffMaxDuration)) {
      const b = task.retryPolicy;
      if (
        (b.backoffDuration && b.backoffDuration !== '0s') ||
        (b.backoffMaxDuration && b.backoffMaxDuration !== '3600s') ||
        (b.backoffFactor && b.backoffFactor !== 2)
      ) {
        throw new KfpUnsupportedError(
          `${w}: retryPolicy backoff (${b.backoffDuration ?? '-'}, factor ${b.backoffFactor ?? '-'}) has no Tekton equivalent (retries run at once)`,
        );
      }
    }

    if (component.dag) {
      if (task.parameterIterator) return this.loop(taskName, task, component, scope, params, artifacts, when, [...runAfter], w);
      if (retries) throw new KfpUnsupportedError(`${w}: retryPolicy on a sub-DAG is not supported`);
      const producers = [...params.values()].flatMap(wireProducers).concat([...artifacts.values()].flatMap(artifactProducers));
      const inner = this.dag(
        component,
        {
          prefix: `${scope.prefix}${taskName}-`,
          params: this.dagParams(component, params, w),
          artifacts,
          when,
          runAfter: [...new Set([...runAfter, ...producers])],
          path: kfpPath,
        },
        w,
      );
      return inner;
    }
    if (task.parameterIterator) {
      throw new KfpUnsupportedError(`${w}: parameterIterator on a container task is not supported`);
    }
    const executorLabel = component.executorLabel!;
    const executor = this.ir.spec.deploymentSpec.executors[executorLabel];
    if (!executor) throw new KfpUnsupportedError(`${w}: executor ${executorLabel} is not defined`);
    if (executor.importer) throw new KfpUnsupportedError(`${w}: importer (an artifact from a remote URI) is not supported`);
    if (!executor.container)
      throw new KfpUnsupportedError(`${w}: executor ${executorLabel} is not a container (${Object.keys(executor).join(', ')})`);
    if (executor.container.image.startsWith('argostub/')) {
      throw new KfpUnsupportedError(
        `${w}: ${executor.container.image.slice('argostub/'.length)} (a kfp-kubernetes PVC operation) is not supported; bind a workspace or claim instead`,
      );
    }
    if (executor.container.lifecycle) throw new KfpUnsupportedError(`${w}: container lifecycle hooks are not supported`);
    const name = this.uniqueName(`${scope.prefix}${taskName}`);
    const inputs: PlannedInput[] = [];
    for (const [pname, def] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
      if (def.parameterType === 'TASK_CONFIG')
        throw new KfpUnsupportedError(`${w}: input ${pname} has type TASK_CONFIG (dsl.TaskConfig), which is not supported`);
      const wire = params.get(pname);
      const dflt = def.defaultValue !== undefined ? wireOf(def.defaultValue, def.parameterType) : def.isOptional ? ABSENT : undefined;
      if (!wire && dflt === undefined) throw new KfpUnsupportedError(`${w}: required input ${pname} has no value`);
      if (wire?.elements) {
        inputs.push({ name: pname, type: def.parameterType, value: '', tree: wireTree(wire, pname) });
        for (const p of wireProducers(wire)) runAfter.add(p);
        continue;
      }
      inputs.push({ name: pname, type: def.parameterType, value: wire?.text ?? dflt!, default: dflt, statusOf: wire?.statusOf });
      for (const p of wire?.producers ?? []) runAfter.add(p);
    }
    for (const [aname, def] of Object.entries(component.inputDefinitions?.artifacts ?? {})) {
      const ref = artifacts.get(aname);
      if (def.isArtifactList) {
        if (!ref?.elements || ref.elements.some((e) => e.elements))
          throw new KfpUnsupportedError(
            `${w}: input artifact ${aname} is a list that is not collected from a ParallelFor over a list known when compiling`,
          );
        const schemaTitle = artifactTitle(def, `${w} input ${aname}`);
        inputs.push({
          name: aname,
          type: 'ARTIFACT',
          schemaTitle,
          value: '',
          tree: { list: ref.elements.map((e, i) => ({ param: `${aname}-${i}`, value: e.text, type: 'ARTIFACT' as const })) },
        });
        for (const e of ref.elements) runAfter.add(e.producer);
        continue;
      }
      if (ref?.elements) throw new KfpUnsupportedError(`${w}: input artifact ${aname} takes one artifact but is given a collected list`);
      if (!ref && !def.isOptional) throw new KfpUnsupportedError(`${w}: required input artifact ${aname} has no value`);
      inputs.push({
        name: aname,
        type: 'ARTIFACT',
        schemaTitle: artifactTitle(def, `${w} input ${aname}`),
        value: ref?.text ?? '',
        default: def.isOptional ? '' : undefined,
      });
    }
    const outputs: PlannedOutput[] = [];
    const outParams = new Map<string, Wire>();
    const outArtifacts = new Map<string, ArtifactRef>();
    for (const [oname, def] of Object.entries(component.outputDefinitions?.parameters ?? {})) {
      outputs.push({ name: oname, type: def.parameterType, subject: false });
      outParams.set(oname, { text: `$(tasks.${name}.results.${oname})`, type: def.parameterType, producers: [name] });
    }
    for (const [oname, def] of Object.entries(component.outputDefinitions?.artifacts ?? {})) {
      if (def.isArtifactList) throw new KfpUnsupportedError(`${w}: output artifact ${oname} is a list, which is not supported`);
      const schemaTitle = artifactTitle(def, `${w} output ${oname}`);
      const subject = this.subjectTypes.has(schemaTitle);
      outputs.push({ name: oname, type: 'ARTIFACT', schemaTitle, subject });
      outArtifacts.set(oname, {
        text: `$(tasks.${name}.results.${oname})`,
        schemaTitle,
        producer: name,
        subject: subject ? `$(tasks.${name}.results.${subjectResultName(oname)}` : undefined,
      });
    }
    for (const ref of artifacts.values()) if (!ref.elements) runAfter.add(ref.producer);
    const platform = this.platform(executorLabel, scope, done, w);
    const planned: PlannedTask = {
      name,
      kfpPath,
      component: task.componentRef.name,
      executor: executorLabel,
      container: executor.container,
      inputs,
      outputs,
      runAfter: isFinally ? [] : [...runAfter].filter((n) => n !== name).sort(),
      when,
      retries: retries || undefined,
      isFinally,
      computeResources: this.resources(executor.container, w),
      platform,
      displayName: task.taskInfo?.name,
    };
    this.tasks.push(planned);
    return { params: outParams, artifacts: outArtifacts, taskNames: [name] };
  }

  private dagParams(component: KfpComponentSpec, params: Map<string, Wire>, w: string): Map<string, Wire> {
    const out = new Map<string, Wire>();
    for (const [name, def] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
      const v = params.get(name);
      if (v) out.set(name, v);
      else if (def.defaultValue !== undefined)
        out.set(name, {
          text: wireOf(def.defaultValue, def.parameterType),
          type: def.parameterType,
          producers: [],
          constant: { value: def.defaultValue },
        });
      else if (def.isOptional) out.set(name, { text: ABSENT, type: def.parameterType, producers: [] });
      else throw new KfpUnsupportedError(`${w}: sub-DAG input ${name} has no value`);
    }
    return out;
  }

  /** A ParallelFor over a list known when compiling: unrolled, one copy of the body per item. */
  private loop(
    taskName: string,
    task: KfpPipelineTaskSpec,
    component: KfpComponentSpec,
    scope: Scope,
    params: Map<string, Wire>,
    artifacts: Map<string, ArtifactRef>,
    when: PlannedWhen[],
    runAfter: string[],
    w: string,
  ) {
    const it = task.parameterIterator!;
    let items: unknown[];
    let itemWires: readonly Wire[] | undefined;
    if (it.items.raw !== undefined) {
      items = JSON.parse(it.items.raw) as unknown[];
    } else {
      const v = params.get(it.items.inputParameter!);
      if (v?.elements) {
        itemWires = v.elements;
        items = [...v.elements];
      } else if (!v?.constant) {
        throw new KfpUnsupportedError(
          `${w}: ParallelFor over a list known only at run time is not supported (Tekton matrix fans out one task, not a sub-DAG with its own data flow, and needs array results)`,
        );
      } else items = (typeof v.constant.value === 'string' ? JSON.parse(v.constant.value) : v.constant.value) as unknown[];
    }
    if (!Array.isArray(items)) throw new KfpUnsupportedError(`${w}: ParallelFor items are not a list`);
    const names: string[] = [];
    const collectedParams = new Map<string, Wire[]>();
    const collectedArtifacts = new Map<string, ArtifactRef[]>();
    const producers = [...params.values()].flatMap(wireProducers).concat([...artifacts.values()].flatMap(artifactProducers));
    items.forEach((item, i) => {
      const type = component.inputDefinitions?.parameters?.[it.itemInput]?.parameterType ?? 'STRING';
      const withItem = new Map(params);
      withItem.set(it.itemInput, itemWires ? itemWires[i] : { text: wireOf(item, type), type, producers: [], constant: { value: item } });
      const inner = this.dag(
        component,
        {
          prefix: `${scope.prefix}${taskName}-${i}-`,
          params: this.dagParams(component, withItem, w),
          artifacts,
          when,
          runAfter: [...new Set([...runAfter, ...producers])],
          path: `${w.slice('task '.length)}[${i}]`,
        },
        `${w}[${i}]`,
      );
      names.push(...inner.taskNames);
      for (const [name, v] of inner.params) {
        this.assertUnconditional(wireProducers(v), when.length, w, name);
        collectedParams.set(name, [...(collectedParams.get(name) ?? []), v]);
      }
      for (const [name, a] of inner.artifacts) {
        this.assertUnconditional(artifactProducers(a), when.length, w, name);
        collectedArtifacts.set(name, [...(collectedArtifacts.get(name) ?? []), a]);
      }
    });
    const outParams = new Map<string, Wire>();
    for (const [name, elements] of collectedParams) outParams.set(name, { text: '', type: 'LIST', producers: [], elements });
    const outArtifacts = new Map<string, ArtifactRef>();
    for (const [name, elements] of collectedArtifacts)
      outArtifacts.set(name, { text: '', schemaTitle: elements[0].schemaTitle, producer: '', elements });
    return { params: outParams, artifacts: outArtifacts, taskNames: names };
  }

  /** KFP collects the outputs of the iterations that ran; Tekton skips a task whose param reads a skipped task's result. */
  private assertUnconditional(producers: readonly string[], outerWhen: number, w: string, name: string): void {
    for (const p of producers) {
      const t = this.tasks.find((x) => x.name === p);
      if (t && t.when.length > outerWhen) {
        throw new KfpUnsupportedError(
          `${w}: ${name} is collected from ${t.kfpPath}, which runs only under a condition inside the ParallelFor (KFP collects the iterations that ran; Tekton would skip the consumer)`,
        );
      }
    }
  }

  private resources(container: KfpContainerSpec, w: string) {
    const r = container.resources;
    if (!r) return undefined;
    const limits: Record<string, string> = {};
    const requests: Record<string, string> = {};
    const quantity = (v: string | undefined, field: string) => {
      if (v === undefined) return undefined;
      if (v.includes('{{'))
        throw new KfpUnsupportedError(
          `${w}: resources.${field} set from a pipeline parameter is not supported (Tekton does not substitute params in computeResources)`,
        );
      return v;
    };
    const cpuL = quantity(r.resourceCpuLimit, 'resourceCpuLimit') ?? (r.cpuLimit !== undefined ? String(r.cpuLimit) : undefined);
    const memL = quantity(r.resourceMemoryLimit, 'resourceMemoryLimit') ?? (r.memoryLimit !== undefined ? `${r.memoryLimit}G` : undefined);
    const cpuR = quantity(r.resourceCpuRequest, 'resourceCpuRequest') ?? (r.cpuRequest !== undefined ? String(r.cpuRequest) : undefined);
    const memR =
      quantity(r.resourceMemoryRequest, 'resourceMemoryRequest') ?? (r.memoryRequest !== undefined ? `${r.memoryRequest}G` : undefined);
    if (cpuL) limits.cpu = cpuL;
    if (memL) limits.memory = memL;
    if (cpuR) requests.cpu = cpuR;
    if (memR) requests.memory = memR;
    const a = r.accelerator;
    if (a) {
      const type = quantity(a.resourceType, 'accelerator.resourceType') ?? a.type;
      const count = quantity(a.resourceCount, 'accelerator.resourceCount') ?? (a.count !== undefined ? String(a.count) : '1');
      if (!type || !/^[a-z0-9.-]+\/[a-z0-9.-]+$/.test(type)) {
        throw new KfpUnsupportedError(
          `${w}: accelerator type ${JSON.stringify(type)} is not a Kubernetes extended resource name (e.g. nvidia.com/gpu)`,
        );
      }
      limits[type] = count;
    }
    return { limits: Object.keys(limits).length ? limits : undefined, requests: Object.keys(requests).length ? requests : undefined };
  }

  private platform(
    executor: string,
    scope: Scope,
    done: Map<string, { params: Map<string, Wire>; taskNames: string[] }>,
    w: string,
  ): PlannedPlatform {
    const cfg: KfpKubernetesExecutorConfig | undefined = this.ir.kubernetes?.deploymentSpec?.executors?.[executor];
    const out: PlannedPlatform = { env: [], volumes: [], volumeMounts: [], params: new Map() };
    if (!cfg) return out;
    for (const key of Object.keys(cfg)) {
      if (!MAPPED_PLATFORM.has(key)) throw new KfpUnsupportedError(`${w}: platform spec field ${key} is not supported`);
    }
    let n = 0;
    const value = (spec: KfpInputParameterSpec | undefined, legacy: string | undefined, what: string): string => {
      if (spec) {
        const wire = this.inputParam(spec, 'STRING', scope, done as never, w, what);
        if (wire.elements) throw new KfpUnsupportedError(`${w}: platform spec ${what} reads a collected list`);
        if (!wire.text.includes('$(')) return wire.text;
        const pname = `kfp-platform-${n++}`;
        out.params.set(pname, wire.text);
        return `$(params.${pname})`;
      }
      if (legacy) return legacy;
      throw new KfpUnsupportedError(`${w}: platform spec ${what} has no name`);
    };
    cfg.secretAsEnv?.forEach((s) => {
      const name = value(s.secretNameParameter, s.secretName, 'secretAsEnv');
      for (const k of s.keyToEnv ?? [])
        out.env.push({ name: k.envVar, valueFrom: { secretKeyRef: { name, key: k.secretKey, optional: s.optional } } });
    });
    cfg.configMapAsEnv?.forEach((s) => {
      const name = value(s.configMapNameParameter, s.configMapName, 'configMapAsEnv');
      for (const k of s.keyToEnv ?? [])
        out.env.push({ name: k.envVar, valueFrom: { configMapKeyRef: { name, key: k.configMapKey, optional: s.optional } } });
    });
    cfg.fieldPathAsEnv?.forEach((f) => out.env.push({ name: f.name, valueFrom: { fieldRef: { fieldPath: f.fieldPath } } }));
    cfg.secretAsVolume?.forEach((s, i) => {
      const vol = `kfp-secret-${i}`;
      out.volumes.push({
        name: vol,
        secret: { secretName: value(s.secretNameParameter, s.secretName, 'secretAsVolume'), optional: s.optional },
      });
      out.volumeMounts.push({ name: vol, mountPath: s.mountPath, readOnly: true });
    });
    cfg.configMapAsVolume?.forEach((s, i) => {
      const vol = `kfp-config-map-${i}`;
      out.volumes.push({
        name: vol,
        configMap: { name: value(s.configMapNameParameter, s.configMapName, 'configMapAsVolume'), optional: s.optional },
      });
      out.volumeMounts.push({ name: vol, mountPath: s.mountPath, readOnly: true });
    });
    cfg.pvcMount?.forEach((p, i) => {
      const vol = `kfp-pvc-${i}`;
      const legacy: KfpInputParameterSpec | undefined = p.taskOutputParameter
        ? { taskOutputParameter: p.taskOutputParameter }
        : p.componentInputParameter
          ? { componentInputParameter: p.componentInputParameter }
          : undefined;
      out.volumes.push({ name: vol, persistentVolumeClaim: { claimName: value(p.pvcNameParameter ?? legacy, p.constant, 'pvcMount') } });
      out.volumeMounts.push({ name: vol, mountPath: p.mountPath, subPath: p.subPath || undefined });
    });
    cfg.emptyDirMounts?.forEach((e) => {
      out.volumes.push({ name: e.volumeName, emptyDir: { medium: e.medium || undefined, sizeLimit: e.sizeLimit } });
      out.volumeMounts.push({ name: e.volumeName, mountPath: e.mountPath });
    });
    if (cfg.nodeSelector) {
      if (cfg.nodeSelector.nodeSelectorJson)
        throw new KfpUnsupportedError(
          `${w}: nodeSelector from a pipeline parameter (nodeSelectorJson) is not supported; a pod template is fixed per run`,
        );
      (out as { nodeSelector?: Record<string, string> }).nodeSelector = { ...cfg.nodeSelector.labels };
    }
    if (cfg.tolerations) {
      (out as { tolerations?: Record<string, unknown>[] }).tolerations = cfg.tolerations.map((t) => {
        if (t.tolerationJson)
          throw new KfpUnsupportedError(
            `${w}: toleration from a pipeline parameter (tolerationJson) is not supported; a pod template is fixed per run`,
          );
        return {
          key: t.key || undefined,
          operator: t.operator || undefined,
          value: t.value || undefined,
          effect: t.effect || undefined,
          tolerationSeconds: t.tolerationSeconds,
        };
      });
    }
    if (cfg.podMetadata)
      (out as { podMetadata?: unknown }).podMetadata = { labels: cfg.podMetadata.labels, annotations: cfg.podMetadata.annotations };
    if (cfg.imagePullPolicy) {
      if (!['Always', 'IfNotPresent', 'Never'].includes(cfg.imagePullPolicy))
        throw new KfpUnsupportedError(`${w}: imagePullPolicy ${cfg.imagePullPolicy} is not Always, IfNotPresent or Never`);
      (out as { imagePullPolicy?: string }).imagePullPolicy = cfg.imagePullPolicy;
    }
    return out;
  }
}
