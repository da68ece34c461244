import { FieldPathSegment } from './finding';
import { JsonObject } from '../tekton-model/json-shape';
import { SuppliedParam } from './param-wiring-rules';
import { TaskSpecFacts } from '../tekton-model/task-spec-facts';

/** The Task a pipeline task runs, once resolved: embedded, or found among the documents. */
export interface ResolvedTask {
  /** Its spec. */
  readonly spec: JsonObject;
  /** True for an embedded `taskSpec`, false for a `taskRef` found among the documents. */
  readonly embedded: boolean;
  /** How messages name it: `embedded taskSpec` or `Task/<name>`. */
  readonly callee: string;
  /** Its declarations. */
  readonly facts: TaskSpecFacts;
}

/** One pipeline task, with what is known of the Task it runs: read once, then only read by the judges. */
export interface PipelineTaskEntry {
  /** The pipeline task as written. */
  readonly task: JsonObject;
  /** Its name. */
  readonly name: string;
  /** Where it is listed. */
  readonly section: 'tasks' | 'finally';
  /** Its index in that list. */
  readonly index: number;
  /** Its path below the Pipeline spec, e.g. `['tasks', 2]`. */
  readonly path: readonly FieldPathSegment[];
  /** The Task's facts, when it is known (embedded, or found among the documents). */
  readonly facts?: TaskSpecFacts;
  /** The Task it runs, when it is known; undefined for custom tasks and child pipelines. */
  readonly resolved?: ResolvedTask;
  /** The params it supplies: `params`, then `matrix.params`, then `matrix.include[].params`. */
  readonly supplied: readonly SuppliedParam[];
  /** A custom task or child pipeline: its params and results are not Task-shaped. */
  readonly custom: boolean;
  /** True when it has matrix params or includes. */
  readonly matrixed: boolean;
}
