/**
 * `kfp compile` as a library: IR text in, the Tekton objects (and a PipelineRun to start it) out,
 * judged by the same rules as `slsa-for-models check`.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { checkDocuments, Finding } from '../check';
import { isCheckedConstruct, judgeUnderFeatureFlags, PipelineRun, WorkspaceBinding } from '../tekton';
import { CompileOptions } from './compiler';
import { KFP_WORKSPACE, KfpPipeline } from './kfp-pipeline';
import { readKfpIr } from './pipeline-spec';

/** The result of compiling one IR file. */
export interface CompiledKfpPipeline {
  /** The Pipeline's name. */
  readonly name: string;
  /** The Tasks and the Pipeline, in the order `kubectl apply` takes them. */
  readonly objects: Record<string, unknown>[];
  /** A PipelineRun (generateName) for `kubectl create`, when every param has a default. */
  readonly run?: Record<string, unknown>;
  /** Findings of the rule engine on the objects and the run (errors make `compileKfp` throw). */
  readonly findings: Finding[];
  /** Pipeline tasks whose `when` is CEL (need feature flag `enable-cel-in-whenexpression`). */
  readonly celConditions: number;
  /** The construct, for callers that keep wiring. */
  readonly construct: KfpPipeline;
}

/** Options of `compileKfp`. */
export interface CompileKfpOptions extends CompileOptions {
  /** The file name, for messages. @default 'IR' */
  readonly fileName?: string;
  /** Size of the workspace claim of the generated run. @default '1Gi' */
  readonly workspaceSize?: string;
}

/** Compiled objects failed the rule engine; the message is the first error, one line. */
export class KfpCheckError extends Error {
  public constructor(
    message: string,
    public readonly findings: readonly Finding[],
  ) {
    super(message);
    this.name = 'KfpCheckError';
  }
}

/**
 * Reads and compiles an IR. Throws `KfpIrError` (not a KFP v2 IR), `KfpUnsupportedError` (a
 * feature refused) or `KfpCheckError` (the objects fail `check`), each with one line.
 */
export function compileKfp(text: string, options: CompileKfpOptions = {}): CompiledKfpPipeline {
  const ir = readKfpIr(text, options.fileName);
  const app = new App();
  const chart = new Chart(app, 'kfp', { disableResourceNameHashes: true });
  const construct = new KfpPipeline(chart, 'Kfp', { ir, gitSource: options.gitSource, subjectTypes: options.subjectTypes });
  judgeWithCheck(chart);
  const required = construct.plan.params.filter((p) => p.default === undefined && !p.objectKeys);
  let run: Record<string, unknown> | undefined;
  const runs = new Chart(app, 'runs', { disableResourceNameHashes: true });
  if (required.length === 0) {
    const pipelineRun = new PipelineRun(runs, 'Run', {
      metadata: { generateName: `${construct.plan.name}-` },
      pipeline: construct.pipeline,
      workspaces: { [KFP_WORKSPACE]: WorkspaceBinding.volumeClaimTemplate({ storage: options.workspaceSize ?? '1Gi' }) } as never,
      taskRunTemplate: { podTemplate: { securityContext: { fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch' } } },
      taskRunSpecs: construct.taskRunSpecs(),
    } as never);
    judgeWithCheck(pipelineRun);
    run = runs.toJson()[0] as Record<string, unknown>;
  }
  let objects: Record<string, unknown>[];
  try {
    objects = chart.toJson() as Record<string, unknown>[];
  } catch (err) {
    const lines = String((err as Error).message)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('['));
    if (lines.length === 0) throw err;
    throw new KfpCheckError(lines[0], []);
  }
  objects.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'Task' ? -1 : 1));
  const all = run ? [...objects, run] : objects;
  const findings = checkDocuments(all);
  const error = findings.find((f) => f.severity === 'error');
  if (error) {
    const doc = all[error.documentIndex] as { kind?: string; metadata?: { name?: string; generateName?: string } };
    throw new KfpCheckError(`${doc.kind}/${doc.metadata?.name ?? doc.metadata?.generateName}: ${error.rule}: ${error.message}`, findings);
  }
  return { name: construct.plan.name, objects, run, findings, celConditions: construct.plan.celConditions, construct };
}

/** The constructs under `scope` are judged by check's judge (this module composes them; it does not rely on a default). */
function judgeWithCheck(scope: Construct): void {
  for (const c of scope.node.findAll()) {
    if (isCheckedConstruct(c)) judgeUnderFeatureFlags(c, { featureFlags: undefined, judge: checkDocuments });
  }
}

/** The objects as one multi-document YAML text. */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
