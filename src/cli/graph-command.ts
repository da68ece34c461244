import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';
import { SourceError } from '../tekton-model/yaml-sources';
import { findPipelines, FoundPipeline } from '../graph/pipeline-documents';
import { PipelineShapeError, pipelineFlowchart } from '../graph/pipeline-flowchart';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../package-root';

const FENCE = '```';

const HELP = `usage: slsa-for-models graph [--format mermaid|markdown] [--pipeline NAME] [DIR|FILE]

Draws a Tekton Pipeline as a Mermaid flowchart: its tasks and finally tasks, an arrow for each
runAfter and each result reference (labelled with the results it carries), and the Pipeline's
results with the tasks they come from. Reads YAML (or JSON) files; a directory is read
recursively. Without DIR|FILE it reads ./dist (what "npm run synth" writes), or, where there is
none, the dist/ this package ships. Where the input holds several Pipelines and one is the
training pipeline slsa-for-models (dist/ also holds the deploy gate, slsa-for-models-deploy), that
one is drawn unless --pipeline names another.

  --format mermaid|markdown  mermaid (default): the flowchart text;
                             markdown: the same inside a ${FENCE}mermaid fence
  --pipeline NAME            the Pipeline to draw, when the input holds several

Exit status: 0 drawn, 2 bad usage, unreadable input, or no such Pipeline.
`;

const OPTIONS = {
  format: { type: 'string' },
  pipeline: { type: 'string' },
} as const;

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
}

function readPipelines(input: string): FoundPipeline[] {
  try {
    return findPipelines(input);
  } catch (err) {
    if (err instanceof SourceError) throw new UsageError(err.message);
    throw err;
  }
}

/** `slsa-for-models graph`: prints a Mermaid flowchart of a Pipeline. */
export const graphCommand: Command = {
  summary: 'draw a Tekton Pipeline as a Mermaid flowchart (tasks, runAfter, result references, finally)',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    const format = (options.format as string | undefined) ?? 'mermaid';
    if (format !== 'mermaid' && format !== 'markdown') throw new UsageError(`--format takes mermaid or markdown, not "${format}"`);
    if (positionals.length > 1) throw new UsageError(`give one DIR or FILE, not ${positionals.length}`);
    const input = positionals[0] ?? (fs.existsSync('dist') ? 'dist' : path.join(PACKAGE_ROOT, 'dist'));
    const pipelines = readPipelines(input);
    // dist/ holds the training pipeline and the deploy gate: draw the former unless told
    const wanted =
      (options.pipeline as string | undefined) ??
      (pipelines.length > 1 && pipelines.some((p) => p.name === 'slsa-for-models') ? 'slsa-for-models' : undefined);
    // the same Pipeline twice (dist/ holds the training Pipeline for kubectl apply and again in
    // pac/.tekton/ for Pipelines-as-Code) is one Pipeline: the first file names it
    const named = wanted === undefined ? pipelines : pipelines.filter((p) => p.name === wanted);
    const candidates = named.filter((p, i) => named.findIndex((q) => JSON.stringify(q.pipeline) === JSON.stringify(p.pipeline)) === i);
    // Names come from the files: keep control characters (escape sequences, line breaks) off the terminal.
    const names = pipelines.map((p) => printable(p.name)).join(', ');
    if (pipelines.length === 0) throw new UsageError(`${input} holds no tekton.dev Pipeline`);
    if (candidates.length === 0)
      throw new UsageError(`${input} holds no Pipeline named "${printable(wanted ?? '')}" (pipelines: ${names})`);
    if (candidates.length > 1) {
      throw new UsageError(
        wanted === undefined
          ? `${input} holds ${candidates.length} Pipelines (${names}); choose one with --pipeline NAME`
          : `${input} holds ${candidates.length} Pipelines named "${printable(wanted!)}" (in ${candidates.map((c) => c.file).join(', ')}); name one file`,
      );
    }
    let chart: string;
    try {
      chart = pipelineFlowchart(candidates[0].pipeline);
    } catch (err) {
      if (err instanceof PipelineShapeError) throw new UsageError(`${candidates[0].file}: ${err.message}`);
      throw err;
    }
    output.stdout.write(format === 'markdown' ? `${FENCE}mermaid\n${chart}${FENCE}\n` : chart);
    return 0;
  },
};
