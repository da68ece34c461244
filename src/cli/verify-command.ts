import { Command, CommandOutput } from './command';
import { ParsedCommandLine, parseCommandLine } from './command-line';
import { readBoundedFile } from '../verify/bounded-file';
import * as path from 'node:path';
import { RunKind } from '../verify/provenance-facts';
import {
  mergeVerifyPolicies,
  parseDurationSeconds,
  parseVerifyPolicy,
  rebaseVerifyPolicyPaths,
  resolveVerifyPolicy,
  ResolvedVerifyPolicy,
  VerifyPolicy,
} from '../verify/verify-policy';
import { UsageError } from './usage-error';
import { isOmsVerification, verifyOmsCommand } from './verify-oms-command';
import { DEFAULT_PREDICATE_TYPE } from '../verify/predicate-types';
import { isDependencyDigest, parseRequiredParam } from '../verify/provenance-policy';
import { sha256OfStream } from '../verify/model-digest';
import { terminalSafeJson, terminalSafeText } from '../verify/verification-errors';
import { VerificationResult, verifyModelAttestation } from '../verify/verify-model-attestation';

const HELP = `usage: slsa-for-models verify (--key KEY | --certificate-identity ID --certificate-oidc-issuer URL)
         (--signature FILE | --pipelinerun FILE | --bundle FILE) [--rekor-entry FILE] [--trusted-root FILE]
         [--policy FILE] [options] [MODEL | --model-dir DIR]

Verifies a model against its signed SLSA provenance (a DSSE envelope), like
  cosign verify-blob-attestation --key KEY --signature FILE --type slsaprovenance1 MODEL
without cosign, for models of any size, plus the policy a deploy gate needs. As cosign does by
default, the envelope must be in a transparency log: its Rekor entry (--rekor-entry, or the one
inside --bundle) is checked offline against --trusted-root, unless --insecure-ignore-tlog.

  --key KEY             PEM public key file (ECDSA P-256/P-384/P-521, RSA 2048+, Ed25519; cosign.pub),
                        or k8s://NAMESPACE/SECRET (its cosign.pub, read with kubectl)
  --extra-key KEY       another trusted key, as --key (repeatable; key rotation: any may have signed)
  --certificate-identity ID   keyless: the Fulcio certificate's subject (e.g. a workflow URI)
  --certificate-identity-regexp RE   ... or a regular expression it must match
  --certificate-oidc-issuer URL      the OIDC issuer the certificate records
  --certificate FILE    keyless Chains: the Fulcio certificate (PEM, or its base64) that signed the
                        --signature or --pipelinerun envelope (Chains' cert-pipelinerun-<uid> annotation)
  --signature FILE      the DSSE envelope: JSON, or base64 of JSON (as Chains stores it)
  --pipelinerun FILE    a PipelineRun saved as JSON or YAML; the envelope is its annotation
                        chains.tekton.dev/signature-pipelinerun-<metadata.uid>, and the statement
                        must describe that PipelineRun (its uid, where the format records it)
  --bundle FILE         a Sigstore bundle (v0.1-v0.3: cosign v3, attest-blob --new-bundle-format, Chains'
                        sigstore-bundle): a DSSE attestation, or a signature over MODEL itself
                        (cosign sign-blob --bundle; no provenance, so no provenance policy)
  --rekor-entry FILE    the envelope's Rekor entry (GET /api/v1/log/entries?logIndex=N), as
                        scripts/fetch-attestation.sh saves it; repeatable
  --trusted-root FILE   Sigstore's trusted_root.json (log keys, Fulcio CAs, CT logs); none is shipped
  --insecure-ignore-tlog  skip the transparency log check (as cosign); the result says it was skipped
  --policy FILE         a policy file (YAML or JSON, kind VerifyPolicy; docs/verify-sigstore.md): every
                        flag below has a field there; a field set in both places is an error
  --type T              predicate type: slsaprovenance1 (default), slsaprovenance, slsaprovenance02,
                        custom, spdx, spdxjson, cyclonedx, link, vuln, openvex, a URI, or any (ours,
                        not cosign's: any predicate type; signature, log and subject still checked)
  --check-claims=false  do not check the subject: signature and predicate type only (MODEL is
                        not read; --digest is refused)
  --digest HEX          the model's sha256, instead of reading MODEL
  --model-dir DIR       a model directory: every file must be a subject (by path and sha256) and
                        every subject a file, unless --allow-extra-files / --allow-missing-files

policy (each is checked only when given):
  --builder-id URI      the builder id must be URI
  --build-type URI      the build type must be URI (repeatable: one of them)
  --run-kind KIND       the provenance must describe a PipelineRun or a TaskRun
  --pipeline FILE       the Pipeline (YAML or JSON, e.g. dist/slsa-for-models.yaml) that must have run:
                        the run's pipelineRef must name it, its param defaults count as the run saw
                        them, and a param it does not declare is refused
  --pipeline-name NAME  the run's pipelineRef must name NAME (implies --run-kind PipelineRun)
  --pipeline-resolver R the pipeline must come through resolver R (none: a Pipeline of the cluster)
  --pipeline-namespace NS      the pipeline must be a Pipeline of the cluster in namespace NS: a
                        pipelineRef without resolver in a run of NS (the --pipelinerun's namespace),
                        or through the cluster resolver with kind pipeline and namespace NS
  --pipeline-bundle-digest D   the pipeline's bundle must be pinned by @D (sha256:HEX)
  --pipeline-source-digest D   the pipeline's config source must have digest D (ALG:HEX)
  --forbid-pipeline-spec       refuse a run that embeds its pipeline instead of referring to one
  --source-uri URI      the build's source (Chains: a type-hinted input) must be URI (its @ref ignored)
  --source-digest SHA1  the source must be at this git commit
  --allowed-source URI  every git source must be one of these (repeatable)
  --param NAME=VALUE    the run had this param (NAME.KEY=VALUE for a key of an object param,
                        NAME='{"k":"v"}' for a whole object); repeatable
  --forbid-dotted-params  refuse any run param whose name has a "."
  --dependency NAME=DIGEST  the build used input NAME with DIGEST (ALG:HEX): the run's result
                        NAME_ARTIFACT_INPUTS (e.g. base-model, dataset), a resolved dependency
                        of the provenance; repeatable
  --only-listed-dependencies  every input of the build (Chains' inputs/result) is a --dependency,
                        or a git source --source-uri or --allowed-source names
  --subject-name NAME   the subject that matches the model must be NAME
  --subject-prefix P    ... or start with P (e.g. the Artifact Registry repository)
  --subject-count N     the statement must have exactly N subjects
  --max-age DURATION    the build finished at most DURATION ago (e.g. 72h, 30m, 7d)
  --not-before TIME     the build started at or after TIME (RFC 3339)
  --invocation-id ID    the provenance's invocation id must be ID (Chains: the run's uid)
  --require-invocation-id  refuse provenance without an invocation id
  --require-succeeded   the run must have succeeded (read from the --pipelinerun file's status)

  --json                print the result as JSON

MODEL may be - to hash standard input. A directory MODEL is matched by its root digest (one
subject for the whole directory, as the upload task records it): sha256 over its files' sha256
in model_signing's order, git files left out; \`slsa-for-models digest DIR\` prints it.

Exit status: 0 verified, 1 not verified (one line says why), 2 bad usage or unreadable input.
`;

