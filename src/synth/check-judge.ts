import type { DocumentJudge } from '../tekton-model/document-judge';

type CheckModule = typeof import('../check');

/**
 * `src/check`'s judge (`checkDocuments`), loaded on first use so that loading the constructs and
 * synth stays cheap (Node caches the module): the judge synthesis hands the constructs.
 */
export const checkJudge: DocumentJudge = (documents, options) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const check = require('../check') as CheckModule;
  return check.checkDocuments(documents, options);
};
