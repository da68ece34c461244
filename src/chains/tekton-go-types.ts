/**
 * The Go struct shapes `encoding/json` sees when Tekton Chains v0.29.2 reads a run and writes its spec:
 * tektoncd/pipeline v1.15.0 `pkg/apis/pipeline/v1` (`TaskRunSpec`, `PipelineRunSpec` and what they hold)
 * and the Kubernetes types inside them (k8s.io/api `core/v1`, k8s.io/apimachinery `meta/v1` as vendored by
 * Chains). Each field: json name, `omitempty`, struct or pointer. Kubernetes types whose fields are all
 * `omitempty` pointers or scalars (probes, security contexts, most volume sources, pod affinity) are kept
 * as given (`any`): Go writes them back unchanged except for keys Go does not know, which pass through here.
 */
import { GoField, GoType } from './go-json';

const STRING: GoType = { kind: 'string' };
const BOOL: GoType = { kind: 'bool' };
const NUMBER: GoType = { kind: 'number' };
const ANY: GoType = { kind: 'any' };
const DURATION: GoType = { kind: 'duration' };
const TIME: GoType = { kind: 'time' };
const QUANTITY: GoType = { kind: 'quantity' };
const PARAM_VALUE: GoType = { kind: 'paramValue' };
const RAW: GoType = { kind: 'rawExtension' };

const ptr = (to: GoType): GoType => ({ kind: 'pointer', to });
const slice = (of: GoType): GoType => ({ kind: 'slice', of });
const map = (of: GoType): GoType => ({ kind: 'map', of });
const struct = (name: string, fields: () => readonly GoField[]): GoType => ({ kind: 'struct', name, fields });
/** A field with `omitempty`. */
const o = (json: string, type: GoType): GoField => ({ json, type, omitempty: true });
/** A field without `omitempty`: always written. */
const a = (json: string, type: GoType): GoField => ({ json, type });
const inline = (type: GoType): GoField => ({ json: '', type, inline: true });

// ---------------------------------------------------------------- Kubernetes

/** metav1.TypeMeta (inline). */
const TYPE_META = struct('TypeMeta', () => [o('kind', STRING), o('apiVersion', STRING)]);

/** metav1.ObjectMeta; `creationTimestamp` is `omitempty,omitzero` in apimachinery v0.36 (an empty one is `{}`). */
export const OBJECT_META = struct('ObjectMeta', () => [
  o('name', STRING),
  o('generateName', STRING),
  o('namespace', STRING),
  o('selfLink', STRING),
  o('uid', STRING),
  o('resourceVersion', STRING),
  o('generation', NUMBER),
  { json: 'creationTimestamp', type: TIME, omitempty: true, omitzero: true },
  o('deletionTimestamp', ptr(TIME)),
  o('deletionGracePeriodSeconds', ptr(NUMBER)),
  o('labels', map(STRING)),
  o('annotations', map(STRING)),
  o('ownerReferences', slice(ANY)),
  o('finalizers', slice(STRING)),
  o('managedFields', slice(ANY)),
]);

const RESOURCE_LIST = map(QUANTITY);

/** corev1.ResourceRequirements. */
const RESOURCE_REQUIREMENTS = struct('ResourceRequirements', () => [
  o('limits', RESOURCE_LIST),
  o('requests', RESOURCE_LIST),
  o('claims', slice(ANY)),
]);

/** corev1.VolumeResourceRequirements. */
const VOLUME_RESOURCE_REQUIREMENTS = struct('VolumeResourceRequirements', () => [o('limits', RESOURCE_LIST), o('requests', RESOURCE_LIST)]);

/** corev1.PersistentVolumeClaimSpec. */
const PVC_SPEC = struct('PersistentVolumeClaimSpec', () => [
  o('accessModes', slice(STRING)),
  o('selector', ptr(ANY)),
  o('resources', VOLUME_RESOURCE_REQUIREMENTS),
  o('volumeName', STRING),
  o('storageClassName', ptr(STRING)),
  o('volumeMode', ptr(STRING)),
  o('dataSource', ptr(ANY)),
  o('dataSourceRef', ptr(ANY)),
  o('volumeAttributesClassName', ptr(STRING)),
]);

