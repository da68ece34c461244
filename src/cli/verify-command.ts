import { Command, CommandOutput } from './command';
import { ParsedCommandLine, parseCommandLine } from './command-line';
import { readBoundedFile } from '../verify/bounded-file';
import { DeclaredPipeline, readPipelineDeclarations } from '../verify/pipeline-declarations';
import { ProvenancePolicy } from '../verify/provenance-policy';
import { RunKind } from '../verify/provenance-facts';
import { UsageError } from './usage-error';
import { DEFAULT_PREDICATE_TYPE } from '../verify/predicate-types';
import { parseRequiredParam, RequiredParam } from '../verify/provenance-policy';
import { sha256OfStream } from '../verify/model-digest';
import { terminalSafeJson, terminalSafeText } from '../verify/verification-errors';
import { VerificationResult, verifyModelAttestation } from '../verify/verify-model-attestation';

const HELP = `usage: slsa-for-models verify --key KEY (--signature FILE | --pipelinerun FILE) [options] [MODEL]

Verifies a model against its signed SLSA provenance (a DSSE envelope), like
  cosign verify-blob-attestation --key KEY --signature FILE --type slsaprovenance1 MODEL
without cosign, for models of any size, plus the policy a deploy gate needs.

  --key KEY             PEM public key file (ECDSA P-256/P-384/P-521, RSA 2048+, Ed25519; cosign.pub),
                        or k8s://NAMESPACE/SECRET (its cosign.pub, read with kubectl)
  --extra-key KEY       another trusted key, as --key (repeatable; key rotation: any may have signed)
  --signature FILE      the DSSE envelope: JSON, or base64 of JSON (as Chains stores it)
  --pipelinerun FILE    a PipelineRun saved as JSON or YAML; the envelope is its annotation
                        chains.tekton.dev/signature-pipelinerun-<metadata.uid>, and the statement
                        must describe that PipelineRun (its uid, where the format records it)
  --type T              predicate type: slsaprovenance1 (default), slsaprovenance, slsaprovenance02,
                        custom, spdx, spdxjson, cyclonedx, link, vuln, openvex, or a URI
  --check-claims=false  do not check the subject: signature and predicate type only (MODEL is
                        not read; --digest is refused)
  --digest HEX          the model's sha256, instead of reading MODEL

policy (each is checked only when given):
  --builder-id URI      the builder id must be URI
  --build-type URI      the build type must be URI (repeatable: one of them)
  --run-kind KIND       the provenance must describe a PipelineRun or a TaskRun
  --pipeline FILE       the Pipeline (YAML or JSON, e.g. dist/slsa-for-models.yaml) that must have run:
                        the run's pipelineRef must name it, its param defaults count as the run saw
                        them, and a param it does not declare is refused
  --pipeline-name NAME  the run's pipelineRef must name NAME (implies --run-kind PipelineRun)
  --pipeline-resolver R the pipeline must come through resolver R (none: a Pipeline of the cluster)
  --pipeline-bundle-digest D   the pipeline's bundle must be pinned by @D (sha256:HEX)
  --pipeline-source-digest D   the pipeline's config source must have digest D (ALG:HEX)
  --forbid-pipeline-spec       refuse a run that embeds its pipeline instead of referring to one
  --source-uri URI      the build's source (Chains: a type-hinted input) must be URI (its @ref ignored)
  --source-digest SHA1  the source must be at this git commit
  --allowed-source URI  every git source must be one of these (repeatable)
  --param NAME=VALUE    the run had this param (NAME.KEY=VALUE for a key of an object param,
                        NAME='{"k":"v"}' for a whole object); repeatable
  --forbid-dotted-params  refuse any run param whose name has a "."
  --subject-name NAME   the subject that matches the model must be NAME
  --subject-prefix P    ... or start with P (e.g. the Artifact Registry repository)
  --subject-count N     the statement must have exactly N subjects
  --max-age DURATION    the build finished at most DURATION ago (e.g. 72h, 30m, 7d)
  --not-before TIME     the build started at or after TIME (RFC 3339)
  --invocation-id ID    the provenance's invocation id must be ID (Chains: the run's uid)
  --require-invocation-id  refuse provenance without an invocation id
  --require-succeeded   the run must have succeeded (read from the --pipelinerun file's status)

  --json                print the result as JSON

MODEL may be - to hash standard input.

Exit status: 0 verified, 1 not verified (one line says why), 2 bad usage or unreadable input.
`;

