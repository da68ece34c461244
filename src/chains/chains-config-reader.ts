/**
 * Reading Tekton Chains v0.29.2's `chains-config` ConfigMap as Chains does (`pkg/config/config.go`
 * `NewConfigFromMap`): its defaults, the values it refuses, Go's `strconv.ParseBool` for booleans (a value
 * it cannot parse is ignored), comma lists trimmed. The key names live here once; the writer
 * (`chains-config.ts`) renders with them. No cdk8s import: the rehearsal and the `provenance` command use it.
 */
import type { ChainsProvenanceConfig, ChainsRunKind } from './chains-provenance';
import { ChainsFormat, CHAINS_FORMATS } from './type-hinting';

/** The `chains-config` keys this project writes or reads, by prop name. */
export const CHAINS_CONFIG_KEYS = {
  taskRunFormat: 'artifacts.taskrun.format',
  taskRunStorage: 'artifacts.taskrun.storage',
  taskRunSigner: 'artifacts.taskrun.signer',
  pipelineRunFormat: 'artifacts.pipelinerun.format',
  pipelineRunStorage: 'artifacts.pipelinerun.storage',
  pipelineRunSigner: 'artifacts.pipelinerun.signer',
  pipelineRunDeepInspection: 'artifacts.pipelinerun.enable-deep-inspection',
  ociFormat: 'artifacts.oci.format',
  ociStorage: 'artifacts.oci.storage',
  ociSigner: 'artifacts.oci.signer',
  gcsBucket: 'storage.gcs.bucket',
  ociRepository: 'storage.oci.repository',
  ociRepositoryInsecure: 'storage.oci.repository.insecure',
  ociEncodingFormat: 'storage.oci.encoding-format',
  docdbUrl: 'storage.docdb.url',
  docdbMongoServerUrl: 'storage.docdb.mongo-server-url',
  docdbMongoServerUrlDir: 'storage.docdb.mongo-server-url-dir',
  docdbMongoServerUrlPath: 'storage.docdb.mongo-server-url-path',
  archivistaUrl: 'storage.archivista.url',
  grafeasProjectId: 'storage.grafeas.projectid',
  grafeasNoteId: 'storage.grafeas.noteid',
  grafeasNoteHint: 'storage.grafeas.notehint',
  pubsubProvider: 'storage.pubsub.provider',
  pubsubTopic: 'storage.pubsub.topic',
  pubsubKafkaBootstrapServers: 'storage.pubsub.kafka.bootstrap.servers',
  transparency: 'transparency.enabled',
  transparencyUrl: 'transparency.url',
  kmsRef: 'signers.kms.kmsref',
  kmsAuthAddress: 'signers.kms.auth.address',
  kmsAuthToken: 'signers.kms.auth.token',
  kmsAuthTokenPath: 'signers.kms.auth.token-path',
  kmsAuthOidcPath: 'signers.kms.auth.oidc.path',
  kmsAuthOidcRole: 'signers.kms.auth.oidc.role',
  kmsAuthOidcTokenPath: 'signers.kms.auth.oidc.token-path',
  kmsAuthSpireSock: 'signers.kms.auth.spire.sock',
  kmsAuthSpireAudience: 'signers.kms.auth.spire.audience',
  x509FulcioEnabled: 'signers.x509.fulcio.enabled',
  x509FulcioAddress: 'signers.x509.fulcio.address',
  x509FulcioIssuer: 'signers.x509.fulcio.issuer',
  x509FulcioProvider: 'signers.x509.fulcio.provider',
  x509IdentityTokenFile: 'signers.x509.identity.token.file',
  x509TufMirrorUrl: 'signers.x509.tuf.mirror.url',
  builderId: 'builder.id',
  buildType: 'builddefinition.buildtype',
} as const;

/** The name of Chains' ConfigMap. */
export const CHAINS_CONFIG_NAME = 'chains-config';

/** Chains' defaults where a key is absent. */
export const CHAINS_CONFIG_DEFAULTS = {
  format: 'in-toto' as ChainsFormat,
  storage: ['tekton'],
  signer: 'x509',
  builderId: 'https://tekton.dev/chains/v2',
  buildType: 'https://tekton.dev/chains/v2/slsa',
} as const;

