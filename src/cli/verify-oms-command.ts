import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';
import { readBoundedFile } from '../verify/bounded-file';
import { omsSigstoreVerifier } from '../verify/oms/oms-sigstore';
import { OMS_PREDICATE_TYPES } from '../verify/oms/oms-statement';
import { OmsVerificationResult, verifyOmsSignature } from '../verify/oms/verify-oms';
import { terminalSafeJson, terminalSafeText } from '../verify/verification-errors';

const HELP = `usage: slsa-for-models verify --bundle model.sig (--key PUB | --certificate-chain CA.pem... |
         --certificate-identity ID --certificate-oidc-issuer URL --trusted-root FILE) [options] MODEL

Verifies a model (a directory or a file) against an OpenSSF Model Signing (OMS) signature, as
model_signing's "verify key|certificate|sigstore" does. Chosen when the bundle's statement has an
OMS predicate type (https://model_signing/signature/v1.0 or the older Digests/v0.1).

  --bundle FILE                the OMS signature (a Sigstore bundle; model_signing writes model.sig)
  --key PUB                    model_signing's key method: the signer's PEM public key (ECDSA),
                               or k8s://NAMESPACE/SECRET (its cosign.pub, read with kubectl)
  --certificate-chain CA.pem   its certificate method: the bundle's chain must end in a CA given
                               here (self-signed; repeatable), checked at the signing certificate's start
  --certificate-identity ID    its sigstore method: the Fulcio certificate's identity (SAN) ...
  --certificate-oidc-issuer U  ... and OIDC issuer, with the log entry and certificate checked
  --trusted-root FILE          ... against this Sigstore trusted_root.json; the signing time is
                               the log entry's (or timestamp's), never the clock
  --ignore-paths PATH          leave PATH out (relative to the working directory; repeatable);
                               the paths the signature records and the bundle itself are left out too
  --no-ignore-git-paths        hash .git, .gitattributes, .github, .gitignore at the root too
  --json                       print the result as JSON

Every file present must be signed and every signed file present and unchanged; the hashing
(files or shards, sha256 or blake2b, symlinks) is the one the signature records.

Exit status: 0 verified, 1 not verified (one line says why), 2 bad usage or unreadable input.
`;

const OPTIONS = {
  bundle: { type: 'string' },
  key: { type: 'string' },
  'certificate-chain': { type: 'string', repeatable: true },
  'certificate-identity': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  'trusted-root': { type: 'string' },
  'ignore-paths': { type: 'string', repeatable: true },
  'no-ignore-git-paths': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/**
 * Whether a `verify` command line is about an OMS signature: it names a `--bundle` whose DSSE
 * statement (read, not yet trusted) has an OMS predicate type. The predicate type decides which
 * check runs; the chosen check then verifies everything.
 */
export async function isOmsVerification(argv: readonly string[]): Promise<boolean> {
  let bundle: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') break;
    if (argv[i] === '--bundle' && i + 1 < argv.length) bundle = argv[i + 1];
    else if (argv[i].startsWith('--bundle=')) bundle = argv[i].slice('--bundle='.length);
  }
  if (bundle === undefined) return false;
  try {
    const json = JSON.parse((await readBoundedFile(bundle, 'bundle')).toString('utf8'));
    const statement = JSON.parse(Buffer.from(String(json?.dsseEnvelope?.payload ?? ''), 'base64').toString('utf8'));
    return OMS_PREDICATE_TYPES.includes(statement?.predicateType);
  } catch {
    return false;
  }
}

/** `slsa-for-models verify --bundle model.sig MODEL` for an OMS signature. */
export const verifyOmsCommand: Command = {
  summary: 'verify a model against its OpenSSF Model Signing signature (model_signing verify key|certificate|sigstore)',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    const bundle = options.bundle as string | undefined;
    if (bundle === undefined) throw new UsageError('--bundle is required (the OMS signature, model.sig)');
    if (positionals.length !== 1) throw new UsageError(`give exactly one MODEL, a directory or a file (got ${positionals.length})`);
    const identity = options['certificate-identity'] as string | undefined;
    const issuer = options['certificate-oidc-issuer'] as string | undefined;
    const trustedRoot = options['trusted-root'] as string | undefined;
    const chain = options['certificate-chain'] as string[] | undefined;
    const key = options.key as string | undefined;
    const methods = [
      key !== undefined && '--key',
      chain !== undefined && '--certificate-chain',
      (identity ?? issuer) !== undefined && '--certificate-identity',
    ].filter(Boolean);
    if (methods.length !== 1) {
      throw new UsageError(
        methods.length === 0
          ? 'say who must have signed: --key PUB, --certificate-chain CA.pem, or --certificate-identity with --certificate-oidc-issuer'
          : `give one way to check the signer, not ${methods.join(' and ')}`,
      );
    }
    if ((identity ?? issuer) !== undefined) {
      if (identity === undefined || issuer === undefined)
        throw new UsageError('the sigstore method needs both --certificate-identity and --certificate-oidc-issuer');
      if (trustedRoot === undefined)
        throw new UsageError(
          "the sigstore method needs --trusted-root FILE (Sigstore's trusted_root.json; model_signing uses the public-good instance's)",
        );
    } else if (trustedRoot !== undefined) {
      throw new UsageError('--trusted-root goes with --certificate-identity (the key and certificate methods use no Sigstore log)');
    }
    const result = await verifyOmsSignature({
      modelPath: positionals[0],
      signaturePath: bundle,
      ...(key !== undefined ? { publicKeyPath: key } : {}),
      ...(chain !== undefined ? { certificateChainPaths: chain } : {}),
      ...(identity !== undefined
        ? { sigstore: omsSigstoreVerifier({ identity, oidcIssuer: issuer!, trustedRootPath: trustedRoot! }) }
        : {}),
      ignorePaths: (options['ignore-paths'] as string[] | undefined) ?? [],
      ignoreGitPaths: options['no-ignore-git-paths'] !== true,
    });
    if (options.json) output.stdout.write(`${terminalSafeJson(JSON.stringify(result, null, 2))}\n`);
    if (result.failure === 'usage' || result.failure === 'unreadable') throw new UsageError(result.reason);
    if (!result.verified) {
      output.stderr.write(`slsa-for-models verify: not verified: ${terminalSafeText(result.reason)}\n`);
      return 1;
    }
    if (!options.json) output.stdout.write(summary(result, positionals[0]));
    return 0;
  },
};

function summary(result: OmsVerificationResult, model: string): string {
  const s = result.serialization!;
  const rows: [string, string | undefined][] = [
    ['format', `OpenSSF Model Signing (${result.method} method)`],
    ['signed by', result.signer],
    ['signed at', result.signedAt],
    ['predicate', result.predicateType],
    ['model', result.modelName],
    ['root', result.rootDigest],
    ['resources', `${result.resources} (${s.method}${s.shardSize !== undefined ? ` of ${s.shardSize} bytes` : ''}, ${s.hashType})`],
    ...result.warnings.map((w): [string, string] => ['warning', w]),
  ];
  const lines = [`verified: ${model}`];
  for (const [label, value] of rows) if (value !== undefined) lines.push(`  ${label.padEnd(10)} ${value}`);
  return `${lines.map(terminalSafeText).join('\n')}\n`;
}
