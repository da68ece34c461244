import { Severity } from './finding';

/** What a rule is about, for `docs/check.md` and `--format json` readers. */
export interface RuleDescription {
  /** The default severity of its findings. */
  readonly severity: Severity;
  /** One line: what the rule reports. */
  readonly summary: string;
  /** The Tekton v1.15.0 code whose verdict the rule mirrors. */
  readonly source: string;
}

const V1 = 'pkg/apis/pipeline/v1/';

const TRIGGERS = 'tektoncd/triggers v0.37.0 ';

/** The rules over Tekton Triggers objects (`triggers.tekton.dev/v1beta1`), judged as Triggers v0.37.0 does. */
const TRIGGERS_RULES = {
  'trigger-template-invalid': {
    severity: 'error',
    summary: 'a TriggerTemplate has no resourcetemplates, or a resource template lacks kind or apiVersion',
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/trigger_template_validation.go validateResourceTemplates`,
  },
  'trigger-template-param-undeclared': {
    severity: 'error',
    summary: 'a resource template uses $(tt.params.x) that the TriggerTemplate does not declare',
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/trigger_template_validation.go verifyParamDeclarations`,
  },
  'trigger-template-params-reference': {
    severity: 'warning',
    summary:
      'a resource template uses $(params.x) in its own fields (not inside an embedded pipelineSpec/taskSpec), which Triggers leaves unreplaced: only $(tt.params.x) is substituted',
    source: `${TRIGGERS}pkg/template/resource.go applyParamToResourceTemplate`,
  },
  'trigger-binding-param-missing': {
    severity: 'error',
    summary: "a Trigger's bindings do not supply a TriggerTemplate param that has no default, so $(tt.params.x) stays unreplaced",
    source: `${TRIGGERS}pkg/template/event.go applyEventValuesToParams, resource.go ResolveResources`,
  },
  'trigger-binding-param-unknown': {
    severity: 'warning',
    summary: "a Trigger's binding supplies a param its TriggerTemplate does not declare, which Triggers ignores",
    source: `${TRIGGERS}pkg/template/resource.go applyParamsToResourceTemplate`,
  },
  'trigger-binding-param-duplicate': {
    severity: 'error',
    summary: "a TriggerBinding declares a param twice, or a Trigger's bindings supply one param twice (every event is refused)",
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/trigger_binding_validation.go validateParams; pkg/template/resource.go resolveBindingsToParams`,
  },
  'trigger-binding-value-invalid': {
    severity: 'error',
    summary: 'a binding param value opens $( without closing it',
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/trigger_binding_validation.go validateParamValue`,
  },
  'trigger-interceptor-invalid': {
    severity: 'error',
    summary:
      "an interceptor names neither ref.name nor a webhook; a github interceptor's eventTypes is not a list or its secretRef lacks secretName or secretKey; a cel interceptor's filter is not a string or its overlays not a list of key and expression",
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/trigger_validation.go TriggerInterceptor.validate; pkg/interceptors/github/github.go, cel/cel.go InterceptorParams and Process`,
  },
  'trigger-cel-invalid': {
    severity: 'error',
    summary:
      "a cel interceptor filter or overlay expression does not compile in the interceptor's CEL environment (a note when it uses a cel-go extension the CEL library lacks: not checked)",
    source: `${TRIGGERS}pkg/interceptors/cel/cel.go makeCelEnv / evaluate (Parse, Check)`,
  },
  'event-listener-triggers-missing': {
    severity: 'error',
    summary: 'an EventListener has none of spec.triggers, spec.triggerGroups, spec.labelSelector, spec.namespaceSelector.matchNames',
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/event_listener_validation.go EventListenerSpec.validate (ErrMissingOneOf)`,
  },
  'event-listener-name-invalid': {
    severity: 'error',
    summary: 'an EventListener name longer than 60 characters (Triggers names its Service el-NAME)',
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/event_listener_validation.go EventListener.Validate`,
  },
  'event-listener-trigger-invalid': {
    severity: 'error',
    summary:
      "an EventListener's trigger has neither a template nor a triggerRef, a triggerRef beside a template, bindings or interceptors, or a name that is not a label value",
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/event_listener_validation.go EventListenerTrigger.validate (k8s.io/apimachinery validation.IsValidLabelValue)`,
  },
  'trigger-group-invalid': {
    severity: 'error',
    summary:
      "an EventListener's trigger group has no interceptors, or its triggerSelector has neither a labelSelector nor namespaceSelector.matchNames (its interceptors are judged as a trigger's, by trigger-interceptor-invalid and trigger-cel-invalid)",
    source: `${TRIGGERS}pkg/apis/triggers/v1beta1/event_listener_validation.go EventListenerTriggerGroup.validate; pkg/sink/sink.go processTriggerGroups, ExecuteInterceptors`,
  },
  'label-selector-invalid': {
    severity: 'error',
    summary:
      "an EventListener's labelSelector (or a trigger group's triggerSelector.labelSelector) has a key that is not a qualified name, a value that is not a label value, an operator other than In, NotIn, Exists, DoesNotExist, In/NotIn without values or Exists/DoesNotExist with values: the sink fails to build it on every event",
    source: `${TRIGGERS}pkg/sink/sink.go selectTriggers (k8s.io/apimachinery v0.36.3 metav1.LabelSelectorAsSelector, labels.NewRequirement)`,
  },
  'namespace-selector-invalid': {
    severity: 'warning',
    summary:
      'an EventListener\'s namespaceSelector.matchNames (or a trigger group\'s) holds an entry that is not a namespace name (DNS-1123 label), or "*" beside other names: it selects no Trigger',
    source: `${TRIGGERS}pkg/sink/sink.go selectTriggers ("*" alone lists every namespace, else each name's Triggers)`,
  },
} as const satisfies Record<string, RuleDescription>;