const OPTIONS = {
  key: { type: 'string' },
  'extra-key': { type: 'string', repeatable: true },
  signature: { type: 'string' },
  pipelinerun: { type: 'string' },
  bundle: { type: 'string' },
  'rekor-entry': { type: 'string', repeatable: true },
  'trusted-root': { type: 'string' },
  'insecure-ignore-tlog': { type: 'boolean' },
  certificate: { type: 'string' },
  'certificate-identity': { type: 'string' },
  'certificate-identity-regexp': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  policy: { type: 'string' },
  'model-dir': { type: 'string' },
  'allow-extra-files': { type: 'boolean' },
  'allow-missing-files': { type: 'boolean' },
  type: { type: 'string' },
  'check-claims': { type: 'boolean' },
  digest: { type: 'string' },
  'builder-id': { type: 'string' },
  'build-type': { type: 'string', repeatable: true },
  'run-kind': { type: 'string' },
  pipeline: { type: 'string' },
  'pipeline-name': { type: 'string' },
  'pipeline-resolver': { type: 'string' },
  'pipeline-namespace': { type: 'string' },
  'pipeline-bundle-digest': { type: 'string' },
  'pipeline-source-digest': { type: 'string' },
  'forbid-pipeline-spec': { type: 'boolean' },
  'source-uri': { type: 'string' },
  'source-digest': { type: 'string' },
  'allowed-source': { type: 'string', repeatable: true },
  param: { type: 'string', repeatable: true },
  'forbid-dotted-params': { type: 'boolean' },
  dependency: { type: 'string', repeatable: true },
  'only-listed-dependencies': { type: 'boolean' },
  'subject-name': { type: 'string' },
  'subject-prefix': { type: 'string' },
  'subject-count': { type: 'string' },
  'max-age': { type: 'string' },
  'not-before': { type: 'string' },
  'invocation-id': { type: 'string' },
  'require-invocation-id': { type: 'boolean' },
  'require-succeeded': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type VerifyOptions = ParsedCommandLine<typeof OPTIONS>['options'];

/** Files at least this large get a progress bar while they are hashed (on a terminal only). */
const PROGRESS_THRESHOLD_BYTES = 64 * 1024 * 1024;

/** `slsa-for-models verify`: a thin command over {@link verifyModelAttestation}. */
export const verifyCommand: Command = {
  summary: 'verify a model against its signed SLSA provenance (like cosign verify-blob-attestation), plus policy',
  help: `${HELP}\nWith an OpenSSF Model Signing bundle:\n\n${verifyOmsCommand.help}`,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    // An OpenSSF Model Signing bundle (its statement's predicate type says so) has its own check.
    if (await isOmsVerification(argv)) return verifyOmsCommand.run(argv, output);
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    if (options.key === '' || (options['extra-key'] ?? []).includes(''))
      throw new UsageError('--key and --extra-key need a key file or k8s://NAMESPACE/SECRET');
    if (options['extra-key'] !== undefined && options.key === undefined)
      throw new UsageError('--extra-key adds to --key: give --key first');
    const sources = [options.signature, options.pipelinerun, options.bundle].filter((source) => source !== undefined);
    if (sources.length !== 1) throw new UsageError('give exactly one of --signature FILE, --pipelinerun FILE or --bundle FILE');
    if (positionals.length > 1) throw new UsageError(`one MODEL at most (got ${positionals.length}: ${positionals.join(' ')})`);
    if (options['model-dir'] !== undefined && positionals.length > 0) throw new UsageError('give MODEL or --model-dir DIR, not both');
    const policy = await policyOf(options);
    const checkClaims = policy.checkClaims ?? true;
    if (!checkClaims && options.digest !== undefined) {
      throw new UsageError(
        '--digest is only compared when claims are checked: drop --digest or --check-claims=false (cosign would ignore the digest silently)',
      );
    }
    if (policy.keys.length === 0 && options.bundle === undefined && options.certificate === undefined)
      throw new UsageError('--key is required (a PEM public key file, or k8s://NAMESPACE/SECRET)');
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
    const keys = policy.keys;
    const result = await verifyModelAttestation({
      ...(keys.length === 0 ? {} : { key: keys.length === 1 ? keys[0] : keys }),
      ...(options.signature !== undefined
        ? { signaturePath: options.signature }
        : options.pipelinerun !== undefined
          ? { pipelineRunPath: options.pipelinerun }
          : { bundlePath: options.bundle! }),
      ...(options['rekor-entry'] !== undefined ? { rekorEntryPaths: options['rekor-entry'] } : {}),
      ...(options.certificate !== undefined ? { certificatePath: options.certificate } : {}),
      ...(policy.trustedRootPath !== undefined ? { trustedRoot: policy.trustedRootPath } : {}),
      insecureIgnoreTlog: !policy.requireTransparencyLog,
      ...(policy.certificateIdentity !== undefined ? { certificateIdentity: policy.certificateIdentity } : {}),
      predicateType: policy.predicateType ?? DEFAULT_PREDICATE_TYPE,
      checkClaims,
      ...(modelPath !== undefined ? { modelPath } : {}),
      ...(digest !== undefined ? { modelSha256: digest } : {}),
      ...(options['model-dir'] !== undefined && checkClaims ? { modelDirectory: options['model-dir'] } : {}),
      ...(policy.modelDirectory.allowExtraFiles ? { allowExtraFiles: true } : {}),
      ...(policy.modelDirectory.allowMissingFiles ? { allowMissingFiles: true } : {}),
      policy: policy.provenance,
      onProgress: progress.update,
    });
    progress.finish();
    if (options.json) output.stdout.write(`${terminalSafeJson(JSON.stringify(result, null, 2))}\n`);
    if (result.failure === 'usage' || result.failure === 'unreadable' || result.failure === 'internal') throw new UsageError(result.reason);
    if (!result.verified) {
      output.stderr.write(`slsa-for-models verify: not verified: ${result.reason}\n`);
      return 1;
    }
    if (!options.json)
      output.stdout.write(
        summary(result, checkClaims ? (positionals[0] ?? options['model-dir']) : undefined, positionals[0], keys.length > 1),
      );
    return 0;
  },
};

