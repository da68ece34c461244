/**
 * The one program the cluster verifies with, as the verifier ConfigMaps ship it (verifier-bundle.ts):
 * the deploy gate's commands (deploy-gate-program.ts) and the training task's input check
 * (train-inputs-program.ts), over the same verify library `slsa-for-models verify` runs.
 *
 *   node verifier.js fetch-run|verify|promote|deploy   a step of the deploy gate
 *   node verifier.js verify-training-inputs            the training task's verify-inputs step
 *
 * Inputs come from the environment; every failure is one line on stderr and a non-zero exit.
 */
import { DEPLOY_GATE_COMMANDS, main as deployGate } from './deploy-gate-program';
import { main as verifyTrainingInputs, TRAIN_INPUTS_COMMAND } from './train-inputs-program';

/** Runs the command `argv` names; resolves to the exit code. Never rejects. */
export async function main(argv: readonly string[], environment: NodeJS.ProcessEnv): Promise<number> {
  const [command] = argv;
  if (command === TRAIN_INPUTS_COMMAND && argv.length === 1) return verifyTrainingInputs(environment);
  if ((DEPLOY_GATE_COMMANDS as readonly string[]).includes(command ?? '')) return deployGate(argv, environment);
  process.stderr.write(
    `slsa-for-models verifier: usage: verifier.js ${[...DEPLOY_GATE_COMMANDS, TRAIN_INPUTS_COMMAND].join('|')} (inputs from the environment)\n`,
  );
  return 2;
}

/** Runs {@link main} for a process and sets its exit code (the bundle's entry point). */
export function runAsProcess(): void {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
