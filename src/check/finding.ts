/**
 * What the rules report. One engine judges both the constructs (at synth) and YAML files
 * (the `check` command); both speak in findings, whose shape the ground floor defines
 * (`tekton-model/document-judge.ts`) so that the constructs and the rehearsal can take a judge
 * without importing this engine.
 */
export type { Finding, Severity } from '../tekton-model/document-judge';
export type { FieldPathSegment } from '../tekton-model/field-path';