/** corev1.PersistentVolumeClaimStatus. */
const PVC_STATUS = struct('PersistentVolumeClaimStatus', () => [
  o('phase', STRING),
  o('accessModes', slice(STRING)),
  o('capacity', RESOURCE_LIST),
  o('conditions', slice(ANY)),
  o('allocatedResources', RESOURCE_LIST),
  o('allocatedResourceStatuses', map(STRING)),
  o('currentVolumeAttributesClassName', ptr(STRING)),
  o('modifyVolumeStatus', ptr(ANY)),
]);

/** corev1.PersistentVolumeClaim: metadata, spec and status are structs, so `{}` at least. */
const PVC = struct('PersistentVolumeClaim', () => [
  inline(TYPE_META),
  o('metadata', OBJECT_META),
  o('spec', PVC_SPEC),
  o('status', PVC_STATUS),
]);

/** corev1.EnvVar. */
const ENV_VAR = struct('EnvVar', () => [a('name', STRING), o('value', STRING), o('valueFrom', ptr(ANY))]);

/** corev1.VolumeMount. */
const VOLUME_MOUNT = struct('VolumeMount', () => [
  a('name', STRING),
  o('readOnly', BOOL),
  o('recursiveReadOnly', ptr(STRING)),
  a('mountPath', STRING),
  o('subPath', STRING),
  o('mountPropagation', ptr(STRING)),
  o('subPathExpr', STRING),
]);

/** corev1.VolumeDevice. */
const VOLUME_DEVICE = struct('VolumeDevice', () => [a('name', STRING), a('devicePath', STRING)]);

/** corev1.EmptyDirVolumeSource. */
const EMPTY_DIR = struct('EmptyDirVolumeSource', () => [o('medium', STRING), o('sizeLimit', ptr(QUANTITY))]);

const VOLUME_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** corev1.Volume: name plus the inline VolumeSource (one pointer per kind of volume). */
const VOLUME = struct('Volume', () => [
  a('name', STRING),
  ...VOLUME_SOURCES.map((source) => o(source, ptr(ANY))),
  o('emptyDir', ptr(EMPTY_DIR)),
]);

/** corev1.ContainerPort. */
const CONTAINER_PORT = struct('ContainerPort', () => [
  o('name', STRING),
  o('hostPort', NUMBER),
  a('containerPort', NUMBER),
  o('protocol', STRING),
  o('hostIP', STRING),
]);

/** Tekton's pod.PodTemplate (pkg/apis/pipeline/pod/template.go): every field optional. */
const POD_TEMPLATE = struct('PodTemplate', () => [
  o('nodeSelector', map(STRING)),
  o('env', slice(ENV_VAR)),
  o('tolerations', slice(ANY)),
  o('affinity', ptr(ANY)),
  o('securityContext', ptr(ANY)),
  o('volumes', slice(VOLUME)),
  o('runtimeClassName', ptr(STRING)),
  o('automountServiceAccountToken', ptr(BOOL)),
  o('dnsPolicy', ptr(STRING)),
  o('dnsConfig', ptr(ANY)),
  o('enableServiceLinks', ptr(BOOL)),
  o('priorityClassName', ptr(STRING)),
  o('schedulerName', STRING),
  o('imagePullSecrets', slice(ANY)),
  o('hostAliases', slice(ANY)),
  o('hostNetwork', BOOL),
  o('topologySpreadConstraints', slice(ANY)),
  o('hostUsers', ptr(BOOL)),
]);

// ---------------------------------------------------------------- Tekton v1

