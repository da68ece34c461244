/**
 * Jest setup: the tests load the project's modules one by one, where a user of the package loads its
 * entry, whose synth layer makes `src/check`'s judge the constructs' default (`src/synth/index.ts`).
 * Every test file starts from that same wiring, so a construct test judges as the package does;
 * test/tekton-loading.test.ts pins the wiring itself, in processes of their own.
 */
import '../../src/synth';