const OPTIONS = {
  'key': { type: 'string' },
  'extra-key': { type: 'string', repeatable: true },
  'signature': { type: 'string' },
  'pipelinerun': { type: 'string' },
  'type': { type: 'string' },
  'check-claims': { type: 'boolean' },
  'digest': { type: 'string' },
  'builder-id': { type: 'string' },
  'build-type': { type: 'string', repeatable: true },
  'run-kind': { type: 'string' },
  'pipeline': { type: 'string' },
  'pipeline-name': { type: 'string' },
  'pipeline-resolver': { type: 'string' },
  'pipeline-bundle-digest': { type: 'string' },
  'pipeline-source-digest': { type: 'string' },
  'forbid-pipeline-spec': { type: 'boolean' },
  'source-uri': { type: 'string' },
  'source-digest': { type: 'string' },
  'allowed-source': { type: 'string', repeatable: true },
  'param': { type: 'string', repeatable: true },
  'forbid-dotted-params': { type: 'boolean' },
  'subject-name': { type: 'string' },
  'subject-prefix': { type: 'string' },
  'subject-count': { type: 'string' },
  'max-age': { type: 'string' },
  'not-before': { type: 'string' },
  'invocation-id': { type: 'string' },
  'require-invocation-id': { type: 'boolean' },
  'require-succeeded': { type: 'boolean' },
  'json': { type: 'boolean' },
} as const;

type VerifyOptions = ParsedCommandLine<typeof OPTIONS>['options'];