const PARAM = struct('Param', () => [a('name', STRING), a('value', PARAM_VALUE)]);
const PARAMS = slice(PARAM);
const PROPERTY_SPEC = struct('PropertySpec', () => [o('type', STRING)]);
const PARAM_SPEC = struct('ParamSpec', () => [
  a('name', STRING),
  o('type', STRING),
  o('description', STRING),
  o('properties', map(PROPERTY_SPEC)),
  o('default', ptr(PARAM_VALUE)),
  o('enum', slice(STRING)),
]);
const RESOLVER_REF = struct('ResolverRef', () => [o('resolver', STRING), o('params', PARAMS)]);
const TASK_REF = struct('TaskRef', () => [o('name', STRING), o('kind', STRING), o('apiVersion', STRING), inline(RESOLVER_REF)]);
const PIPELINE_REF = struct('PipelineRef', () => [o('name', STRING), o('apiVersion', STRING), inline(RESOLVER_REF)]);
const STEP_REF = struct('Ref', () => [o('name', STRING), inline(RESOLVER_REF)]);
const WHEN = struct('WhenExpression', () => [o('input', STRING), o('operator', STRING), o('values', slice(STRING)), o('cel', STRING)]);
const WORKSPACE_USAGE = struct('WorkspaceUsage', () => [a('name', STRING), a('mountPath', STRING)]);
const STEP_OUTPUT = struct('StepOutputConfig', () => [o('path', STRING)]);
const STEP_RESULT = struct('StepResult', () => [
  a('name', STRING),
  o('type', STRING),
  o('properties', map(PROPERTY_SPEC)),
  o('description', STRING),
]);

/** v1.Step: `name` without omitempty, `computeResources` a struct (so `{}` at least). */
const STEP = struct('Step', () => [
  a('name', STRING),
  o('displayName', STRING),
  o('image', STRING),
  o('command', slice(STRING)),
  o('args', slice(STRING)),
  o('workingDir', STRING),
  o('envFrom', slice(ANY)),
  o('env', slice(ENV_VAR)),
  o('computeResources', RESOURCE_REQUIREMENTS),
  o('volumeMounts', slice(VOLUME_MOUNT)),
  o('volumeDevices', slice(VOLUME_DEVICE)),
  o('imagePullPolicy', STRING),
  o('securityContext', ptr(ANY)),
  o('script', STRING),
  o('timeout', ptr(DURATION)),
  o('workspaces', slice(WORKSPACE_USAGE)),
  o('onError', STRING),
  o('stdoutConfig', ptr(STEP_OUTPUT)),
  o('stderrConfig', ptr(STEP_OUTPUT)),
  o('ref', ptr(STEP_REF)),
  o('params', PARAMS),
  o('results', slice(STEP_RESULT)),
  o('when', slice(WHEN)),
]);

const STEP_TEMPLATE = struct('StepTemplate', () => [
  o('image', STRING),
  o('command', slice(STRING)),
  o('args', slice(STRING)),
  o('workingDir', STRING),
  o('envFrom', slice(ANY)),
  o('env', slice(ENV_VAR)),
  o('computeResources', RESOURCE_REQUIREMENTS),
  o('volumeMounts', slice(VOLUME_MOUNT)),
  o('volumeDevices', slice(VOLUME_DEVICE)),
  o('imagePullPolicy', STRING),
  o('securityContext', ptr(ANY)),
]);

const SIDECAR = struct('Sidecar', () => [
  a('name', STRING),
  o('image', STRING),
  o('command', slice(STRING)),
  o('args', slice(STRING)),
  o('workingDir', STRING),
  o('ports', slice(CONTAINER_PORT)),
  o('envFrom', slice(ANY)),
  o('env', slice(ENV_VAR)),
  o('computeResources', RESOURCE_REQUIREMENTS),
  o('volumeMounts', slice(VOLUME_MOUNT)),
  o('volumeDevices', slice(VOLUME_DEVICE)),
  o('livenessProbe', ptr(ANY)),
  o('readinessProbe', ptr(ANY)),
  o('startupProbe', ptr(ANY)),
  o('lifecycle', ptr(ANY)),
  o('terminationMessagePath', STRING),
  o('terminationMessagePolicy', STRING),
  o('imagePullPolicy', STRING),
  o('securityContext', ptr(ANY)),
  o('stdin', BOOL),
  o('stdinOnce', BOOL),
  o('tty', BOOL),
  o('script', STRING),
  o('workspaces', slice(WORKSPACE_USAGE)),
  o('restartPolicy', ptr(STRING)),
]);

const WORKSPACE_DECLARATION = struct('WorkspaceDeclaration', () => [
  a('name', STRING),
  o('description', STRING),
  o('mountPath', STRING),
  o('readOnly', BOOL),
  o('optional', BOOL),
]);

