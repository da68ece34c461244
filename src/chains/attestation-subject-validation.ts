/**
 * Wires the attestation subject check into synthesis: a Pipeline construct fails to synthesize when,
 * under the `ChainsConfig`'s PipelineRun format, none of its results would become a subject.
 */
import { IConstruct } from 'constructs';
import { missingSubjectProblem, PipelineJson, TaskJson } from './attestation-subject-check';
import { ChainsConfig } from './chains-config';

/** What the validation needs of a Pipeline construct: its node and its synthesized object with its Tasks. */
export interface CheckablePipeline extends IConstruct {
  /** The Pipeline object first, then the Task objects it refers to. */
  documentsForCheck(): unknown[];
}

/**
 * Adds a validation to `pipeline`: at synth, when no pipeline result (nor, with deep inspection on, no
 * task result) would become an attestation subject under the `chains` PipelineRun format, the
 * synthesis fails with one line naming the results that came close and the fix.
 */
export function addAttestationSubjectValidation(pipeline: CheckablePipeline, chains: ChainsConfig): void {
  pipeline.node.addValidation({
    validate: () => {
      const [pipelineJson, ...taskJsons] = pipeline.documentsForCheck();
      const problem = missingSubjectProblem(pipelineJson as PipelineJson, chains.pipelineRunFormat, taskJsons as TaskJson[], {
        deepInspection: chains.pipelineRunDeepInspection,
      });
      return problem === undefined ? [] : [problem];
    },
  });
}
