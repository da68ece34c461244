/**
 * Pictures of Pipelines: a Mermaid flowchart drawn from the synthesized objects.
 */
export * from './pipeline-flowchart';
export * from './pipeline-documents';