/**
 * The policy the flags ask for, as the library's typed {@link VerifyPolicy} (one field per flag),
 * joined with the --policy file's (a field set in both is an error), resolved to the library's options.
 */
async function policyOf(options: VerifyOptions): Promise<ResolvedVerifyPolicy> {
  let policy = policyOfFlags(options);
  try {
    if (options.policy !== undefined) {
      const text = (await readBoundedFile(options.policy, 'policy')).toString('utf8');
      // The file's paths are relative to the file; the flags' to the current directory.
      const file = rebaseVerifyPolicyPaths(parseVerifyPolicy(text, options.policy), path.dirname(options.policy));
      policy = mergeVerifyPolicies(file, policy, options.policy);
    }
    return await resolveVerifyPolicy(policy);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Each flag as the field of {@link VerifyPolicy} it sets. */
function policyOfFlags(options: VerifyOptions): VerifyPolicy {
  const params: Record<string, string> = {};
  for (const text of options.param ?? []) {
    const param = parseRequiredParam(text);
    if (!param) throw new UsageError(`--param takes NAME=VALUE, not "${text}"`);
    if (Object.prototype.hasOwnProperty.call(params, param.name)) throw new UsageError(`--param ${param.name} is given twice`);
    params[param.name] = param.value;
  }
  const dependencies: Record<string, string> = {};
  for (const text of options.dependency ?? []) {
    const eq = text.indexOf('=');
    const name = text.slice(0, eq);
    const digest = text.slice(eq + 1);
    if (eq <= 0 || !isDependencyDigest(digest))
      throw new UsageError(`--dependency takes NAME=ALG:HEX (e.g. base-model=sha256:<64 hex>), not "${text}"`);
    if (Object.prototype.hasOwnProperty.call(dependencies, name)) throw new UsageError(`--dependency ${name} is given twice`);
    dependencies[name] = digest;
  }
  const runKind = options['run-kind'];
  if (runKind !== undefined && runKind !== 'PipelineRun' && runKind !== 'TaskRun')
    throw new UsageError(`--run-kind takes PipelineRun or TaskRun, not "${runKind}"`);
  const subjectCount = options['subject-count'];
  if (subjectCount !== undefined && !/^[0-9]+$/.test(subjectCount))
    throw new UsageError(`--subject-count takes a number, not "${subjectCount}"`);
  const maxAge = options['max-age'];
  if (maxAge !== undefined && parseDurationSeconds(maxAge) === undefined)
    throw new UsageError(`--max-age takes a duration such as 72h, 30m or 7d, not "${maxAge}"`);
  const notBefore = options['not-before'];
  if (notBefore !== undefined && Number.isNaN(Date.parse(notBefore)))
    throw new UsageError(`--not-before takes an RFC 3339 time, not "${notBefore}"`);
  if (options['certificate-identity'] !== undefined && options['certificate-identity-regexp'] !== undefined)
    throw new UsageError('give --certificate-identity or --certificate-identity-regexp, not both');
  const defined = <T extends object>(fields: T): T | undefined => {
    const kept = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    return Object.keys(kept).length === 0 ? undefined : (kept as T);
  };
  const keys = options.key === undefined ? undefined : [options.key, ...(options['extra-key'] ?? [])];
  const policy: VerifyPolicy = {
    signer: defined({
      keys,
      certificateIdentity: options['certificate-identity'],
      certificateIdentityRegexp: options['certificate-identity-regexp'],
      certificateOidcIssuer: options['certificate-oidc-issuer'],
    }),
    transparencyLog: defined({ required: options['insecure-ignore-tlog'] ? false : undefined, trustedRoot: options['trusted-root'] }),
    predicateType: options.type,
    checkClaims: options['check-claims'],
    modelDirectory: defined({ allowExtraFiles: options['allow-extra-files'], allowMissingFiles: options['allow-missing-files'] }),
    builderId: options['builder-id'],
    buildTypes: options['build-type'],
    runKind: runKind as RunKind | undefined,
    pipeline: defined({
      file: options.pipeline,
      name: options['pipeline-name'],
      resolver: options['pipeline-resolver'],
      namespace: options['pipeline-namespace'],
      bundleDigest: options['pipeline-bundle-digest'],
      sourceDigest: options['pipeline-source-digest'],
      forbidSpec: options['forbid-pipeline-spec'],
    }),
    source: defined({ uri: options['source-uri'], digest: options['source-digest'], allowed: options['allowed-source'] }),
    params: Object.keys(params).length === 0 ? undefined : params,
    forbidDottedParams: options['forbid-dotted-params'] || undefined,
    dependencies: Object.keys(dependencies).length === 0 ? undefined : dependencies,
    onlyListedDependencies: options['only-listed-dependencies'] || undefined,
    subject: defined({
      name: options['subject-name'],
      prefix: options['subject-prefix'],
      count: subjectCount === undefined ? undefined : Number(subjectCount),
    }),
    time: defined({ maxAge, notBefore }),
    invocationId: options['invocation-id'],
    requireInvocationId: options['require-invocation-id'] || undefined,
    requireSucceeded: options['require-succeeded'] || undefined,
  };
  return Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined)) as VerifyPolicy;
}

