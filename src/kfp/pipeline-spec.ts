/**
 * The Kubeflow Pipelines v2 IR (`schemaVersion: 2.1.0`) as plain typed data, named after
 * `api/v2alpha1/pipeline_spec.proto` (PipelineSpec, ComponentSpec, DagSpec, PipelineTaskSpec, ...)
 * and, for the optional second YAML document, `kubernetes_platform/proto/kubernetes_executor_config.proto`
 * (KubernetesExecutorConfig). Field names are the proto3 JSON names the `kfp` compiler writes.
 * Only the fields this project reads are typed; the reader keeps the rest as it found them.
 */
import { parseAllDocuments } from 'yaml';

/** `ParameterType.ParameterTypeEnum`. */
export type KfpParameterType =
  'STRING' | 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'BOOLEAN' | 'LIST' | 'STRUCT' | 'TASK_FINAL_STATUS' | 'TASK_CONFIG';

/** The parameter types the reader accepts. */
export const KFP_PARAMETER_TYPES: readonly KfpParameterType[] = [
  'STRING',
  'NUMBER_INTEGER',
  'NUMBER_DOUBLE',
  'BOOLEAN',
  'LIST',
  'STRUCT',
  'TASK_FINAL_STATUS',
  'TASK_CONFIG',
];

/** `ArtifactTypeSchema`. */
export interface KfpArtifactTypeSchema {
  /** e.g. `system.Model`. */
  readonly schemaTitle?: string;
  /** e.g. `0.0.1`. */
  readonly schemaVersion?: string;
  /** A type by its schema URI (old IR); unsupported. */
  readonly schemaUri?: string;
}

/** `ComponentInputsSpec.ParameterSpec` / `ComponentOutputsSpec.ParameterSpec`. */
export interface KfpParameterSpec {
  readonly parameterType: KfpParameterType;
  readonly defaultValue?: unknown;
  readonly isOptional?: boolean;
  readonly description?: string;
}

/** `ComponentInputsSpec.ArtifactSpec` / `ComponentOutputsSpec.ArtifactSpec`. */
export interface KfpArtifactSpec {
  readonly artifactType: KfpArtifactTypeSchema;
  readonly isArtifactList?: boolean;
  readonly isOptional?: boolean;
  readonly description?: string;
  readonly metadata?: Record<string, unknown>;
}

/** `ComponentInputsSpec` / `ComponentOutputsSpec`. */
export interface KfpIoDefinitions {
  readonly parameters?: Readonly<Record<string, KfpParameterSpec>>;
  readonly artifacts?: Readonly<Record<string, KfpArtifactSpec>>;
}

/** `TaskOutputParameterSpec`. */
export interface KfpTaskOutputParameter {
  readonly producerTask: string;
  readonly outputParameterKey: string;
}

/** `TaskInputsSpec.InputParameterSpec`: exactly one kind is set. */
export interface KfpInputParameterSpec {
  readonly componentInputParameter?: string;
  readonly taskOutputParameter?: KfpTaskOutputParameter;
  readonly runtimeValue?: { readonly constant?: unknown };
  readonly taskFinalStatus?: { readonly producerTask: string };
  /** A CEL-like selector applied to the value (`parseJson(string_value)["a"]`). */
  readonly parameterExpressionSelector?: string;
}

/** `TaskInputsSpec.InputArtifactSpec`. */
export interface KfpInputArtifactSpec {
  readonly taskOutputArtifact?: { readonly producerTask: string; readonly outputArtifactKey: string };
  readonly componentInputArtifact?: string;
}

/** `PipelineTaskSpec.TriggerPolicy`. */
export interface KfpTriggerPolicy {
  /** A CEL expression over `inputs.parameter_values[...]`. */
  readonly condition?: string;
  readonly strategy?: 'TRIGGER_STRATEGY_UNSPECIFIED' | 'ALL_UPSTREAM_TASKS_SUCCEEDED' | 'ALL_UPSTREAM_TASKS_COMPLETED';
}

/** `ParameterIteratorSpec`. */
export interface KfpParameterIterator {
  readonly items: { readonly raw?: string; readonly inputParameter?: string };
  readonly itemInput: string;
}

/** `PipelineTaskSpec`. */
export interface KfpPipelineTaskSpec {
  readonly taskInfo?: { readonly name?: string };
  readonly inputs?: {
    readonly parameters?: Readonly<Record<string, KfpInputParameterSpec>>;
    readonly artifacts?: Readonly<Record<string, KfpInputArtifactSpec>>;
  };
  readonly dependentTasks?: readonly string[];
  readonly cachingOptions?: { readonly enableCache?: boolean; readonly cacheKey?: string };
  readonly componentRef: { readonly name: string };
  readonly triggerPolicy?: KfpTriggerPolicy;
  readonly parameterIterator?: KfpParameterIterator;
  readonly artifactIterator?: unknown;
  readonly iteratorPolicy?: { readonly parallelismLimit?: number };
  readonly retryPolicy?: {
    readonly maxRetryCount?: number;
    readonly backoffDuration?: string;
    readonly backoffFactor?: number;
    readonly backoffMaxDuration?: string;
  };
}

