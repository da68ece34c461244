import { FieldPathSegment } from './finding';
import { asArray, asObject, asString, JsonObject, listNames, objectsOf, quote } from '../tekton-model/json-shape';
import { FoundReference, judgeParamReference, LENIENT, ReferencePlacement, ReferenceStrictness, STRICT } from './param-reference-rules';
import { PipelineIndex } from './pipeline-index';
import { PipelineTaskEntry } from './pipeline-task-entry';
import { ScopedReporter } from './scoped-reporter';
import { forEachString } from '../tekton-model/string-walk';
import { findVariableReferences } from '../tekton-model/variable-references';

const VALID_PREFIXES = new Set(['params', 'tasks', 'finally', 'context', 'workspaces', 'results']);
const SIMPLE_REFERENCE = /^[_a-zA-Z0-9.-]+(\[([0-9]+|\*)\])?$/;
const PIPELINE_CONTEXT: Readonly<Record<string, ReadonlySet<string>>> = {
  pipelineRun: new Set(['name', 'namespace', 'uid']),
  pipeline: new Set(['name']),
  pipelineTask: new Set(['retries']),
};

/** Whether admission checks this task's param references. */
export function admissionChecks(pipeline: PipelineIndex, entry: PipelineTaskEntry): boolean {
  return pipeline.scope.validation === 'pipeline' || (pipeline.scope.validation === 'pipelinerun' && entry.section === 'tasks');
}

/** Judges every `$(...)` of every pipeline task (the `validatePipelineParameterUsage` and result-reference part of a Pipeline's judges). */
export function judgeReferences(r: ScopedReporter, pipeline: PipelineIndex): void {
  for (const entry of pipeline.entries) new PipelineTaskReferences(r, pipeline, entry).judge();
}

/** Where in a pipeline task a reference is written. */
type ReferenceSite = 'param' | 'when' | 'spec' | 'subPath' | 'cel';

/** Judges every `$(...)` in one pipeline task's params, matrix, when, embedded spec, workspace subPaths and resolver params. */
class PipelineTaskReferences {
  private readonly strictness: ReferenceStrictness;

  public constructor(
    private readonly r: ScopedReporter,
    private readonly pipeline: PipelineIndex,
    private readonly entry: PipelineTaskEntry,
  ) {
    this.strictness = admissionChecks(pipeline, entry) ? STRICT : { usage: 'warning', shape: 'error' };
  }

  /** Judges the references of the task. */
  public judge(): void {
    const { task, path } = this.entry;
    for (const [p, i] of objectsOf(task.params)) {
      const at: FieldPathSegment[] = [...path, 'params', i, 'value'];
      if (Array.isArray(p.value)) this.visitItems(p.value, at, 'param');
      else if (typeof p.value === 'string') {
        this.visit(p.value, at, 'param-value', 'param');
        this.judgeWholeResultType(asString(p.name) ?? '', p.value, at);
      } else forEachString(p.value, at, (text, where) => this.visit(text, where, 'string', 'param'));
    }
    this.judgeMatrix(asObject(task.matrix));
    for (const [w, i] of objectsOf(task.when)) {
      const at: FieldPathSegment[] = [...path, 'when', i];
      if (typeof w.input === 'string') this.visit(w.input, [...at, 'input'], 'string', 'when');
      asArray(w.values).forEach((v, j) => typeof v === 'string' && this.visit(v, [...at, 'values', j], 'when-value', 'when'));
      if (typeof w.cel === 'string') this.visit(w.cel, [...at, 'cel'], 'string', 'cel');
    }
    const taskSpec = asObject(task.taskSpec);
    if (taskSpec) {
      for (const field of ['steps', 'sidecars'] as const) {
        forEachString(taskSpec[field], [...path, 'taskSpec', field], (text, where) => this.visit(text, where, 'string', 'spec'));
      }
    }
    for (const [w, i] of objectsOf(task.workspaces)) {
      if (typeof w.subPath === 'string') this.visit(w.subPath, [...path, 'workspaces', i, 'subPath'], 'string', 'subPath');
    }
    this.judgeResolverParams();
  }

  private judgeMatrix(matrix: JsonObject | undefined): void {
    if (!matrix) return;
    const at: FieldPathSegment[] = [...this.entry.path, 'matrix'];
    for (const [p, i] of objectsOf(matrix.params)) {
      if (Array.isArray(p.value)) this.visitItems(p.value, [...at, 'params', i, 'value'], 'param');
      else if (typeof p.value === 'string') this.visit(p.value, [...at, 'params', i, 'value'], 'param-value', 'param');
    }
    for (const [inc, j] of objectsOf(matrix.include)) {
      for (const [p, i] of objectsOf(inc.params)) {
        forEachString(p.value, [...at, 'include', j, 'params', i, 'value'], (text, where) => this.visit(text, where, 'string', 'param'));
      }
    }
  }

