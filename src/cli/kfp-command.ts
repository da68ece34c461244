import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';

const HELP = `usage: slsa-for-models kfp compile IR.yaml [--out DIR] [--git-source PARAM] [--subject-type TYPE]...

Compiles a Kubeflow Pipelines v2 pipeline (the IR YAML that kfp.compiler.Compiler writes, with its
optional platforms.kubernetes document) into Tekton: one Task per KFP container task, a Pipeline,
and a PipelineRun to start it. Outputs of type system.Model (and --subject-type) become Tekton
Chains subjects (*_ARTIFACT_OUTPUTS, sha256, isBuildArtifact). The objects are judged by the rules
of "slsa-for-models check"; a KFP feature without a faithful Tekton mapping is refused with one
line naming the task and the feature.

  --out DIR            write DIR/NAME.yaml (Tasks, Pipeline) and DIR/runs/NAME-run.yaml;
                       without it the YAML goes to stdout
  --git-source PARAM   a STRUCT pipeline input with url and revision: cloned first and recorded
                       for Chains as source_ARTIFACT_INPUTS (a resolved dependency)
  --subject-type TYPE  another artifact type whose outputs are Chains subjects (repeatable)

Lightweight Python components install kfp from PyPI at run time, as their IR asks; the Pipeline
param kfp-runtime=stand-in runs them with slsa-for-models' own executor instead (no network).

Exit status: 0 compiled, 1 refused or failing check, 2 bad usage or unreadable input.
`;

const OPTIONS = {
  out: { type: 'string' },
  'git-source': { type: 'string' },
  'subject-type': { type: 'string', repeatable: true },
} as const;

/** `slsa-for-models kfp compile`: Kubeflow Pipelines v2 IR to Tekton. */
export const kfpCommand: Command = {
  summary: 'compile a Kubeflow Pipelines v2 pipeline (IR YAML) into Tekton with Chains provenance',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals[0] !== 'compile')
      throw new UsageError(
        positionals.length ? `unknown subcommand "${positionals[0]}" (subcommands: compile)` : 'give a subcommand: compile',
      );
    if (positionals.length !== 2) throw new UsageError(`compile takes one IR.yaml, not ${positionals.length - 1}`);
    const file = positionals[1];
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // loaded here so that the other commands never load cdk8s through this one
    const kfp = require('../kfp') as typeof import('../kfp');
    let compiled;
    try {
      compiled = kfp.compileKfp(text, {
        fileName: file,
        gitSource: options['git-source'] as string | undefined,
        subjectTypes: options['subject-type'] as string[] | undefined,
      });
    } catch (err) {
      if (err instanceof kfp.KfpIrError) throw new UsageError(err.message);
      if (err instanceof kfp.KfpUnsupportedError || err instanceof kfp.KfpCheckError) {
        output.stderr.write(`slsa-for-models kfp: ${file}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    for (const f of compiled.findings) {
      output.stderr.write(`slsa-for-models kfp: ${f.severity} ${f.rule}: ${f.object}: ${f.message}\n`);
    }
    if (compiled.celConditions > 0) {
      output.stderr.write(
        `slsa-for-models kfp: ${compiled.celConditions} condition(s) compiled to CEL when expressions: the cluster needs feature flag enable-cel-in-whenexpression: "true"\n`,
      );
    }
    if (!compiled.run) output.stderr.write('slsa-for-models kfp: no PipelineRun written: the pipeline has inputs without a default\n');
    const out = options.out as string | undefined;
    if (out === undefined) {
      output.stdout.write(kfp.toYaml(compiled.run ? [...compiled.objects, compiled.run] : compiled.objects));
      return 0;
    }
    fs.mkdirSync(path.join(out, 'runs'), { recursive: true });
    const main = path.join(out, `${compiled.name}.yaml`);
    fs.writeFileSync(main, kfp.toYaml(compiled.objects));
    output.stdout.write(`wrote ${main} (${compiled.objects.length} objects)\n`);
    if (compiled.run) {
      const runFile = path.join(out, 'runs', `${compiled.name}-run.yaml`);
      fs.writeFileSync(runFile, kfp.toYaml([compiled.run]));
      output.stdout.write(`wrote ${runFile}\n`);
    }
    return 0;
  },
};
