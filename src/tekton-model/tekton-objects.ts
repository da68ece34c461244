/**
 * The shapes of Tekton v1 objects the rehearsal reads, as plain JSON (what `yaml.parse` gives for a
 * manifest), and Tekton's param/result values. Only the fields the rehearsal uses are typed.
 */

/** A param or result value: string, array of strings, or object of strings. */
export type TektonValue = string | string[] | Record<string, string>;

/** `string`, `array` or `object`. */
export type TektonValueType = 'string' | 'array' | 'object';

/** A declared param (`spec.params[]` of a Task or Pipeline). */
export interface ParamDeclarationSpec {
  readonly name: string;
  readonly type?: TektonValueType;
  readonly default?: TektonValue;
  readonly properties?: Record<string, { type?: string }>;
  readonly enum?: readonly string[];
}

/** A param given a value (`params[]` of a run or a pipeline task). */
export interface Param {
  readonly name: string;
  readonly value: TektonValue;
}

/** A declared Task result. */
export interface TaskResultSpec {
  readonly name: string;
  readonly type?: TektonValueType;
  readonly properties?: Record<string, { type?: string }>;
  readonly description?: string;
}

/** An environment variable of a step. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: Record<string, unknown>;
}

/** A step of a Task. */
export interface Step {
  readonly name?: string;
  readonly image?: string;
  readonly script?: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly workingDir?: string;
  readonly env?: EnvVar[];
  readonly onError?: 'continue' | 'stopAndFail';
  readonly timeout?: string;
  readonly ref?: unknown;
  readonly stdoutConfig?: { path?: string };
  readonly stderrConfig?: { path?: string };
  readonly workspaces?: { name: string; mountPath?: string }[];
  readonly [field: string]: unknown;
}

/** A declared workspace of a Task or Pipeline. */
export interface WorkspaceDeclaration {
  readonly name: string;
  readonly optional?: boolean;
  readonly mountPath?: string;
}

/** `spec` of a Task (or an embedded `taskSpec`). */
export interface TaskSpec {
  readonly params?: ParamDeclarationSpec[];
  readonly results?: TaskResultSpec[];
  readonly steps?: Step[];
  readonly stepTemplate?: Partial<Step>;
  readonly workspaces?: WorkspaceDeclaration[];
  readonly sidecars?: unknown[];
  readonly [field: string]: unknown;
}

/** A when expression. */
export interface WhenExpression {
  readonly input?: string;
  readonly operator?: 'in' | 'notin';
  readonly values?: string[];
  readonly cel?: string;
}

/** A task of a Pipeline (`spec.tasks[]` or `spec.finally[]`). */
export interface PipelineTaskSpec {
  readonly name: string;
  readonly taskRef?: { readonly name?: string; readonly kind?: string; readonly resolver?: string; readonly apiVersion?: string };
  readonly taskSpec?: TaskSpec;
  readonly params?: Param[];
  readonly runAfter?: string[];
  readonly workspaces?: { name: string; workspace?: string; subPath?: string }[];
  readonly when?: WhenExpression[];
  readonly matrix?: unknown;
  readonly timeout?: string;
  /** How often a failed attempt is retried. */
  readonly retries?: number;
}

/** A pipeline result declaration. */
export interface PipelineResultSpec {
  readonly name: string;
  readonly type?: TektonValueType;
  readonly value: TektonValue;
  readonly description?: string;
}

/** `spec` of a Pipeline. */
export interface PipelineSpec {
  readonly params?: ParamDeclarationSpec[];
  readonly tasks?: PipelineTaskSpec[];
  readonly finally?: PipelineTaskSpec[];
  readonly results?: PipelineResultSpec[];
  readonly workspaces?: WorkspaceDeclaration[];
}

/** Any Kubernetes object as JSON. */
export interface KubernetesObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  readonly spec?: any;
  readonly data?: Record<string, string>;
  readonly status?: any;
}

/** The type of a value as Tekton infers it from JSON. */
export function typeOfValue(value: TektonValue): TektonValueType {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object' && value !== null) return 'object';
  return 'string';
}