/** Every rule `check` knows, by stable kebab-case id. */
export const RULES = {
  // documents
  'api-version-unserved': {
    severity: 'error',
    summary:
      'a tekton.dev kind or version the v1.15.0 CRDs do not serve: a tekton.dev/v1alpha1 Task, a tekton.dev/v1 StepAction, PipelineResource, Run, Condition, ClusterTask (any version), a Triggers kind under tekton.dev',
    source:
      'config/300-crds (served kinds and versions: Task, Pipeline, TaskRun, PipelineRun v1beta1/v1; StepAction v1alpha1/v1beta1; CustomRun v1beta1; VerificationPolicy v1alpha1); API server discovery',
  },
  'kind-missing': {
    severity: 'error',
    summary:
      'a document with an apiVersion and metadata (or a tekton.dev apiVersion) has no kind, or a kind that is not a string; not a Helm Chart.yaml (apiVersion, no metadata)',
    source: 'k8s.io/apimachinery runtime decoding ("Object \'Kind\' is missing"), as kubectl and the API server decode',
  },
  'field-type-invalid': {
    severity: 'error',
    summary:
      'a field the CRD schema types as a string or list of strings (step args/command/env value/script/workingDir, param enum, runAfter, when input/values) holds a number, boolean, list or mapping, or pipeline task retries is not an integer',
    source: 'config/300-crds openAPIV3Schema (API server structural validation)',
  },
  'field-unknown': {
    severity: 'error',
    summary:
      "a field the CRD schema does not declare (runafter, workspace, a misplaced timeout), which the API server refuses under kubectl's default strict field validation (a warning with fieldValidation warn or ignore, where it is pruned and Tekton never sees it); inside an embedded taskSpec/pipelineSpec (kept whole by the CRD), a field Tekton's Task or Pipeline spec types lack even ignoring case, which Tekton's webhook refuses when it decodes the object; v1 and v1beta1 objects alike; a warning in what Pipelines-as-Code creates (PaC annotations, .tekton/), whose lenient decoding drops it",
    source: `config/300-crds openAPIV3Schema (API server structural pruning; kubectl --validate=strict, the default since Kubernetes 1.27, asks for fieldValidation=Strict); cmd/webhook/main.go (admission controllers with unknown fields disallowed); ${V1}pipeline_types.go EmbeddedTask, task_types.go TaskSpec`,
  },
  'document-invalid': {
    severity: 'error',
    summary: 'a Tekton object is not an object, or its spec is not an object',
    source: 'API server decoding',
  },
  'v1beta1-field-removed': {
    severity: 'error',
    summary:
      'a tekton.dev/v1beta1 object uses what v1.15.0 keeps in the v1beta1 schema but refuses: resources (PipelineResources) in a Task, Pipeline, pipeline task, TaskRun or PipelineRun spec, embedded specs included; a taskRef or pipelineRef bundle (on create)',
    source:
      'pkg/apis/pipeline/v1beta1/task_validation.go TaskSpec.Validate, pipeline_validation.go PipelineSpec.Validate / PipelineTask.Validate, taskrun_validation.go, pipelinerun_validation.go (ErrDisallowedFields("resources")); taskref_validation.go, pipelineref_validation.go (bundle, apis.IsInCreate)',
  },
  'metadata-name-invalid': {
    severity: 'error',
    summary:
      'metadata.name missing (and no generateName), longer than 63 characters, or not a DNS-1123 subdomain; a generateName (or the NAME- that Pipelines-as-Code makes of a PipelineRun name) that is not a DNS-1123 subdomain prefix',
    source:
      'pkg/apis/validate/metadata.go ObjectMetadata; k8s.io/apimachinery ValidateObjectMeta (generateName); pipelines-as-code pkg/resolve/remote.go resolveRemoteResources (NAME-)',
  },
  // names
  'pipeline-task-name-invalid': {
    severity: 'error',
    summary: 'a pipeline task name is not a DNS-1123 label',
    source: `${V1}pipeline_validation.go PipelineTask.ValidateName`,
  },
  'pipeline-task-name-duplicate': {
    severity: 'error',
    summary: 'two pipeline tasks (tasks and finally together) share a name',
    source: `${V1}pipeline_validation.go PipelineTaskList.Validate`,
  },
  'step-name-invalid': {
    severity: 'error',
    summary: 'a step or sidecar name is not a DNS-1123 label, or a sidecar is named tekton-log-results (reserved)',
    source: `${V1}container_validation.go Step.Validate / Sidecar.Validate`,
  },
  'step-name-duplicate': {
    severity: 'error',
    summary: 'two steps (or two sidecars) share a name',
    source: `${V1}task_validation.go StepList.Validate; pod container names`,
  },
  'param-name-invalid': {
    severity: 'error',
    summary: "a param name (or object key) does not match Tekton's variable name pattern",
    source: `${V1}task_validation.go ValidateNameFormat`,
  },
  'param-name-duplicate': {
    severity: 'error',
    summary: 'a param is declared or supplied twice (a run param or resolver param also under another case)',
    source: `${V1}param_types.go ValidateNoDuplicateNames / validateDuplicateParameters; taskrun_validation.go ValidateParameters (run and resolver params, ignoring case)`,
  },
  'result-name-invalid': {
    severity: 'error',
    summary: 'a Task, step or StepAction result name does not match ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$',
    source: `${V1}result_validation.go TaskResult.Validate / StepResult.Validate; task_validation.go ValidateStepResults`,
  },
  'result-name-duplicate': {
    severity: 'warning',
    summary: 'two results share a name',
    source: `${V1}result_validation.go / pipelinerun_validation.go`,
  },
  'workspace-name-duplicate': {
    severity: 'error',
    summary: 'two workspaces (declarations or bindings) share a name, or two share a mount path',
    source: `${V1}task_validation.go validateDeclaredWorkspaces, pipeline_validation.go validatePipelineWorkspacesDeclarations`,
  },
  'workspace-name-invalid': {
    severity: 'error',
    summary: 'a Pipeline workspace declaration has an empty name',
    source: `${V1}pipeline_validation.go validatePipelineWorkspacesDeclarations`,
  },
  'volume-mount-name-invalid': {
    severity: 'error',
    summary: 'a StepAction volumeMount name is not exactly one $(params...) reference',
    source: 'pkg/apis/pipeline/v1beta1/stepaction_validation.go validateVolumeMounts',
  },
  'volume-name-duplicate': {
    severity: 'error',
    summary: 'two volumes of a Task share a name',
    source: `${V1}task_validation.go ValidateVolumes`,
  },
  // task structure
  'task-steps-missing': { severity: 'error', summary: 'a Task spec has no steps', source: `${V1}task_validation.go TaskSpec.Validate` },
  'step-image-missing': {
    severity: 'error',
    summary: 'a step has neither image nor ref',
    source: `${V1}container_validation.go Step.Validate`,
  },
  'step-resources-invalid': {
    severity: 'error',
    summary: "a step requests more of a resource than its limit (or, without a limit of its own, the stepTemplate's)",
    source: 'pkg/reconciler/taskrun/validate_taskrun.go validateTaskSpecRequestResources',
  },
  'step-script-and-command': {
    severity: 'error',
    summary: 'a step sets both script and command',
    source: `${V1}container_validation.go Step.Validate`,
  },
  'step-ref-conflict': {
    severity: 'error',
    summary: 'a step with ref also sets image, command, args, script, env or volumeMounts',
    source: `${V1}container_validation.go validateStepWithRef`,
  },
  'step-script-param-substitution': {
    severity: 'error',
    summary: 'a StepAction script uses $(params...), which Tekton refuses (pass params through env)',
    source: 'pkg/apis/pipeline/v1beta1/stepaction_validation.go validateNoParamSubstitutionsInScript',
  },
  'volume-mount-reserved': {
    severity: 'error',
    summary: 'a step volumeMount is named tekton-internal-* or mounted under /tekton/ (other than /tekton/home)',
    source: `${V1}container_validation.go Step.Validate (volumeMounts)`,
  },
  'step-reference-misplaced': {
    severity: 'error',
    summary:
      'a step result reference ($(steps.s.results.r)) in a step field other than env, command and args (script, workingDir, image, ...), or a step artifact reference outside env, command, args and script',
    source: `${V1}container_validation.go validateStepResultReference / validateStepArtifactsReference`,
  },
  'step-on-error-invalid': {
    severity: 'error',
    summary: 'a step onError is neither continue nor stopAndFail (also once a param value of the TaskRun is substituted into it)',
    source: `${V1}container_validation.go Step.Validate; pkg/pod/entrypoint.go (after substitution)`,
  },
  'workspace-undeclared': {
    severity: 'error',
    summary: 'a step, sidecar or $(workspaces...) reference names a workspace the Task does not declare',
    source: `${V1}task_validation.go validateWorkspaceUsages; pkg/reconciler/taskrun/resources/apply.go`,
  },
  // params
  'param-type-invalid': {
    severity: 'error',
    summary: 'a param type is not string, array or object, or an object property is not string',
    source: `${V1}task_validation.go ParamSpec.ValidateType / ValidateObjectType`,
  },
  'param-default-type-mismatch': {
    severity: 'error',
    summary: "a param default is not of the param's type",
    source: `${V1}task_validation.go ParamSpec.ValidateType`,
  },
  'param-properties-missing': {
    severity: 'error',
    summary: 'an object param has no properties',
    source: `${V1}task_validation.go ValidateObjectParamsHaveProperties`,
  },
  'param-enum-invalid': {
    severity: 'error',
    summary: 'enum on a non-string param, a duplicate enum value, or a default outside the enum',
    source: `${V1}param_types.go validateParamEnums`,
  },
  'param-reference-undeclared': {
    severity: 'error',
    summary: '$(params.x) names a param that is not declared',
    source: `${V1}task_validation.go validateVariables, pipeline_validation.go validatePipelineParametersVariables`,
  },
  'param-key-undeclared': {
    severity: 'error',
    summary: '$(params.x.key) names a key the object param does not declare, or reads a key of a non-object param',
    source: `${V1}task_validation.go validateObjectUsage`,
  },
  'param-reference-malformed': {
    severity: 'error',
    summary: 'a $(params...) reference has more than one key after the name or another shape Tekton cannot read',
    source: 'pkg/substitution/substitution.go ExtractVariablesFromString',
  },
  'param-whole-value-misplaced': {
    severity: 'error',
    summary: 'a whole array or object param ($(params.x) or [*]) is used where only a string fits',
    source: `${V1}task_validation.go validateArrayUsage / validateObjectUsageAsWhole, pipeline_validation.go, when_validation.go validatePipelineParametersVariables (a when value takes a whole array only as $(params.x[*]))`,
  },
  'param-index-out-of-range': {
    severity: 'error',
    summary: "$(params.x[N]) indexes past the end of the array param's value",
    source: `${V1}param_types.go / pkg/reconciler/taskrun/validate_taskrun.go ValidateParamArrayIndex`,
  },
  'variable-prefix-unknown': {
    severity: 'error',
    summary:
      'a $(...) in a pipeline task param or when expression does not start with params, tasks, finally, context, workspaces or results',
    source: `${V1}pipeline_validation.go validateVarSubstitutionExpressions`,
  },
  'context-variable-unknown': {
    severity: 'error',
    summary: '$(context...) names a context variable Tekton does not provide',
    source: `${V1}task_validation.go validateTaskContextVariables, pipeline_validation.go validatePipelineContextVariables`,
  },
  // results
  'result-type-invalid': {
    severity: 'error',
    summary: 'a result type is not string, array or object, or an object result has no properties',
    source: `${V1}result_validation.go TaskResult.Validate`,
  },
  'result-value-invalid': {
    severity: 'error',
    summary:
      'a Task result value is not a string $(steps.<step>.results.<result>), or names a step that is not a DNS-1123 label or a result with an invalid name',
    source: `${V1}result_validation.go TaskResult.validateValue / ExtractStepResultName`,
  },
  'result-reference-undeclared': {
    severity: 'error',
    summary: '$(results.x.path) or $(step.results.x.path) names a result the Task or step does not declare',
    source: `${V1}task_validation.go validateTaskResultsVariables`,
  },
  'task-result-task-unknown': {
    severity: 'error',
    summary: '$(tasks.t.results.r) names a pipeline task that does not exist',
    source: `${V1}pipeline_validation.go validatePipelineResults / validateGraph; pkg/reconciler/pipeline/dag`,
  },
  'task-result-undeclared': {
    severity: 'error',
    summary: "$(tasks.t.results.r) names a result the task's Task does not declare (or a key its object result lacks)",
    source: 'pkg/reconciler/pipelinerun/resources/validate_dependencies.go, resultrefresolution.go',
  },
  'task-result-from-finally': {
    severity: 'error',
    summary: 'a task reads the result of a finally task',
    source: `${V1}pipeline_validation.go validateTaskResultReferenceInFinallyTasks; pkg/reconciler/pipeline/dag`,
  },
  'task-result-from-child-pipeline': {
    severity: 'error',
    summary:
      'a pipeline task reads a result of a task in tasks that runs a Pipeline (pipelineRef or pipelineSpec): result propagation from child Pipelines is not implemented',
    source: `${V1}pipeline_validation.go validatePipelineRefResultReferencesDisallowed; resultref.go PipelineTaskResultRefs`,
  },
  'task-result-matrix-misused': {
    severity: 'error',
    summary: "a matrixed task's result is read without [*], or is not a string result",
    source: `${V1}pipeline_validation.go validateTaskResultsFromMatrixedPipelineTasksConsumed`,
  },
  'execution-status-outside-finally': {
    severity: 'error',
    summary: '$(tasks.t.status), $(tasks.t.reason) or $(tasks.status) used outside finally, or naming an unknown task',
    source: `${V1}pipeline_validation.go validateExecutionStatusVariables`,
  },
  'pipeline-result-invalid': {
    severity: 'error',
    summary:
      'a pipeline result value is not made of task result references to existing tasks ($(tasks...) for a task of tasks, $(finally...) for a finally task), or one has two keys ($(tasks.t.results.output.key1.extra))',
    source: `${V1}pipeline_validation.go validatePipelineResults, taskContainsResult; resultref.go NewResultRefs`,
  },
  // graph
  'run-after-unknown-task': {
    severity: 'error',
    summary: 'runAfter names a task that is not in tasks',
    source: 'pkg/reconciler/pipeline/dag/dag.go Build',
  },
  'run-after-in-finally': {
    severity: 'error',
    summary: 'a finally task sets runAfter',
    source: `${V1}pipeline_validation.go validateFinalTasks`,
  },
  'pipeline-cycle': {
    severity: 'error',
    summary: 'tasks depend on each other in a cycle through runAfter, result references and when inputs',
    source: 'pkg/reconciler/pipeline/dag/dag.go Build',
  },
  'pipeline-spec-empty': {
    severity: 'error',
    summary: 'a pipeline spec has no tasks, params, workspaces, results, description or displayName',
    source: `${V1}pipeline_validation.go PipelineSpec.Validate ("expected at least one, got none")`,
  },
  'finally-without-tasks': {
    severity: 'error',
    summary: 'a Pipeline has finally tasks but no tasks',
    source: `${V1}pipeline_validation.go validateTasksAndFinallySection`,
  },
  'pipeline-task-ref-or-spec': {
    severity: 'error',
    summary: 'a pipeline task has none or more than one of taskRef, taskSpec, pipelineRef, pipelineSpec',
    source: `${V1}pipeline_validation.go validateRefOrSpec`,
  },
  'custom-task-invalid': {
    severity: 'error',
    summary:
      'a pipeline task that is a custom task (a taskRef/taskSpec kind other than Task, or an apiVersion) lacks kind or a group/version apiVersion; kind: ClusterTask is refused this way',
    source: `${V1}pipeline_validation.go validateCustomTask`,
  },
  'task-spec-typed-with-steps': {
    severity: 'error',
    summary: 'an embedded taskSpec that has steps also sets kind or apiVersion',
    source: `${V1}pipeline_validation.go validateEmbeddedOrType`,
  },
  'pipeline-task-on-error-invalid': {
    severity: 'error',
    summary:
      'a pipeline task onError is neither continue nor stopAndFail, or continue with retries (also once a param value of the PipelineRun is substituted into it)',
    source: `${V1}pipeline_validation.go ValidateOnError; pkg/reconciler/pipelinerun/pipelinerun.go validatePipelineSpecAfterApplyParameters`,
  },
  'when-expression-invalid': {
    severity: 'error',
    summary:
      'a when expression (of a pipeline task or a step) has a bad operator, no values, mixes cel with input, or has a cel expression that does not compile (in an empty CEL environment: quote $(params.x))',
    source: `${V1}when_validation.go`,
  },
  'matrix-invalid': {
    severity: 'error',
    summary:
      'a matrix param is not an array, is also a task param (matrix.params or matrix.include), repeats, or exceeds the combination limit',
    source: `${V1}matrix_types.go / pipeline_validation.go validateMatrix`,
  },
  // wiring
  'param-missing': {
    severity: 'error',
    summary: 'a required param (no default) of the Task or Pipeline is not supplied',
    source: 'pkg/reconciler/taskrun/validate_taskrun.go validateParams; pkg/reconciler/pipelinerun/resources/validate_params.go',
  },
  'param-value-type-mismatch': {
    severity: 'error',
    summary: 'a supplied param value is not of the declared type',
    source: 'pkg/reconciler/taskrun/validate_taskrun.go validateParams / wrongTypeParamsNames',
  },
  'param-value-key-missing': {
    severity: 'error',
    summary: 'a supplied object param value (or, when none is supplied, the default) lacks a declared key',
    source: 'pkg/reconciler/taskrun/validate_taskrun.go MissingKeysObjectParamNames',
  },
  'param-value-not-in-enum': {
    severity: 'error',
    summary: "a supplied param value is not in the param's enum",
    source: 'pkg/reconciler/taskrun/validate_taskrun.go ValidateEnumParam',
  },
  'param-enum-not-subset': {
    severity: 'error',
    summary: 'a pipeline param passed to a Task param with an enum has no enum, or one that is not a subset',
    source: 'pkg/reconciler/pipelinerun/resources/pipelinerunresolution.go ValidateParamEnumSubset',
  },
  'param-undeclared': {
    severity: 'warning',
    summary: 'a supplied param is not declared by the Task or Pipeline: Tekton silently ignores it',
    source: 'pkg/reconciler/taskrun/validate_taskrun.go (extra params are dropped without error)',
  },
  'workspace-binding-undeclared': {
    severity: 'error',
    summary: 'a pipeline task binds a workspace the Pipeline does not declare, or a run binds one the Task/Pipeline does not declare',
    source: `${V1}pipeline_validation.go validateWorkspaces; pkg/reconciler/taskrun/validate_taskrun.go validateWorkspaceCompatibility`,
  },
  'workspace-missing': {
    severity: 'error',
    summary:
      'a required (non-optional) workspace of the Task or Pipeline is not bound, or a pipeline task feeds it from a workspace the Pipeline declares optional',
    source:
      'pkg/reconciler/taskrun/validate_taskrun.go validateWorkspaces; pkg/reconciler/pipelinerun/pipelinerun.go; pipelinerun/resources/validate_dependencies.go ValidateOptionalWorkspaces',
  },
  'workspace-binding-invalid': {
    severity: 'error',
    summary: 'a run workspace binding has no volume source, more than one, or one without what it needs (claimName, secretName, ...)',
    source: `${V1}workspace_validation.go WorkspaceBinding.Validate`,
  },
  // runs and references
  'run-ref-or-spec': {
    severity: 'error',
    summary: 'a run has none or both of taskRef/taskSpec (pipelineRef/pipelineSpec)',
    source: `${V1}taskrun_validation.go / pipelinerun_validation.go`,
  },
  'run-field-invalid': {
    severity: 'error',
    summary:
      'a run status Tekton does not know (PipelineRun: Cancelled, CancelledRunFinally, StoppedRunFinally, PipelineRunPending; TaskRun: TaskRunCancelled, TaskRunPending), a TaskRun statusMessage without status, negative TaskRun retries, TaskRun (or PipelineRun taskRunSpecs) computeResources beside stepSpecs computeResources, a stepSpecs/sidecarSpecs entry without a name or repeating one (ignoring case), a debug onFailure other than enabled',
    source: `${V1}pipelinerun_validation.go validateSpecStatus / validateTaskRunSpec; taskrun_validation.go TaskRunSpec.Validate, validateStepSpecs, validateSidecarSpecs`,
  },
  'run-param-invalid': {
    severity: 'error',
    summary: 'a PipelineRun param value holds a task result reference',
    source: `${V1}pipelinerun_validation.go validatePipelineRunParameters`,
  },
  'timeout-invalid': {
    severity: 'error',
    summary:
      "a timeout (pipeline task, step, TaskRun, PipelineRun timeouts) is not a Go duration or is negative, or a PipelineRun's tasks/finally timeouts exceed its pipeline timeout (60 minutes when unset, after defaulting) or are 0 (no timeout) under a pipeline timeout that is not, or their sum exceeds it (even a pipeline timeout of 0), or a taskRunSpecs timeout exceeds timeouts.tasks, else timeouts.pipeline, else the default 60 minutes",
    source: `${V1}pipelinerun_validation.go validateTimeoutDuration / validatePipelineTimeout / validateTaskRunSpecTimeout; container_validation.go; metav1.Duration decoding`,
  },
  'ref-invalid': {
    severity: 'error',
    summary:
      'a taskRef, pipelineRef or step ref has params without a resolver, params beside a name, a name beside a resolver that is not a URL, a URL name without a resolver, or a name that is not a qualified name (_foo)',
    source: `${V1}container_validation.go validateRef / RefNameLikeUrl (k8s.io/apimachinery validation.IsQualifiedName); v1beta1/taskref_validation.go`,
  },
  'ref-not-found': {
    severity: 'note',
    summary: 'a taskRef/pipelineRef/step ref names an object not among the checked documents: not checked',
    source: 'pkg/reconciler/taskrun/resources/taskref.go (looked up in the cluster)',
  },
  'ref-ambiguous': {
    severity: 'note',
    summary:
      'a taskRef/pipelineRef/step ref names several different objects read from other files, none nearer than the others: not checked',
    source: 'pkg/reconciler/taskrun/resources/taskref.go (a cluster holds one object of a name)',
  },
  'remote-reference': {
    severity: 'note',
    summary:
      "a resolver or bundle reference is fetched at run time: not checked, and why; or judged against the local file of the exact version fetched (a bundle's tag or hub version as the catalog layout's task/NAME/VERSION/, a git pathInRepo or an http raw-file URL of the same repository), never against a look-alike",
    source: `${V1}resolver_types.go; pkg/resolution/resolver/bundle, hub (resolveVersion), git (pathInRepo of url)`,
  },
  'feature-disabled': {
    severity: 'error',
    summary: 'a field needs a feature flag that --feature-flags does not enable',
    source: 'pkg/apis/config/feature_flags.go, ValidateEnabledAPIFields',
  },
  ...TRIGGERS_RULES,
} as const satisfies Record<string, RuleDescription>;

/** A rule id, e.g. `param-undeclared`. */
export type RuleId = keyof typeof RULES;

/** The default severity of a rule. */
export function ruleSeverity(rule: RuleId): Severity {
  return RULES[rule].severity;
}