const TASK_RESULT = struct('TaskResult', () => [
  a('name', STRING),
  o('type', STRING),
  o('properties', map(PROPERTY_SPEC)),
  o('description', STRING),
  o('value', ptr(PARAM_VALUE)),
]);

/** The fields of v1.TaskSpec (also inlined into an embedded task). */
const TASK_SPEC_FIELDS = (): readonly GoField[] => [
  o('params', slice(PARAM_SPEC)),
  o('displayName', STRING),
  o('description', STRING),
  o('steps', slice(STEP)),
  o('volumes', slice(VOLUME)),
  o('stepTemplate', ptr(STEP_TEMPLATE)),
  o('sidecars', slice(SIDECAR)),
  o('workspaces', slice(WORKSPACE_DECLARATION)),
  o('results', slice(TASK_RESULT)),
];

/** v1.TaskSpec. */
export const TASK_SPEC = struct('TaskSpec', TASK_SPEC_FIELDS);

const PIPELINE_TASK_METADATA = struct('PipelineTaskMetadata', () => [o('labels', map(STRING)), o('annotations', map(STRING))]);

/** v1.EmbeddedTask: TypeMeta, `spec` (a RawExtension: `null` when absent), `metadata` (a struct: `{}`), TaskSpec inline. */
const EMBEDDED_TASK = struct('EmbeddedTask', () => [
  inline(TYPE_META),
  o('spec', RAW),
  o('metadata', PIPELINE_TASK_METADATA),
  inline(TASK_SPEC),
]);

const MATRIX_INCLUDE = struct('IncludeParams', () => [o('name', STRING), o('params', PARAMS)]);
const MATRIX = struct('Matrix', () => [o('params', PARAMS), o('include', slice(MATRIX_INCLUDE))]);
const WORKSPACE_PIPELINE_TASK_BINDING = struct('WorkspacePipelineTaskBinding', () => [
  a('name', STRING),
  o('workspace', STRING),
  o('subPath', STRING),
]);

const PIPELINE_TASK: GoType = struct('PipelineTask', () => [
  o('name', STRING),
  o('displayName', STRING),
  o('description', STRING),
  o('taskRef', ptr(TASK_REF)),
  o('taskSpec', ptr(EMBEDDED_TASK)),
  o('when', slice(WHEN)),
  o('retries', NUMBER),
  o('runAfter', slice(STRING)),
  o('params', PARAMS),
  o('matrix', ptr(MATRIX)),
  o('workspaces', slice(WORKSPACE_PIPELINE_TASK_BINDING)),
  o('timeout', ptr(DURATION)),
  o('pipelineRef', ptr(PIPELINE_REF)),
  o('pipelineSpec', ptr(PIPELINE_SPEC_REF())),
  o('onError', STRING),
]);

/** v1.PipelineResult: `description` and `value` without omitempty. */
const PIPELINE_RESULT = struct('PipelineResult', () => [
  a('name', STRING),
  o('type', STRING),
  a('description', STRING),
  a('value', PARAM_VALUE),
]);
const PIPELINE_WORKSPACE_DECLARATION = struct('PipelineWorkspaceDeclaration', () => [
  a('name', STRING),
  o('description', STRING),
  o('optional', BOOL),
]);

function PIPELINE_SPEC_REF(): GoType {
  return struct('PipelineSpec', () => PIPELINE_SPEC_FIELDS);
}

const PIPELINE_SPEC_FIELDS: readonly GoField[] = [
  o('displayName', STRING),
  o('description', STRING),
  o('tasks', slice(PIPELINE_TASK)),
  o('params', slice(PARAM_SPEC)),
  o('workspaces', slice(PIPELINE_WORKSPACE_DECLARATION)),
  o('results', slice(PIPELINE_RESULT)),
  o('finally', slice(PIPELINE_TASK)),
];

/** v1.PipelineSpec. */
export const PIPELINE_SPEC = PIPELINE_SPEC_REF();