  /** Resolver params are substituted with the pipeline's params before the Task is fetched. */
  private judgeResolverParams(): void {
    for (const refField of ['taskRef', 'pipelineRef'] as const) {
      for (const [p, i] of objectsOf(asObject(this.entry.task[refField])?.params)) {
        const scope = {
          params: this.pipeline.params,
          placement: typeof p.value === 'string' ? 'param-value' : 'string',
          strictness: LENIENT,
        } as const;
        forEachString(p.value, [...this.entry.path, refField, 'params', i, 'value'], (text, path) => {
          for (const reference of findVariableReferences(text)) {
            if (reference.kind === 'params') judgeParamReference(this.r, { path, text, reference }, scope);
          }
        });
      }
    }
  }

  /** Visits each string item of a list as an array item. */
  private visitItems(items: readonly unknown[], at: readonly FieldPathSegment[], site: ReferenceSite): void {
    items.forEach((v, j) => typeof v === 'string' && this.visit(v, [...at, j], 'array-item', site));
  }

  /** Judges every `$(...)` of `text`, written at `path` as `site`. */
  private visit(text: string, path: readonly FieldPathSegment[], placement: ReferencePlacement, site: ReferenceSite): void {
    for (const reference of findVariableReferences(text)) {
      const found: FoundReference = { path, text, reference };
      if (site !== 'spec') this.judgeVariable(found, placement, site);
      this.judgeTaskStateReference(found, site);
    }
  }

  /** A param reference, a variable prefix Tekton knows, a pipeline context variable. */
  private judgeVariable(found: FoundReference, placement: ReferencePlacement, site: ReferenceSite): void {
    const { path: at, reference: ref } = found;
    if (ref.kind === 'params') {
      judgeParamReference(this.r, found, {
        params: this.pipeline.params,
        placement,
        strictness: site === 'subPath' ? LENIENT : this.strictness,
        admissionParams: this.pipeline.admission,
      });
    }
    const first = ref.segments[0];
    const root = first && first.type === 'name' ? first.value : '';
    if (
      (site === 'param' || site === 'when') &&
      !VALID_PREFIXES.has(root) &&
      !this.r.filledInBeforeTekton(ref.text) &&
      SIMPLE_REFERENCE.test(ref.expression)
    ) {
      this.r.report(
        'variable-prefix-unknown',
        at,
        `${ref.text} is not a Tekton variable (prefixes: params, tasks, finally, context, workspaces, results); for a shell variable write \${VAR}`,
      );
    }
    if (
      ref.kind === 'context' &&
      ref.name !== undefined &&
      PIPELINE_CONTEXT[ref.name] &&
      !PIPELINE_CONTEXT[ref.name].has(ref.attribute ?? '')
    ) {
      this.r.report(
        'context-variable-unknown',
        at,
        `${ref.text} is not a context variable (context.${ref.name} has: ${listNames(PIPELINE_CONTEXT[ref.name])})`,
      );
    }
  }

  /**
   * A param value that is one whole `$(tasks.t.results.r[*])` (or `$(tasks.t.results.r)`) becomes an array (or object) when
   * Tekton resolves it; handed to a param of another type, the TaskRun fails ("param types don't
   * match"), as a whole array or object pipeline param would.
   */
  private judgeWholeResultType(paramName: string, value: string, at: readonly FieldPathSegment[]): void {
    const { r, pipeline, entry } = this;
    const consumer = entry.facts?.params.find((d) => d.name === paramName);
    if (!consumer) return;
    const refs = findVariableReferences(value);
    if (refs.length !== 1) return;
    const [ref] = refs;
    // with or without [*]: Tekton strips the star before looking the whole reference up (ParamValue.applyOrCorrect)
    if (
      ref.kind !== 'tasks.results' ||
      ref.start !== 0 ||
      ref.end !== value.length ||
      ref.owner === undefined ||
      ref.name === undefined ||
      ref.key !== undefined ||
      ref.index !== undefined
    )
      return;
    const producer = pipeline.byName.get(ref.owner);
    const result = producer?.facts?.results.get(ref.name);
    if (!producer || producer.custom || !result || (producer.matrixed && !ref.star)) return; // the latter is task-result-matrix-misused
    const type = producer.matrixed ? 'array' : result.type;
    if (type === 'string' || type === consumer.type) return;
    r.report(
      'param-value-type-mismatch',
      at,
      `param ${quote(paramName)} is ${consumer.type === 'array' ? 'an array' : consumer.type === 'object' ? 'an object' : 'a string'}, but ${ref.text} is ${type === 'array' ? 'an array' : 'an object'}${producer.matrixed ? ' (the results of a matrixed task)' : ''}, so the TaskRun fails`,
    );
  }

