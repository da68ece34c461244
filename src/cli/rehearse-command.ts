import * as fs from 'node:fs';
import * as path from 'node:path';
import { rehearseDeployGate } from '../models/deploy-gate-rehearsal';
import { PACKAGE_ROOT } from '../package-root';
import { CosignKeyError } from '../rehearse/cosign-key';
import { RehearsalError, RehearsalInputError, RehearsalInterruptedError } from '../rehearse/rehearsal-error';
import { rehearse } from '../rehearse/rehearsal';
import { checkDocuments } from '../check';
import { FeatureFlagsError } from '../tekton-model/feature-flags';
import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';
import { rehearseTriggerEvent } from '../rehearse/event-rehearsal';
import { KubernetesObject } from '../tekton-model/tekton-objects';
import { listSourceFiles, readSourceFile, SourceError } from '../tekton-model/yaml-sources';
import * as YAML from 'yaml';

/** `--event`: prints what the EventListener creates (stdout) and why each trigger refused (stderr). */
function rehearseEvent(
  args: { readonly event: string; readonly headers: readonly string[]; readonly webhookSecret?: string; readonly triggers: string },
  output: CommandOutput,
): { readonly accepted: number; readonly pipelineRuns: KubernetesObject[] } {
  const readFile = (file: string, option: string): Buffer => {
    try {
      return fs.readFileSync(file);
    } catch (err) {
      throw new UsageError(
        `${option} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      );
    }
  };
  const body = readFile(args.event, '--event');
  const headers: Record<string, string[]> = {};
  for (const h of args.headers) {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new UsageError(`--event-header ${JSON.stringify(h)}: expected KEY=VALUE, e.g. X-GitHub-Event=push`);
    (headers[h.slice(0, eq)] ??= []).push(h.slice(eq + 1));
  }
  const secret = args.webhookSecret === undefined ? undefined : readFile(args.webhookSecret, '--webhook-secret');
  const webhookSecret = secret && secret.toString('utf8').replace(/\r?\n$/, '');
  const objects: unknown[] = [];
  try {
    for (const file of listSourceFiles(args.triggers))
      for (const doc of readSourceFile(file, { skipNonMappings: true })) objects.push(doc.value);
  } catch (err) {
    if (err instanceof SourceError) throw new UsageError(`--triggers: ${err.message}`);
    throw err;
  }
  let outcomes;
  try {
    outcomes = rehearseTriggerEvent({
      objects,
      body,
      headers,
      webhookSecret: webhookSecret === undefined ? undefined : Buffer.from(webhookSecret),
    });
  } catch (err) {
    if (err instanceof RehearsalInputError) throw new UsageError(`${args.triggers}: ${err.message}`);
    throw err;
  }
  const pipelineRuns: KubernetesObject[] = [];
  let accepted = 0;
  for (const o of outcomes) {
    for (const note of o.notes) output.stderr.write(`note: ${o.trigger}: ${note}\n`);
    if (o.refused !== undefined) {
      output.stderr.write(`slsa-for-models rehearse: ${o.trigger} refused the event: ${o.refused}\n`);
      continue;
    }
    accepted++;
    output.stderr.write(`${o.trigger} accepted the event; the EventListener would create:\n`);
    for (const resource of o.resources ?? []) {
      output.stdout.write(`---\n${YAML.stringify(resource)}`);
      if (resource.kind === 'PipelineRun') pipelineRuns.push(resource as KubernetesObject);
    }
  }
  return { accepted, pipelineRuns };
}

const HELP = `usage: slsa-for-models rehearse --out DIR [--model-name NAME] [--source PATH] [--key FILE] [--dist DIR] [--run NAME] [--interrupt TASK]
       slsa-for-models rehearse --event FILE [--event-header KEY=VALUE]... [--webhook-secret FILE] [--triggers PATH] [--out DIR ...]

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

With --event, rehearses what a Tekton Triggers v0.37.0 EventListener does with a webhook event
(e.g. GitHub's push payload): each trigger's interceptors (github: X-GitHub-Event against eventTypes,
X-Hub-Signature-256 against the secret; cel: the filter and overlays, evaluated), its bindings read
from the event ($(body...), $(header...), $(extensions...)) and its TriggerTemplate rendered
($(tt.params.x), $(uid)); prints on stdout the resources the EventListener would create (YAML), and
with --out goes on to rehearse the PipelineRun among them as above.
  --event FILE            the request body, byte for byte (JSON)
  --event-header K=V      a request header (repeatable), e.g. X-GitHub-Event=push,
                          X-Hub-Signature-256=sha256=HEX
  --webhook-secret FILE   the webhook secret the github interceptor's secretRef names (one trailing
                          newline is dropped); without it the signature is not checked, and it says so
  --triggers PATH         the Triggers objects, a file or directory (default: --dist, read recursively)

exit status: 0 rehearsed and signed (with --event: a trigger accepted the event), 1 the pipeline failed
(with --event: every trigger refused it, each with one line), 2 bad usage or unreadable input`;

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
      event: { type: 'string' },
      'event-header': { type: 'string', repeatable: true },
      'webhook-secret': { type: 'string' },
      triggers: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const out = options.out as string | undefined;
    const distDir = (options.dist as string | undefined) ?? path.join(PACKAGE_ROOT, 'dist');
    let pipelineRun: KubernetesObject | undefined;
    if (options.event !== undefined) {
      const event = rehearseEvent(
        {
          event: options.event as string,
          headers: (options['event-header'] as string[] | undefined) ?? [],
          webhookSecret: options['webhook-secret'] as string | undefined,
          triggers: (options.triggers as string | undefined) ?? distDir,
        },
        output,
      );
      if (event.accepted === 0) return 1;
      if (!out) return 0;
      if (event.pipelineRuns.length === 0) throw new UsageError('--out: the event created no PipelineRun to rehearse');
      if (event.pipelineRuns.length > 1)
        output.stderr.write(`note: the event created ${event.pipelineRuns.length} PipelineRuns; rehearsing the first\n`);
      pipelineRun = event.pipelineRuns[0];
      const source = (pipelineRun.spec?.params as { name: string; value: unknown }[] | undefined)?.find((p) => p.name === 'model-source');
      const given = source?.value as Record<string, string> | undefined;
      if (given?.url)
        output.stderr.write(
          `note: the rehearsal trains from ${options.source ? `--source ${options.source as string}` : 'a generated model project'}, not from ${given.url}${given.revision ? ` at ${given.revision}` : ''}: nothing is fetched\n`,
        );
    } else {
      for (const name of ['event-header', 'webhook-secret', 'triggers'] as const)
        if (options[name] !== undefined) throw new UsageError(`--${name} goes with --event FILE`);
    }
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
        distDir,
        pipelineRun,
        modelName: options['model-name'] as string | undefined,
        sourcePath: options.source as string | undefined,
        keyFile: options.key as string | undefined,
        interruptOnce: options.interrupt as string | undefined,
        run: options.run as string | undefined,
        password: process.env.COSIGN_PASSWORD,
        env: process.env,
        report: say,
        admissionJudge: checkDocuments,
      });
      say(`wrote ${outcome.pipelineRunFile}`);
      say(
        `wrote ${outcome.publicKeyFile}${outcome.privateKeyFile ? ` and ${outcome.privateKeyFile} (password: ${process.env.COSIGN_PASSWORD === undefined ? 'empty' : 'COSIGN_PASSWORD'})` : ''}`,
      );
      for (const model of outcome.modelFiles)
        say(`wrote ${model}${fs.statSync(model).isDirectory() ? '/ (a directory model: its subject is the root digest)' : ''}`);
      if (outcome.omsStatementFile) say(`wrote ${outcome.omsStatementFile} (its unsigned OMS statement)`);
      const directoryModel = outcome.modelFiles.length === 1 && fs.statSync(outcome.modelFiles[0]).isDirectory();
      if (directoryModel) say('deploy gate: not rehearsed for a directory model (the gate promotes and serves one file)');
      if (outcome.modelFiles.length === 1 && !directoryModel) {
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
