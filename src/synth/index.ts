/**
 * Atomic, validated, deterministic synthesis of cdk8s apps into an output directory.
 */
export * from './synthesis-problem';
export * from './synthesis-error';
export * from './synthesize-atomically';
export * from './run-synthesis';
