import { FieldPathSegment } from './finding';
import { JsonObject } from '../tekton-model/json-shape';
import { TaskSpecFacts } from './task-spec-rules';

/** One pipeline task, with what is known of the Task it runs. */
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
  facts?: TaskSpecFacts;
  /** A custom task or child pipeline: its params and results are not Task-shaped. */
  readonly custom: boolean;
  /** True when it has matrix params or includes. */
  readonly matrixed: boolean;
}