/** v1.WorkspaceBinding. */
const WORKSPACE_BINDING = struct('WorkspaceBinding', () => [
  a('name', STRING),
  o('subPath', STRING),
  o('volumeClaimTemplate', ptr(PVC)),
  o('persistentVolumeClaim', ptr(ANY)),
  o('emptyDir', ptr(EMPTY_DIR)),
  o('configMap', ptr(ANY)),
  o('secret', ptr(ANY)),
  o('projected', ptr(ANY)),
  o('csi', ptr(ANY)),
]);

const STEP_SPEC = struct('TaskRunStepSpec', () => [a('name', STRING), a('computeResources', RESOURCE_REQUIREMENTS)]);
const TASK_BREAKPOINTS = struct('TaskBreakpoints', () => [o('onFailure', STRING), o('beforeSteps', slice(STRING))]);
const TASK_RUN_DEBUG = struct('TaskRunDebug', () => [o('breakpoints', ptr(TASK_BREAKPOINTS))]);

/** v1.TaskRunSpec: `serviceAccountName` has no omitempty. */
export const TASK_RUN_SPEC = struct('TaskRunSpec', () => [
  o('debug', ptr(TASK_RUN_DEBUG)),
  o('params', PARAMS),
  a('serviceAccountName', STRING),
  o('taskRef', ptr(TASK_REF)),
  o('taskSpec', ptr(TASK_SPEC)),
  o('status', STRING),
  o('statusMessage', STRING),
  o('retries', NUMBER),
  o('timeout', ptr(DURATION)),
  o('podTemplate', ptr(POD_TEMPLATE)),
  o('workspaces', slice(WORKSPACE_BINDING)),
  o('stepSpecs', slice(STEP_SPEC)),
  o('sidecarSpecs', slice(STEP_SPEC)),
  o('computeResources', ptr(RESOURCE_REQUIREMENTS)),
  o('managedBy', ptr(STRING)),
]);

const TIMEOUT_FIELDS = struct('TimeoutFields', () => [
  o('pipeline', ptr(DURATION)),
  o('tasks', ptr(DURATION)),
  o('finally', ptr(DURATION)),
]);
const TASK_RUN_TEMPLATE = struct('PipelineTaskRunTemplate', () => [o('podTemplate', ptr(POD_TEMPLATE)), o('serviceAccountName', STRING)]);
const PIPELINE_TASK_RUN_SPEC = struct('PipelineTaskRunSpec', () => [
  o('pipelineTaskName', STRING),
  o('serviceAccountName', STRING),
  o('podTemplate', ptr(POD_TEMPLATE)),
  o('stepSpecs', slice(STEP_SPEC)),
  o('sidecarSpecs', slice(STEP_SPEC)),
  o('metadata', ptr(PIPELINE_TASK_METADATA)),
  o('computeResources', ptr(RESOURCE_REQUIREMENTS)),
  o('timeout', ptr(DURATION)),
]);

/** v1.PipelineRunSpec: `taskRunTemplate` is a struct (so `{}` at least). */
export const PIPELINE_RUN_SPEC = struct('PipelineRunSpec', () => [
  o('pipelineRef', ptr(PIPELINE_REF)),
  o('pipelineSpec', ptr(PIPELINE_SPEC)),
  o('params', PARAMS),
  o('status', STRING),
  o('timeouts', ptr(TIMEOUT_FIELDS)),
  o('taskRunTemplate', TASK_RUN_TEMPLATE),
  o('workspaces', slice(WORKSPACE_BINDING)),
  o('taskRunSpecs', slice(PIPELINE_TASK_RUN_SPEC)),
  o('managedBy', ptr(STRING)),
]);

/**
 * Tekton v1.15.0's `config.FeatureFlags` as `status.provenance.featureFlags` carries it (every field
 * `omitempty`; Chains writes it back with these names whatever case the run used).
 */