/** `DagOutputsSpec`. */
export interface KfpDagOutputs {
  readonly parameters?: Readonly<
    Record<
      string,
      {
        readonly valueFromParameter?: { readonly producerSubtask: string; readonly outputParameterKey: string };
        readonly valueFromOneof?: unknown;
      }
    >
  >;
  readonly artifacts?: Readonly<
    Record<
      string,
      {
        readonly artifactSelectors?: readonly { readonly producerSubtask: string; readonly outputArtifactKey: string }[];
      }
    >
  >;
}

/** `DagSpec`. */
export interface KfpDagSpec {
  readonly tasks: Readonly<Record<string, KfpPipelineTaskSpec>>;
  readonly outputs?: KfpDagOutputs;
}

/** `ComponentSpec`: either a DAG or an executor. */
export interface KfpComponentSpec {
  readonly inputDefinitions?: KfpIoDefinitions;
  readonly outputDefinitions?: KfpIoDefinitions;
  readonly dag?: KfpDagSpec;
  readonly executorLabel?: string;
}

/** `PipelineContainerSpec.ResourceSpec`. */
export interface KfpResourceSpec {
  readonly cpuLimit?: number;
  readonly memoryLimit?: number;
  readonly cpuRequest?: number;
  readonly memoryRequest?: number;
  readonly resourceCpuLimit?: string;
  readonly resourceMemoryLimit?: string;
  readonly resourceCpuRequest?: string;
  readonly resourceMemoryRequest?: string;
  readonly accelerator?: {
    readonly type?: string;
    readonly count?: string | number;
    readonly resourceType?: string;
    readonly resourceCount?: string;
  };
}

/** `PipelineContainerSpec`. */
export interface KfpContainerSpec {
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly resources?: KfpResourceSpec;
  readonly lifecycle?: unknown;
}

/** `PipelineDeploymentConfig.ExecutorSpec`. */
export interface KfpExecutorSpec {
  readonly container?: KfpContainerSpec;
  readonly importer?: { readonly artifactUri?: unknown; readonly typeSchema?: KfpArtifactTypeSchema };
  readonly resolver?: unknown;
  readonly customJob?: unknown;
}

/** `PipelineSpec`: the first YAML document. */
export interface KfpPipelineSpec {
  readonly pipelineInfo: { readonly name: string; readonly displayName?: string; readonly description?: string };
  readonly deploymentSpec: { readonly executors: Readonly<Record<string, KfpExecutorSpec>> };
  readonly sdkVersion?: string;
  readonly schemaVersion: string;
  readonly components: Readonly<Record<string, KfpComponentSpec>>;
  readonly root: KfpComponentSpec;
  readonly defaultPipelineRoot?: string;
}

/** `kfp_kubernetes.KubernetesExecutorConfig` (the fields this compiler maps; the rest are refused). */
export interface KfpKubernetesExecutorConfig {
  readonly secretAsVolume?: readonly {
    readonly secretName?: string;
    readonly secretNameParameter?: KfpInputParameterSpec;
    readonly mountPath: string;
    readonly optional?: boolean;
  }[];
  readonly secretAsEnv?: readonly {
    readonly secretName?: string;
    readonly secretNameParameter?: KfpInputParameterSpec;
    readonly keyToEnv?: readonly { readonly secretKey: string; readonly envVar: string }[];
    readonly optional?: boolean;
  }[];
  readonly pvcMount?: readonly (KfpInputParameterSpec & {
    readonly constant?: string;
    readonly pvcNameParameter?: KfpInputParameterSpec;
    readonly mountPath: string;
    readonly subPath?: string;
  })[];
  readonly nodeSelector?: { readonly labels?: Readonly<Record<string, string>>; readonly nodeSelectorJson?: KfpInputParameterSpec };
  readonly tolerations?: readonly {
    readonly key?: string;
    readonly operator?: string;
    readonly value?: string;
    readonly effect?: string;
    readonly tolerationSeconds?: number;
    readonly tolerationJson?: KfpInputParameterSpec;
  }[];
  readonly configMapAsVolume?: readonly {
    readonly configMapName?: string;
    readonly configMapNameParameter?: KfpInputParameterSpec;
    readonly mountPath: string;
    readonly optional?: boolean;
  }[];
  readonly configMapAsEnv?: readonly {
    readonly configMapName?: string;
    readonly configMapNameParameter?: KfpInputParameterSpec;
    readonly keyToEnv?: readonly { readonly configMapKey: string; readonly envVar: string }[];
    readonly optional?: boolean;
  }[];
  readonly fieldPathAsEnv?: readonly { readonly name: string; readonly fieldPath: string }[];
  readonly podMetadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly imagePullPolicy?: string;
  readonly emptyDirMounts?: readonly {
    readonly volumeName: string;
    readonly mountPath: string;
    readonly medium?: string;
    readonly sizeLimit?: string;
  }[];
  readonly [other: string]: unknown;
}

