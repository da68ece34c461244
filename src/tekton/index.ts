/**
 * Typed Tekton: Task, Pipeline and PipelineRun constructs over the generated tekton.dev/v1
 * classes, with params, results and workspaces as typed values.
 */
export * from './expression';
export * from './context';
export * from './go-duration';
export * from './param-spec';
export * from './result-spec';
export * from './workspace-spec';
export * from './step';
export * from './task-volume';
export * from './when-expression';
export * from './task-interface';
export * from './task-base';
export * from './task';
export * from './embedded-task';
export * from './imported-task';
export * from './pipeline-task';
export * from './pipeline-interface';
export * from './pipeline-base';
export * from './pipeline';
export * from './cluster-resolved-pipeline';
export * from './embedded-pipeline';
export * from './workspace-binding';
export * from './pipeline-run';
export { isCheckedConstruct, judgeUnderFeatureFlags, useDocumentJudge, FEATURE_FLAGS_CONTEXT } from './construct-findings';
export type { DocumentJudge, DocumentJudgeOptions } from '../tekton-model/document-judge';
export type { ConstructFinding, ICheckedConstruct, FeatureFlagData, JudgingSetting } from './construct-findings';