  /** A task's execution status (finally tasks only) or result (declared, not of a finally task, whole from a matrixed task). */
  private judgeTaskStateReference(found: FoundReference, where: ReferenceSite): void {
    const { r, entry } = this;
    const { byName, taskNames } = this.pipeline;
    const { path: at, reference: ref } = found;
    switch (ref.kind) {
      case 'tasks.status':
      case 'tasks.reason':
      case 'tasks.aggregate-status': {
        if (where === 'spec') return;
        if (entry.section === 'tasks') {
          r.report(
            'execution-status-outside-finally',
            at,
            `${ref.text} reads an execution status, which only finally tasks may do; move ${quote(entry.name)} to finally or drop the reference`,
          );
        } else if (ref.owner !== undefined && !taskNames.has(ref.owner)) {
          r.report(
            'execution-status-outside-finally',
            at,
            `${ref.text} names ${quote(ref.owner)}, which is not a task in tasks (tasks: ${listNames(taskNames)})`,
          );
        }
        return;
      }
      case 'tasks.results': {
        if (ref.owner === undefined || ref.name === undefined) return;
        if (ref.expression.startsWith('finally.')) return;
        const producer = byName.get(ref.owner);
        if (!producer) {
          r.report(
            'task-result-task-unknown',
            at,
            `${ref.text} reads a result of ${quote(ref.owner)}, which is not a task of this Pipeline`,
          );
          return;
        }
        if (producer.section === 'finally') {
          r.report(
            'task-result-from-finally',
            at,
            entry.section === 'finally'
              ? `${ref.text} reads a result of finally task ${quote(ref.owner)}; finally tasks may only read results of tasks in tasks`
              : `${ref.text} reads a result of finally task ${quote(ref.owner)}, which runs after every task in tasks; read it in a pipeline result instead`,
          );
          return;
        }
        if (
          producer.section === 'tasks' &&
          (producer.task.pipelineRef != null || producer.task.pipelineSpec != null) &&
          where !== 'subPath'
        ) {
          r.report(
            'task-result-from-child-pipeline',
            at,
            `${ref.text} reads a result of ${quote(ref.owner)}, which runs a Pipeline (${producer.task.pipelineRef != null ? 'pipelineRef' : 'pipelineSpec'}); Tekton refuses result references to a child Pipeline (their results are not propagated)`,
          );
          return;
        }
        if (producer.matrixed && !ref.star && where !== 'spec') {
          r.report(
            'task-result-matrix-misused',
            at,
            `${ref.text} reads a result of matrixed task ${quote(ref.owner)}, which can only be read whole: write $(tasks.${ref.owner}.results.${ref.name}[*])`,
          );
        }
        const facts = producer.facts;
        if (!facts || producer.custom) return;
        const result = facts.results.get(ref.name);
        if (!result) {
          r.report(
            'task-result-undeclared',
            at,
            `${ref.text} reads result ${quote(ref.name)}, which the Task of ${quote(ref.owner)} does not declare (declared: ${listNames(facts.results.keys())})`,
          );
          return;
        }
        if (producer.matrixed && result.type !== 'string') {
          r.report(
            'task-result-matrix-misused',
            at,
            `${ref.text}: matrixed task ${quote(ref.owner)} can only emit string results, but ${quote(ref.name)} is ${result.type === 'array' ? 'an array' : 'an object'}`,
          );
        }
        if (ref.key !== undefined && result.type === 'object' && result.properties && !result.properties.has(ref.key)) {
          // Tekton checks no key against properties (a Task may write more keys than it declares): the run fails only if the key is absent
          r.report(
            'task-result-undeclared',
            at,
            `${ref.text} reads key ${quote(ref.key)}, which object result ${quote(ref.name)} of ${quote(ref.owner)} does not declare (keys: ${listNames(result.properties)}); Tekton accepts it, but the run fails unless the Task writes that key anyway`,
            'warning',
          );
        }
        return;
      }
      default:
        return;
    }
  }
}