/** `PlatformSpec` with its `kubernetes` `SinglePlatformSpec`: the optional second YAML document. */
export interface KfpKubernetesPlatformSpec {
  readonly deploymentSpec?: { readonly executors?: Readonly<Record<string, KfpKubernetesExecutorConfig>> };
  readonly pipelineConfig?: Record<string, unknown>;
  readonly [other: string]: unknown;
}

/** A compiled KFP pipeline file: the PipelineSpec and its Kubernetes platform spec, if any. */
export interface KfpIr {
  readonly spec: KfpPipelineSpec;
  readonly kubernetes?: KfpKubernetesPlatformSpec;
}

/** The IR is not a KFP v2 pipeline this reader understands; the message is one line. */
export class KfpIrError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'KfpIrError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function assertIo(where: string, io: unknown): void {
  if (io === undefined) return;
  if (!isObject(io)) throw new KfpIrError(`${where} is not a mapping`);
  for (const [name, p] of Object.entries((io.parameters ?? {}) as Record<string, unknown>)) {
    const type = isObject(p) ? p.parameterType : undefined;
    if (typeof type !== 'string' || !(KFP_PARAMETER_TYPES as readonly string[]).includes(type)) {
      throw new KfpIrError(
        `${where}.parameters.${name}.parameterType is ${JSON.stringify(type)}, not one of ${KFP_PARAMETER_TYPES.join(', ')}`,
      );
    }
  }
  for (const [name, a] of Object.entries((io.artifacts ?? {}) as Record<string, unknown>)) {
    if (!isObject(a) || !isObject(a.artifactType)) throw new KfpIrError(`${where}.artifacts.${name} has no artifactType`);
  }
}

/**
 * Reads a compiled KFP v2 pipeline file: the PipelineSpec document and, when present, the
 * `platforms.kubernetes` document. Throws `KfpIrError` (one line, naming the field) when the text
 * is not such a file.
 */
export function readKfpIr(text: string, fileName = 'IR'): KfpIr {
  const documents = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) throw new KfpIrError(`${fileName}: not YAML: ${doc.errors[0].message.split('\n')[0]}`);
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) values.push(value);
  }
  let spec: Record<string, unknown> | undefined;
  let kubernetes: KfpKubernetesPlatformSpec | undefined;
  for (const value of values) {
    if (!isObject(value)) throw new KfpIrError(`${fileName}: a document is not a mapping`);
    if ('platforms' in value) {
      const platforms = value.platforms;
      if (!isObject(platforms)) throw new KfpIrError(`${fileName}: platforms is not a mapping`);
      for (const name of Object.keys(platforms)) {
        if (name !== 'kubernetes') throw new KfpIrError(`${fileName}: platforms.${name} is not supported (only platforms.kubernetes)`);
      }
      if (!isObject(platforms.kubernetes)) throw new KfpIrError(`${fileName}: platforms.kubernetes is not a mapping`);
      kubernetes = platforms.kubernetes as KfpKubernetesPlatformSpec;
    } else if (spec === undefined) {
      spec = value;
    } else {
      throw new KfpIrError(`${fileName}: more than one PipelineSpec document`);
    }
  }
  if (!spec) throw new KfpIrError(`${fileName}: no PipelineSpec document`);
  if (typeof spec.schemaVersion !== 'string' || !spec.schemaVersion.startsWith('2.')) {
    throw new KfpIrError(
      `${fileName}: schemaVersion is ${JSON.stringify(spec.schemaVersion)}; a KFP v2 pipeline (schemaVersion 2.x) is needed`,
    );
  }
  if (!isObject(spec.pipelineInfo) || typeof spec.pipelineInfo.name !== 'string')
    throw new KfpIrError(`${fileName}: pipelineInfo.name is missing`);
  if (!isObject(spec.root) || !isObject(spec.root.dag))
    throw new KfpIrError(`${fileName}: root.dag is missing (a component file, not a pipeline)`);
  if (!isObject(spec.components)) throw new KfpIrError(`${fileName}: components is missing`);
  if (!isObject(spec.deploymentSpec) || !isObject(spec.deploymentSpec.executors))
    throw new KfpIrError(`${fileName}: deploymentSpec.executors is missing`);
  assertIo('root.inputDefinitions', spec.root.inputDefinitions);
  assertIo('root.outputDefinitions', spec.root.outputDefinitions);
  for (const [name, component] of Object.entries(spec.components)) {
    if (!isObject(component)) throw new KfpIrError(`${fileName}: components.${name} is not a mapping`);
    assertIo(`components.${name}.inputDefinitions`, component.inputDefinitions);
    assertIo(`components.${name}.outputDefinitions`, component.outputDefinitions);
    if (!isObject(component.dag) && typeof component.executorLabel !== 'string') {
      throw new KfpIrError(`${fileName}: components.${name} has neither dag nor executorLabel`);
    }
  }
  return { spec: spec as unknown as KfpPipelineSpec, kubernetes };
}
