/**
 * Atomic, validated, deterministic synthesis of cdk8s apps into an output directory.
 *
 * This is the layer that composes the constructs with the rule engine: loading it makes
 * `src/check`'s judge the constructs' default judge (see `useDocumentJudge`), so a cdk8s app built
 * from the package's entry gets its synth-time findings under a plain `app.synth()` too.
 */
import { useDocumentJudge } from '../tekton/construct-findings';
import { checkJudge } from './check-judge';

useDocumentJudge(checkJudge);

export * from './synthesis-problem';
export * from './synthesis-error';
export * from './synthesize-atomically';
export * from './run-synthesis';
export { checkJudge } from './check-judge';