/** What of `chains-config` decides what Chains signs for runs and where it goes. */
export interface ChainsConfigSettings {
  /** `artifacts.pipelinerun.format`. */
  readonly format: ChainsFormat;
  /** `builder.id`. */
  readonly builderId: string;
  /** `builddefinition.buildtype`. */
  readonly buildType: string;
  /** `artifacts.pipelinerun.enable-deep-inspection`. */
  readonly deepInspection: boolean;
  /** `artifacts.pipelinerun.storage`; empty when PipelineRun signing is off (`""`). */
  readonly storage: string[];
  /** `transparency.enabled` is `true` or `manual`. */
  readonly transparency: boolean;
  /** `artifacts.pipelinerun.signer`. */
  readonly signer: string;
  /** `artifacts.taskrun.format`. */
  readonly taskRunFormat: ChainsFormat;
  /** `artifacts.taskrun.storage`; empty when TaskRun signing is off. */
  readonly taskRunStorage: string[];
  /** `artifacts.taskrun.signer`. */
  readonly taskRunSigner: string;
}

/** A value Chains refuses; the message names the key. */
export class ChainsConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ChainsConfigError';
  }
}

const K = CHAINS_CONFIG_KEYS;
const STORAGE = ['tekton', 'oci', 'gcs', 'docdb', 'grafeas', 'kafka', 'archivista'];
const SIGNERS = ['x509', 'kms', 'none'];
const BUILD_TYPES = ['https://tekton.dev/chains/v2/slsa', 'https://tekton.dev/chains/v2/slsa-tekton'];

/** Go's strconv.ParseBool; undefined for text it refuses (Chains then keeps the default). */
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function oneOf(data: Readonly<Record<string, string>>, key: string, fallback: string, allowed: readonly string[]): string {
  const value = data[key];
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    const what = key.endsWith('.format')
      ? `is not a Chains v0.29.2 format (${allowed.join(', ')})`
      : `is not one Chains v0.29.2 accepts (${allowed.join(', ')})`;
    throw new ChainsConfigError(`chains-config ${key} "${value}" ${what}`);
  }
  return value;
}

function storageSet(data: Readonly<Record<string, string>>, key: string, allowed: readonly string[]): string[] {
  const value = data[key];
  if (value === undefined) return [...CHAINS_CONFIG_DEFAULTS.storage];
  if (value === '') return [];
  const out: string[] = [];
  for (const part of value.split(',').map((s) => s.trim())) {
    if (!allowed.includes(part))
      throw new ChainsConfigError(`chains-config ${key} lists "${part}", which is not one Chains v0.29.2 accepts (${allowed.join(', ')})`);
    if (!out.includes(part)) out.push(part);
  }
  return out;
}

/** Reads `chains-config` data as Chains v0.29.2 does; throws ChainsConfigError where Chains would refuse the ConfigMap. */
export function readChainsConfig(data: Readonly<Record<string, string>> = {}): ChainsConfigSettings {
  const deep = data[K.pipelineRunDeepInspection] === undefined ? undefined : parseGoBool(data[K.pipelineRunDeepInspection]);
  return {
    format: oneOf(data, K.pipelineRunFormat, CHAINS_CONFIG_DEFAULTS.format, CHAINS_FORMATS) as ChainsFormat,
    builderId: data[K.builderId] ?? CHAINS_CONFIG_DEFAULTS.builderId,
    buildType: oneOf(data, K.buildType, CHAINS_CONFIG_DEFAULTS.buildType, BUILD_TYPES),
    deepInspection: deep ?? false,
    storage: storageSet(
      data,
      K.pipelineRunStorage,
      STORAGE.filter((s) => s !== 'kafka'),
    ),
    transparency: ['true', 'manual'].includes(data[K.transparency] ?? ''),
    signer: oneOf(data, K.pipelineRunSigner, CHAINS_CONFIG_DEFAULTS.signer, SIGNERS),
    taskRunFormat: oneOf(data, K.taskRunFormat, CHAINS_CONFIG_DEFAULTS.format, CHAINS_FORMATS) as ChainsFormat,
    taskRunStorage: storageSet(data, K.taskRunStorage, STORAGE),
    taskRunSigner: oneOf(data, K.taskRunSigner, CHAINS_CONFIG_DEFAULTS.signer, SIGNERS),
  };
}

/** The formatter settings Chains uses for a run of `kind` under these settings (deep inspection is for PipelineRuns only). */
export function provenanceConfigFor(settings: ChainsConfigSettings, kind: ChainsRunKind): ChainsProvenanceConfig {
  return {
    format: kind === 'TaskRun' ? settings.taskRunFormat : settings.format,
    builderId: settings.builderId,
    buildType: settings.buildType,
    deepInspection: kind === 'PipelineRun' && settings.deepInspection,
  };
}
