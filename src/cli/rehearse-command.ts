import * as fs from 'node:fs';
import * as path from 'node:path';
import { rehearseDeployGate } from '../models/deploy-gate-rehearsal';
import { PACKAGE_ROOT } from '../package-root';
import { CosignKeyError } from '../rehearse/cosign-key';
import { RehearsalError, RehearsalInputError, RehearsalInterruptedError } from '../rehearse/rehearsal-error';
import { rehearse } from '../rehearse/rehearsal';
import { FeatureFlagsError } from '../tekton-model/feature-flags';
import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';

const HELP = `usage: slsa-for-models rehearse --out DIR [--model-name NAME] [--source PATH] [--key FILE] [--dist DIR] [--run NAME] [--interrupt TASK]

Runs the pipeline's own step scripts on this machine, in dependency order, the way Tekton v1.15.0 would
run them (variables, results, types and size limits), then signs SLSA v1 provenance the way Tekton
Chains v0.29.2 would for the configured format, and writes:
  DIR/pipelinerun.json   the PipelineRun with its status and the Chains annotations
  DIR/taskruns.json      its TaskRuns (signed too when chains-config signs TaskRuns)
  DIR/cosign.pub         the public key to verify with
  DIR/cosign.key         the generated cosign key (unless --key is given)
  DIR/<model>            the model file the pipeline uploaded
  DIR/model-project/     the generated model repository the run cloned (unless --source is given)

Container images are not pulled: steps use this machine's programs (git, python3, bash ...).
gcloud is a local stand-in; nothing reaches a cloud.

options:
  --out DIR          where to write the results (created if missing)
  --model-name NAME  the model format to train (the pipeline's model-name param)
  --source PATH      a local git repository to train from (default: a generated small model project)
  --key FILE         a cosign encrypted private key to sign with; its password in COSIGN_PASSWORD
  --dist DIR         the synthesized objects (default: the dist/ of this package)
  --run NAME         the PipelineRun to rehearse, by name or generateName (default: the first;
                     dist/runs/ holds slsa-for-models- and tiny-cnn-gpu-)
  --interrupt TASK   preempt the first attempt of pipeline task TASK (SIGKILL, as a reclaimed Spot VM)
                     once it has written a checkpoint to its CHECKPOINT_DIR; the task's retries resume it

exit status: 0 rehearsed and signed, 1 the pipeline failed, 2 bad usage or unreadable input`;

/** `slsa-for-models rehearse`: run the pipeline's steps locally and sign Chains-shaped provenance. */
export const rehearseCommand: Command = {
  summary: "run the pipeline's step scripts locally and sign Chains-shaped SLSA provenance",
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, {
      out: { type: 'string' },
      'model-name': { type: 'string' },
      source: { type: 'string' },
      key: { type: 'string' },
      dist: { type: 'string' },
      interrupt: { type: 'string' },
      run: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const out = options.out as string | undefined;
    if (!out) throw new UsageError('--out DIR is required: the directory for pipelinerun.json, cosign.pub and the model');
    const say = (line: string): void => {
      output.stdout.write(`${line}\n`);
    };
    // Ctrl-C kills the running step (it is in our process group); keep this process alive to clean up.
    // (The steps run synchronously, so this listener itself runs only once the rehearsal has returned.)
    // A step that dies of the signal stops the rehearsal at once (RehearsalInterruptedError); a step that
    // turns it into a failure is recognised below by the listener having run.
    let interrupted = false;
    const onInterrupt = (): void => {
      interrupted = true;
    };
    process.on('SIGINT', onInterrupt);
    try {
      const outcome = rehearse({
        outDir: out,
        distDir: (options.dist as string | undefined) ?? path.join(PACKAGE_ROOT, 'dist'),
        modelName: options['model-name'] as string | undefined,
        sourcePath: options.source as string | undefined,
        keyFile: options.key as string | undefined,
        interruptOnce: options.interrupt as string | undefined,
        run: options.run as string | undefined,
        password: process.env.COSIGN_PASSWORD,
        env: process.env,
        report: say,
      });
      say(`wrote ${outcome.pipelineRunFile}`);
      say(
        `wrote ${outcome.publicKeyFile}${outcome.privateKeyFile ? ` and ${outcome.privateKeyFile} (password: ${process.env.COSIGN_PASSWORD === undefined ? 'empty' : 'COSIGN_PASSWORD'})` : ''}`,
      );
      for (const model of outcome.modelFiles) say(`wrote ${model}`);
      if (outcome.modelFiles.length === 1) {
        // the deploy gate's verify and promote, run for real on what was just written
        say(
          'deploy gate (verify and promote, as the slsa-for-models-deploy Pipeline runs them; the InferenceService apply is not rehearsed):',
        );
        const cases = rehearseDeployGate({
          workDir: path.join(out, 'deploy-gate'),
          pipelineRunFile: outcome.pipelineRunFile,
          publicKeyFile: outcome.publicKeyFile,
          modelFile: outcome.modelFiles[0],
          statement: outcome.statement,
          ...(outcome.transparencyLogFiles ? { transparencyLogFiles: outcome.transparencyLogFiles } : {}),
        });
        for (const c of cases) say(`  ${c.passed ? 'passed' : 'refused'}: ${c.name}: ${c.line}`);
        const wrong = cases.find((c) => c.passed !== c.expectPass);
        if (wrong) {
          output.stderr.write(
            `slsa-for-models rehearse: the deploy gate ${wrong.passed ? 'let through' : 'refused'} ${wrong.name}: ${wrong.line}\n`,
          );
          return 1;
        }
      }
      say('verify it with:');
      say(`  ${outcome.verifyCommand}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (interrupted) {
        output.stderr.write(
          'slsa-for-models rehearse: interrupted (SIGINT) after the rehearsal had finished; its files above are complete\n',
        );
        return 130;
      }
      return 0;
    } catch (err) {
      if (err instanceof RehearsalInterruptedError) {
        output.stderr.write(
          `slsa-for-models rehearse: ${err.message}; its temporary files are removed and nothing was written to ${out}\n`,
        );
        return 130;
      }
      if (err instanceof CosignKeyError || err instanceof FeatureFlagsError || err instanceof RehearsalInputError)
        throw new UsageError(err.message);
      if (err instanceof RehearsalError) {
        // A Ctrl-C that the step survived as a plain failure (pip, for one, exits 1 on it): our listener
        // runs once the event loop turns, so let it, then report the interrupt rather than the failure.
        await new Promise((resolve) => setImmediate(resolve));
        if (interrupted) {
          if (err.keptFiles) fs.rmSync(err.keptFiles, { recursive: true, force: true });
          output.stderr.write(
            `slsa-for-models rehearse: interrupted (SIGINT); its temporary files are removed and nothing was written to ${out}\n`,
          );
          return 130;
        }
        output.stderr.write(`slsa-for-models rehearse: ${err.message}\n`);
        if (err.detail) for (const line of err.detail.split('\n')) output.stderr.write(`  | ${line}\n`);
        return 1;
      }
      throw err;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
  },
};
