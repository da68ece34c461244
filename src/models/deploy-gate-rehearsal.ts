/**
 * Rehearses the deploy gate on a rehearsal's output: runs the bundled gate's `verify` and `promote`
 * commands for real, as processes (the same files the `slsa-for-models-deploy` Pipeline runs from its
 * ConfigMaps), on the signed PipelineRun, the public key, the log entry and the model the rehearsal wrote; then shows
 * that a tampered model and a wrong source commit are refused. The InferenceService apply is the only
 * part not rehearsed. The policy is the rehearsal's own facts (its builder, source and commit), since a
 * rehearsal trains a generated project, not the deploy Pipeline's configured source.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findSourceDependency, gitCommitOf, parseInTotoStatement, readProvenanceFacts } from '../verify';
import { verifierBundle, VerifierBundle, writeVerifierBundle } from './verifier-bundle';
import { DeployGatePolicyJson } from './deploy-gate-program';

/** What to rehearse the gate on. */
export interface DeployGateRehearsalOptions {
  /** A directory of its own for the gate's files (the bundle, the store, the tampered copy). */
  readonly workDir: string;
  /** The signed PipelineRun (JSON). */
  readonly pipelineRunFile: string;
  /** The public key (PEM). */
  readonly publicKeyFile: string;
  /** The model file. */
  readonly modelFile: string;
  /** The statement the rehearsal signed (for the policy). */
  readonly statement: unknown;
  /** The envelope's log entry and the trusted root (when the rehearsal logged it): the gate checks the log, as in the cluster. @default - the log check is skipped */
  readonly transparencyLogFiles?: { readonly rekorEntry: string; readonly trustedRoot: string };
  /** The bundled gate. @default - bundled from the compiled sources */
  readonly bundle?: VerifierBundle;
}

/** One case of the gate rehearsal. */
export interface DeployGateRehearsalCase {
  /** What was tried. */
  readonly name: string;
  /** Whether the gate should let it through. */
  readonly expectPass: boolean;
  /** Whether it did (verify, and promote where verify passed). */
  readonly passed: boolean;
  /** The gate's last line. */
  readonly line: string;
}

/** The policy a rehearsal's own provenance meets: its builder, source and commit, at most 30 days old. */
export function rehearsalPolicy(statement: unknown): DeployGatePolicyJson {
  const facts = readProvenanceFacts(parseInTotoStatement(Buffer.from(JSON.stringify(statement))));
  const source = findSourceDependency(facts);
  const commit = source === undefined ? undefined : gitCommitOf(source);
  if (facts.builderId === undefined || source === undefined || commit === undefined) {
    throw new Error("the rehearsal's provenance names no builder or no git source with a commit; the gate has nothing to require");
  }
  return { builderId: facts.builderId, sourceUri: source.uri, sourceDigest: commit, time: { maxAgeSeconds: 30 * 24 * 3600 } };
}

/** Runs the gate's verify and promote on the rehearsal's output, then a tampered model and a wrong commit. */
export function rehearseDeployGate(options: DeployGateRehearsalOptions): DeployGateRehearsalCase[] {
  const bundle = options.bundle ?? verifierBundle();
  fs.mkdirSync(options.workDir, { recursive: true });
  const gate = writeVerifierBundle(bundle, path.join(options.workDir, 'gate'));
  const logFiles = options.transparencyLogFiles;
  const policy: DeployGatePolicyJson = { ...rehearsalPolicy(options.statement), ...(logFiles ? {} : { insecureIgnoreTlog: true }) };
  const run = (command: string, env: Record<string, string>) => {
    const result = spawnSync(process.execPath, [gate, command], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    const lines = `${result.stdout}${result.stderr}`.trim().split('\n');
    return { ok: result.status === 0, line: lines[lines.length - 1] ?? '' };
  };
  const attempt = (name: string, expectPass: boolean, model: string, gatePolicy: DeployGatePolicyJson): DeployGateRehearsalCase => {
    const digestFile = path.join(options.workDir, `${name.replace(/[^a-z]+/g, '-')}.sha256`);
    fs.rmSync(digestFile, { force: true });
    const verified = run('verify', {
      KEY: options.publicKeyFile,
      RUN_FILE: options.pipelineRunFile,
      MODEL: model,
      POLICY: JSON.stringify(gatePolicy),
      SHA256_RESULT: digestFile,
      ...(logFiles ? { REKOR_ENTRY: logFiles.rekorEntry, TRUSTED_ROOT: logFiles.trustedRoot } : {}),
    });
    if (!verified.ok) return { name, expectPass, passed: false, line: verified.line };
    const promoted = run('promote', {
      MODEL: model,
      SHA256_FILE: digestFile,
      STORE: path.join(options.workDir, 'store'),
      SERVED_MODEL_NAME: 'slsa-for-models',
    });
    return { name, expectPass, passed: promoted.ok, line: promoted.ok ? `${verified.line}; ${promoted.line}` : promoted.line };
  };
  fs.mkdirSync(path.join(options.workDir, 'store'), { recursive: true });
  const tampered = path.join(options.workDir, `tampered-${path.basename(options.modelFile)}`);
  const bytes = fs.readFileSync(options.modelFile);
  if (bytes.length > 0) bytes[bytes.length - 1] ^= 1;
  fs.writeFileSync(tampered, bytes);
  const otherCommit = policy.sourceDigest!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  return [
    attempt("the rehearsal's model", true, options.modelFile, policy),
    attempt('a tampered model (one bit flipped)', false, tampered, policy),
    attempt('a policy naming another source commit', false, options.modelFile, { ...policy, sourceDigest: otherCommit }),
  ];
}
