import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';
import { isOmsVerification, verifyOmsCommand } from './verify-oms-command';
import { DEFAULT_PREDICATE_TYPE } from '../verify/predicate-types';
import { parseRequiredParam, RequiredParam } from '../verify/provenance-policy';
import { sha256OfStream } from '../verify/model-digest';
import { terminalSafeJson, terminalSafeText } from '../verify/verification-errors';
import { VerificationResult, verifyModelAttestation } from '../verify/verify-model-attestation';

const HELP = `usage: slsa-for-models verify --key KEY (--signature FILE | --pipelinerun FILE) [options] [MODEL]

Verifies a model against its signed SLSA provenance (a DSSE envelope), like
  cosign verify-blob-attestation --key KEY --signature FILE --type slsaprovenance1 MODEL
without cosign, for models of any size, plus the policy a deploy gate needs.

  --key KEY             PEM public key file (ECDSA P-256/P-384/P-521, RSA, Ed25519; cosign.pub),
                        or k8s://NAMESPACE/SECRET (its cosign.pub, read with kubectl)
  --signature FILE      the DSSE envelope: JSON, or base64 of JSON (as Chains stores it)
  --pipelinerun FILE    a PipelineRun saved as JSON or YAML; the envelope is its annotation
                        chains.tekton.dev/signature-pipelinerun-<metadata.uid>
  --type T              predicate type: slsaprovenance1 (default), slsaprovenance, slsaprovenance02,
                        custom, spdx, spdxjson, cyclonedx, link, vuln, openvex, or a URI
  --check-claims=false  do not check the subject (signature and predicate type only)
  --digest HEX          the model's sha256, instead of reading MODEL
  --builder-id URI      the builder id must be URI
  --source-uri URI      a resolved dependency must be URI (its @ref suffix ignored)
  --source-digest SHA1  the source must be at this git commit
  --param NAME=VALUE    the run had this param (NAME.KEY=VALUE for a key of an object param); repeatable
  --json                print the result as JSON

MODEL may be - to hash standard input.

Exit status: 0 verified, 1 not verified (one line says why), 2 bad usage or unreadable input.
`;

const OPTIONS = {
  'key': { type: 'string' },
  'signature': { type: 'string' },
  'pipelinerun': { type: 'string' },
  'type': { type: 'string' },
  'check-claims': { type: 'boolean' },
  'digest': { type: 'string' },
  'builder-id': { type: 'string' },
  'source-uri': { type: 'string' },
  'source-digest': { type: 'string' },
  'param': { type: 'string', repeatable: true },
  'json': { type: 'boolean' },
} as const;

/** Files at least this large get a progress bar while they are hashed (on a terminal only). */
const PROGRESS_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** `slsa-for-models verify`: a thin command over {@link verifyModelAttestation}. */
export const verifyCommand: Command = {
  summary: 'verify a model against its signed SLSA provenance (like cosign verify-blob-attestation), plus policy',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    // An OpenSSF Model Signing bundle (its statement's predicate type says so) has its own check.
    if (await isOmsVerification(argv)) return verifyOmsCommand.run(argv, output);
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    const key = options.key as string | undefined;
    const signature = options.signature as string | undefined;
    const pipelineRun = options.pipelinerun as string | undefined;
    if (key === undefined || key === '') throw new UsageError('--key is required (a PEM public key file, or k8s://NAMESPACE/SECRET)');
    if ((signature === undefined) === (pipelineRun === undefined)) throw new UsageError('give exactly one of --signature FILE or --pipelinerun FILE');
    if (positionals.length > 1) throw new UsageError(`one MODEL at most (got ${positionals.length}: ${positionals.join(' ')})`);
    const params: RequiredParam[] = [];
    for (const text of (options.param as string[] | undefined) ?? []) {
      const param = parseRequiredParam(text);
      if (!param) throw new UsageError(`--param takes NAME=VALUE, not "${text}"`);
      params.push(param);
    }
    // `-` is standard input, as for cosign verify-blob (a stream: `curl ... | slsa-for-models verify ... -`).
    const fromStdin = positionals[0] === '-' && options['check-claims'] !== false;
    if (fromStdin && options.digest !== undefined) throw new UsageError('give the model file or its digest, not both');
    const modelPath = positionals[0] === '-' ? undefined : positionals[0];
    let stdinSha256: string | undefined;
    if (fromStdin) {
      try {
        stdinSha256 = (await sha256OfStream(process.stdin, 'from standard input')).sha256;
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const digest = stdinSha256 ?? (options.digest as string | undefined);
    const progress = progressBar(output);
    const result = await verifyModelAttestation({
      key,
      ...(signature !== undefined ? { signaturePath: signature } : { pipelineRunPath: pipelineRun }),
      predicateType: (options.type as string | undefined) ?? DEFAULT_PREDICATE_TYPE,
      checkClaims: (options['check-claims'] as boolean | undefined) ?? true,
      ...(modelPath !== undefined ? { modelPath } : {}),
      ...(digest !== undefined ? { modelSha256: digest } : {}),
      policy: {
        builderId: options['builder-id'] as string | undefined,
        sourceUri: options['source-uri'] as string | undefined,
        sourceDigest: options['source-digest'] as string | undefined,
        params,
      },
      onProgress: progress.update,
    });
    progress.finish();
    if (options.json) output.stdout.write(`${terminalSafeJson(JSON.stringify(result, null, 2))}\n`);
    if (result.failure === 'usage' || result.failure === 'unreadable') throw new UsageError(result.reason);
    if (!result.verified) {
      output.stderr.write(`slsa-for-models verify: not verified: ${result.reason}\n`);
      return 1;
    }
    if (!options.json) output.stdout.write(summary(result, positionals[0]));
    return 0;
  },
};

function summary(result: VerificationResult, model: string | undefined): string {
  const facts = result.attestation!;
  const rows: [string, string | undefined][] = [
    ['subject', facts.matchedSubject ? `${facts.matchedSubject.name || '(unnamed)'} sha256:${facts.matchedSubject.sha256}` : 'not checked (--check-claims=false)'],
    ['predicate', facts.predicateType],
    ['builder', facts.builderId],
    ['build type', facts.buildType],
    ['source', facts.source ? `${facts.source.uri}${facts.source.commit ? ` commit ${facts.source.commit}` : ''}` : undefined],
    ['run', facts.invocationId],
    ['started', facts.startedOn],
    ['finished', facts.finishedOn],
    ['signed by', `${facts.keyDescription} key${facts.signature.keyid ? ` (keyid ${facts.signature.keyid})` : ''}`],
  ];
  const lines = [`verified: ${model ?? (result.modelSha256 ? `sha256:${result.modelSha256}` : 'attestation signature')}`];
  for (const [label, value] of rows) if (value !== undefined) lines.push(`  ${label.padEnd(10)} ${value}`);
  // Statement fields are signed, but still text from elsewhere: no terminal escapes, bidi tricks or extra lines.
  return `${lines.map(terminalSafeText).join('\n')}\n`;
}

function progressBar(output: CommandOutput): { update?: (done: number, total: number) => void; finish: () => void } {
  if (!output.stderr.isTTY) return { finish: () => undefined };
  let drawn = false;
  let last = 0;
  const draw = (done: number, total: number): void => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);
    output.stderr.write(`\rhashing [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${mib(done)}/${mib(total)} MiB`);
    drawn = true;
  };
  return {
    update: (done, total) => {
      if (total < PROGRESS_THRESHOLD_BYTES) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    finish: () => {
      if (drawn) output.stderr.write('\r\x1b[K');
    },
  };
}