export const FEATURE_FLAGS = struct('FeatureFlags', () => [
  o('disableCredsInit', BOOL),
  o('runningInEnvWithInjectedSidecars', BOOL),
  o('requireGitSSHSecretKnownHosts', BOOL),
  o('enableAPIFields', STRING),
  o('sendCloudEventsForRuns', BOOL),
  o('awaitSidecarReadiness', BOOL),
  o('enforceNonfalsifiability', STRING),
  o('enableKeepPodOnCancel', BOOL),
  o('verificationNoMatchPolicy', STRING),
  o('enableProvenanceInStatus', BOOL),
  o('resultExtractionMethod', STRING),
  o('maxResultSize', NUMBER),
  o('setSecurityContext', BOOL),
  o('setSecurityContextReadOnlyRootFilesystem', BOOL),
  o('coschedule', STRING),
  o('enableCELInWhenExpression', BOOL),
  o('enableStepActions', BOOL),
  o('enableParamEnum', BOOL),
  o('enableArtifacts', BOOL),
  o('disableInlineSpec', STRING),
  o('enableConciseResolverSyntax', BOOL),
  o('enableKubernetesSidecar', BOOL),
  o('enableWaitExponentialBackoff', BOOL),
  o('enableTerminationMessageCompression', BOOL),
  o('enableTektonOCIBundles', ptr(BOOL)),
]);

/** v1.RefSource. */
export const REF_SOURCE = struct('RefSource', () => [o('uri', STRING), o('digest', map(STRING)), o('entryPoint', STRING)]);

/** v1.TaskRef (the `ref` of a SLSA v0.2 PipelineRun task attestation). */
export { TASK_REF };

/** v1.TaskRunResult. */
export const TASK_RUN_RESULT = struct('TaskRunResult', () => [a('name', STRING), o('type', STRING), a('value', PARAM_VALUE)]);

const CONDITION = struct('Condition', () => [
  a('type', STRING),
  a('status', STRING),
  o('severity', STRING),
  o('lastTransitionTime', TIME),
  o('reason', STRING),
  o('message', STRING),
]);
const PROVENANCE = struct('Provenance', () => [o('refSource', ptr(REF_SOURCE)), o('featureFlags', ptr(FEATURE_FLAGS))]);
const CONTAINER_STATE_TERMINATED = struct('ContainerStateTerminated', () => [
  a('exitCode', NUMBER),
  o('signal', NUMBER),
  o('reason', STRING),
  o('message', STRING),
  o('startedAt', TIME),
  o('finishedAt', TIME),
  o('containerID', STRING),
]);
const STEP_STATE = struct('StepState', () => [
  o('waiting', ptr(ANY)),
  o('running', ptr(ANY)),
  o('terminated', ptr(CONTAINER_STATE_TERMINATED)),
  o('terminationReason', STRING),
  o('name', STRING),
  o('container', STRING),
  o('imageID', STRING),
  o('results', slice(TASK_RUN_RESULT)),
  o('provenance', ptr(PROVENANCE)),
  o('inputs', slice(ANY)),
  o('outputs', slice(ANY)),
]);
const SIDECAR_STATE = struct('SidecarState', () => [
  o('waiting', ptr(ANY)),
  o('running', ptr(ANY)),
  o('terminated', ptr(CONTAINER_STATE_TERMINATED)),
  o('name', STRING),
  o('container', STRING),
  o('imageID', STRING),
]);

/** v1.TaskRunStatus (duckv1.Status and TaskRunStatusFields inline); `podName` has no omitempty. */
const TASK_RUN_STATUS = struct('TaskRunStatus', () => [
  o('observedGeneration', NUMBER),
  o('conditions', slice(CONDITION)),
  o('annotations', map(STRING)),
  a('podName', STRING),
  o('startTime', ptr(TIME)),
  o('completionTime', ptr(TIME)),
  o('steps', slice(STEP_STATE)),
  o('retriesStatus', slice(ANY)),
  o('results', slice(TASK_RUN_RESULT)),
  o('artifacts', ptr(ANY)),
  o('sidecars', slice(SIDECAR_STATE)),
  o('taskSpec', ptr(TASK_SPEC)),
  o('provenance', ptr(PROVENANCE)),
  o('spanContext', map(STRING)),
]);

/** v1.TaskRun as a whole (what `slsa-tekton` puts into a `pipelineTask` dependency's content). */
export const TASK_RUN = struct('TaskRun', () => [
  inline(TYPE_META),
  o('metadata', OBJECT_META),
  o('spec', TASK_RUN_SPEC),
  o('status', TASK_RUN_STATUS),
]);
