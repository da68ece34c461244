/**
 * Finds Pipelines among the documents of YAML files and directories (what `graph` reads).
 */
import { listSourceFiles, readSourceFile } from '../tekton-model/yaml-sources';
import { FlowchartPipeline } from './pipeline-flowchart';

/** A Pipeline found in a file. */
export interface FoundPipeline {
  /** The file it was read from. */
  readonly file: string;
  /** Its `metadata.name`, or `(unnamed)`. */
  readonly name: string;
  /** The Pipeline object. */
  readonly pipeline: FlowchartPipeline;
}

/** Every `tekton.dev` Pipeline in `input` (a file, or a directory read recursively), in file order. Throws `SourceError` on unreadable input. */
export function findPipelines(input: string): FoundPipeline[] {
  const found: FoundPipeline[] = [];
  for (const file of listSourceFiles(input)) {
    for (const source of readSourceFile(file)) {
      const value = source.value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
      if (!value || typeof value !== 'object' || value.kind !== 'Pipeline') continue;
      if (typeof value.apiVersion !== 'string' || !value.apiVersion.startsWith('tekton.dev/')) continue;
      const name = typeof value.metadata?.name === 'string' ? value.metadata.name : '(unnamed)';
      found.push({ file, name, pipeline: value as FlowchartPipeline });
    }
  }
  return found;
}