/** Files at least this large get a progress bar while they are hashed (on a terminal only). */
const PROGRESS_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** `slsa-for-models verify`: a thin command over {@link verifyModelAttestation}. */
export const verifyCommand: Command = {
  summary: 'verify a model against its signed SLSA provenance (like cosign verify-blob-attestation), plus policy',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    const keys = options.key === undefined ? [] : [options.key, ...options['extra-key'] ?? []];
    const signature = options.signature;
    const pipelineRun = options.pipelinerun;
    if (keys.length === 0 || keys[0] === '') throw new UsageError('--key is required (a PEM public key file, or k8s://NAMESPACE/SECRET)');
    if (keys.includes('')) throw new UsageError('--extra-key needs a key file or k8s://NAMESPACE/SECRET');
    if ((signature === undefined) === (pipelineRun === undefined)) throw new UsageError('give exactly one of --signature FILE or --pipelinerun FILE');
    if (positionals.length > 1) throw new UsageError(`one MODEL at most (got ${positionals.length}: ${positionals.join(' ')})`);
    const checkClaims = options['check-claims'] ?? true;
    if (!checkClaims && options.digest !== undefined) {
      throw new UsageError('--digest is only compared when claims are checked: drop --digest or --check-claims=false (cosign would ignore the digest silently)');
    }
    const policy = await policyFrom(options);
    // `-` is standard input, as for cosign verify-blob (a stream: `curl ... | slsa-for-models verify ... -`).
    const fromStdin = positionals[0] === '-' && checkClaims;
    if (fromStdin && options.digest !== undefined) throw new UsageError('give the model file or its digest, not both');
    const modelPath = positionals[0] === '-' || !checkClaims ? undefined : positionals[0];
    let stdinSha256: string | undefined;
    if (fromStdin) {
      try {
        stdinSha256 = (await sha256OfStream(process.stdin, 'from standard input')).sha256;
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const digest = stdinSha256 ?? options.digest;
    const progress = progressBar(output);
    const result = await verifyModelAttestation({
      key: keys.length === 1 ? keys[0] : keys,
      ...(signature !== undefined ? { signaturePath: signature } : { pipelineRunPath: pipelineRun }),
      predicateType: options.type ?? DEFAULT_PREDICATE_TYPE,
      checkClaims,
      ...(modelPath !== undefined ? { modelPath } : {}),
      ...(digest !== undefined ? { modelSha256: digest } : {}),
      policy,
      onProgress: progress.update,
    });
    progress.finish();
    if (options.json) output.stdout.write(`${terminalSafeJson(JSON.stringify(result, null, 2))}\n`);
    if (result.failure === 'usage' || result.failure === 'unreadable') throw new UsageError(result.reason);
    if (!result.verified) {
      output.stderr.write(`slsa-for-models verify: not verified: ${result.reason}\n`);
      return 1;
    }
    if (!options.json) output.stdout.write(summary(result, checkClaims ? positionals[0] : undefined, positionals[0], keys.length > 1));
    return 0;
  },
};

/** The policy the flags ask for, as the library's typed {@link ProvenancePolicy}. */
async function policyFrom(options: VerifyOptions): Promise<ProvenancePolicy> {
  const params: RequiredParam[] = [];
  for (const text of options.param ?? []) {
    const param = parseRequiredParam(text);
    if (!param) throw new UsageError(`--param takes NAME=VALUE, not "${text}"`);
    params.push(param);
  }
  const runKind = options['run-kind'];
  if (runKind !== undefined && runKind !== 'PipelineRun' && runKind !== 'TaskRun') throw new UsageError(`--run-kind takes PipelineRun or TaskRun, not "${runKind}"`);
  let declarations: DeclaredPipeline | undefined;
  if (options.pipeline !== undefined) {
    const text = (await readBoundedFile(options.pipeline, 'pipeline').catch((err: Error) => { throw new UsageError(err.message); })).toString('utf8');
    try {
      declarations = readPipelineDeclarations(text, options.pipeline, options['pipeline-name']);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const pipelineName = options['pipeline-name'] ?? declarations?.name;
  const resolver = options['pipeline-resolver'];
  const pipeline = {
    ...(pipelineName === undefined ? {} : { name: pipelineName }),
    ...(resolver === undefined ? {} : { resolver: resolver === 'none' ? '' : resolver }),
    ...(options['pipeline-bundle-digest'] === undefined ? {} : { bundleDigest: options['pipeline-bundle-digest'] }),
    ...(options['pipeline-source-digest'] === undefined ? {} : { configSourceDigest: options['pipeline-source-digest'] }),
    ...(options['forbid-pipeline-spec'] ? { forbidInlineSpec: true } : {}),
    ...(declarations === undefined ? {} : { params: declarations.params }),
  };
  const subjectCount = options['subject-count'];
  if (subjectCount !== undefined && !/^[0-9]+$/.test(subjectCount)) throw new UsageError(`--subject-count takes a number, not "${subjectCount}"`);
  const subject = {
    ...(options['subject-name'] === undefined ? {} : { name: options['subject-name'] }),
    ...(options['subject-prefix'] === undefined ? {} : { namePrefix: options['subject-prefix'] }),
    ...(subjectCount === undefined ? {} : { count: Number(subjectCount) }),
  };
  const maxAge = options['max-age'];
  const maxAgeSeconds = maxAge === undefined ? undefined : parseDurationSeconds(maxAge);
  if (maxAge !== undefined && maxAgeSeconds === undefined) throw new UsageError(`--max-age takes a duration such as 72h, 30m or 7d, not "${maxAge}"`);
  const notBefore = options['not-before'];
  if (notBefore !== undefined && Number.isNaN(Date.parse(notBefore))) throw new UsageError(`--not-before takes an RFC 3339 time, not "${notBefore}"`);
  const time = {
    ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
    ...(notBefore === undefined ? {} : { notBefore }),
  };
  const kind: RunKind | undefined = runKind ?? (pipelineName !== undefined ? 'PipelineRun' : undefined);
  return {
    ...(options['builder-id'] === undefined ? {} : { builderId: options['builder-id'] }),
    ...(options['build-type'] === undefined ? {} : { buildTypes: options['build-type'] }),
    ...(kind === undefined ? {} : { runKind: kind }),
    ...(Object.keys(pipeline).length === 0 ? {} : { pipeline }),
    ...(options['source-uri'] === undefined ? {} : { sourceUri: options['source-uri'] }),
    ...(options['source-digest'] === undefined ? {} : { sourceDigest: options['source-digest'] }),
    ...(options['allowed-source'] === undefined ? {} : { allowedSourceUris: options['allowed-source'] }),
    ...(params.length === 0 ? {} : { params }),
    ...(options['forbid-dotted-params'] ? { forbidDottedParams: true } : {}),
    ...(Object.keys(subject).length === 0 ? {} : { subject }),
    ...(Object.keys(time).length === 0 ? {} : { time }),
    ...(options['invocation-id'] === undefined ? {} : { invocationId: options['invocation-id'] }),
    ...(options['require-invocation-id'] ? { requireInvocationId: true } : {}),
    ...(options['require-succeeded'] ? { requireSucceeded: true } : {}),
  };
}

/** `72h`, `30m`, `1h30m`, `7d`, `90s` (Go's units, plus `d` for days) in seconds; undefined when not a duration. */
function parseDurationSeconds(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(d|h|m|s))+$/.test(text)) return undefined;
  const unit: Readonly<Record<string, number>> = { d: 86400, h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(d|h|m|s)/g)) seconds += Number(match[1]) * unit[match[2]];
  return seconds;
}

function summary(result: VerificationResult, model: string | undefined, unread: string | undefined, severalKeys: boolean): string {
  const facts = result.attestation!;
  const rows: [string, string | undefined][] = [
    ['subject', facts.matchedSubject
      ? `${facts.matchedSubject.name || '(unnamed)'} sha256:${facts.matchedSubject.sha256}`
      : `not checked (--check-claims=false)${unread !== undefined ? `: ${unread} was not read` : ''}`],
    ['predicate', facts.predicateType],
    ['builder', facts.builderId],
    ['build type', facts.buildType],
    ['source', facts.source ? `${facts.source.uri}${facts.source.commit ? ` commit ${facts.source.commit}` : ''}` : undefined],
    ['run', facts.invocationId],
    ['started', facts.startedOn],
    ['finished', facts.finishedOn],
    ['signed by', `${facts.keyDescription} key${severalKeys ? ` ${facts.keySource}` : ''}${facts.signature.keyid ? ` (keyid ${facts.signature.keyid})` : ''}`],
  ];
  const what = model ?? (result.modelSha256 ? `sha256:${result.modelSha256}` : 'attestation signature');
  const lines = [`verified: ${what}`];
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