function summary(result: VerificationResult, model: string | undefined, unread: string | undefined, severalKeys: boolean): string {
  const checks = result.checks;
  const facts = result.attestation;
  const log =
    checks === undefined
      ? undefined
      : checks.transparencyLog === 'skipped'
        ? 'not checked (--insecure-ignore-tlog)'
        : checks
            .logEntries!.map(
              (entry) =>
                `entry ${entry.logIndex} (${entry.kind}${entry.integratedTime ? `, integrated ${entry.integratedTime}` : ''}): ${entry.proofs.join(' and ')}`,
            )
            .join('; ');
  const subject =
    checks?.subject === 'directory'
      ? `${checks.modelDirectory!.length} files, each its subject`
      : checks?.subject === 'message signature'
        ? `signature over the file, sha256:${result.modelSha256}`
        : facts?.matchedSubject
          ? `${facts.matchedSubject.name || '(unnamed)'} sha256:${facts.matchedSubject.sha256}${checks?.subject === 'directory root' ? " (the directory's root digest)" : ''}`
          : `not checked (--check-claims=false)${unread !== undefined ? `: ${unread} was not read` : ''}`;
  const signer =
    facts === undefined || checks?.certificate !== undefined
      ? checks?.signer
      : `${facts.keyDescription} key${severalKeys ? ` ${facts.keySource}` : ''}${facts.signature.keyid ? ` (keyid ${facts.signature.keyid})` : ''}`;
  const rows: [string, string | undefined][] = [
    ['subject', subject],
    ['predicate', facts?.predicateType],
    ['builder', facts?.builderId],
    ['build type', facts?.buildType],
    ['source', facts?.source ? `${facts.source.uri}${facts.source.commit ? ` commit ${facts.source.commit}` : ''}` : undefined],
    ...(facts?.inputs ?? []).map((input): [string, string] => [
      'input',
      `${input.name} ${input.uri} ${input.digest ?? '(no valid digest)'}`,
    ]),
    ['run', facts?.invocationId],
    ['started', facts?.startedOn],
    ['finished', facts?.finishedOn],
    ['signed by', signer],
    ['log', log],
  ];
  const what = model ?? (result.modelSha256 ? `sha256:${result.modelSha256}` : 'attestation signature');
  const lines = [`verified: ${what}`];
  for (const [label, value] of rows) if (value !== undefined) lines.push(`  ${label.padEnd(10)} ${value}`);
  for (const file of checks?.modelDirectory ?? []) lines.push(`    ${file.path} sha256:${file.sha256}`);
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
    output.stderr.write(
      `\rhashing [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${mib(done)}/${mib(total)} MiB`,
    );
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
