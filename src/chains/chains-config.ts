/**
 * The `chains-config` ConfigMap of Tekton Chains v0.29.2 (namespace `tekton-chains`), with a typed prop for
 * every key `pkg/config/config.go` reads at tag v0.29.2. Values Chains would refuse, and settings that load
 * but cannot work (a storage backend without its location, a KMS signer without a key), are reported at synth.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CHAINS_CONFIG_KEYS as K, CHAINS_CONFIG_NAME } from './chains-config-reader';
import { ChainsFormat, CHAINS_FORMATS } from './type-hinting';

/** A storage backend for signatures and attestations. `kafka` is not offered for PipelineRuns. */
export type ChainsStorageBackend = 'tekton' | 'oci' | 'gcs' | 'docdb' | 'grafeas' | 'kafka' | 'archivista';

/** Who signs: a key or certificate (`x509`, the `signing-secrets` Secret or Fulcio), a KMS key, or nobody. */
export type ChainsSigner = 'x509' | 'kms' | 'none';

/** `builddefinition.buildtype` values Chains accepts. */
export type ChainsBuildType = 'https://tekton.dev/chains/v2/slsa' | 'https://tekton.dev/chains/v2/slsa-tekton';

/** `storage.pubsub.provider` values. */
export type ChainsPubSubProvider = 'inmemory' | 'kafka';

/** `storage.oci.encoding-format` values. */
export type ChainsOciEncodingFormat = 'dsse' | 'sigstore-bundle';

/** `signers.x509.fulcio.provider` values Chains documents. */
export type ChainsFulcioProvider = 'google' | 'spiffe' | 'github' | 'filesystem';

/** Settings of Tekton Chains v0.29.2's `chains-config`, one prop per key (wire name in each comment). */
export interface ChainsConfigProps {
  /** `artifacts.taskrun.format`. @default 'slsa/v2alpha4' */
  readonly taskRunFormat?: ChainsFormat;
  /** `artifacts.taskrun.storage`; an empty list disables TaskRun attestations. @default ['tekton'] */
  readonly taskRunStorage?: readonly ChainsStorageBackend[];
  /** `artifacts.taskrun.signer`. @default - Chains' default, 'x509' */
  readonly taskRunSigner?: ChainsSigner;
  /** `artifacts.pipelinerun.format`. @default 'slsa/v2alpha4' */
  readonly pipelineRunFormat?: ChainsFormat;
  /** `artifacts.pipelinerun.storage`; an empty list disables PipelineRun attestations. @default ['tekton'] */
  readonly pipelineRunStorage?: readonly Exclude<ChainsStorageBackend, 'kafka'>[];
  /** `artifacts.pipelinerun.signer`. @default - Chains' default, 'x509' */
  readonly pipelineRunSigner?: ChainsSigner;
  /** `artifacts.pipelinerun.enable-deep-inspection`: also read the results of the child TaskRuns. @default - Chains' default, false */
  readonly pipelineRunDeepInspection?: boolean;
  /** `artifacts.oci.format`; Chains v0.29.2 knows only `simplesigning`. @default - Chains' default */
  readonly ociFormat?: 'simplesigning';
  /** `artifacts.oci.storage`; an empty list disables image signatures. @default - Chains' default, ['oci'] */
  readonly ociStorage?: readonly ChainsStorageBackend[];
  /** `artifacts.oci.signer`. @default - Chains' default, 'x509' */
  readonly ociSigner?: ChainsSigner;
  /** `storage.gcs.bucket`; needed by the `gcs` backend. @default - unset */
  readonly gcsBucket?: string;
  /** `storage.oci.repository`: where OCI attestations go instead of next to the image. @default - unset */
  readonly ociRepository?: string;
  /** `storage.oci.repository.insecure` (development only). @default - Chains' default, false */
  readonly ociRepositoryInsecure?: boolean;
  /** `storage.oci.encoding-format`. @default - Chains' default, 'dsse' */
  readonly ociEncodingFormat?: ChainsOciEncodingFormat;
  /** `storage.docdb.url`: go-cloud docstore URL; needed by the `docdb` backend. @default - unset */
  readonly docdbUrl?: string;
  /** `storage.docdb.mongo-server-url` (prefer the dir or path variants: this one puts credentials in a ConfigMap). @default - unset */
  readonly docdbMongoServerUrl?: string;
  /** `storage.docdb.mongo-server-url-dir`. @default - unset */
  readonly docdbMongoServerUrlDir?: string;
  /** `storage.docdb.mongo-server-url-path`. @default - unset */
  readonly docdbMongoServerUrlPath?: string;
  /** `storage.archivista.url`; needed by the `archivista` backend. @default - unset */
  readonly archivistaUrl?: string;
  /** `storage.grafeas.projectid`; needed by the `grafeas` backend. @default - unset */
  readonly grafeasProjectId?: string;
  /** `storage.grafeas.noteid` (no spaces). @default - unset (`tekton-<namespace>`) */
  readonly grafeasNoteId?: string;
  /** `storage.grafeas.notehint`. @default - Chains' default note hint */
  readonly grafeasNoteHint?: string;
  /** `storage.pubsub.provider`. @default - unset */
  readonly pubsubProvider?: ChainsPubSubProvider;
  /** `storage.pubsub.topic`. @default - unset */
  readonly pubsubTopic?: string;
  /** `storage.pubsub.kafka.bootstrap.servers`. @default - unset */
  readonly pubsubKafkaBootstrapServers?: string;
  /** `transparency.enabled`: upload to the transparency log always (`true`), never (`false`) or on annotation (`'manual'`). @default true */
  readonly transparency?: boolean | 'manual';
  /** `transparency.url`. @default - Chains' default, https://rekor.sigstore.dev */
  readonly transparencyUrl?: string;
  /** `signers.kms.kmsref` (`gcpkms://`, `awskms://`, `azurekms://`, `hashivault://`); needed by the `kms` signer. @default - unset */
  readonly kmsRef?: string;
  /** `signers.kms.auth.address`. @default - unset */
  readonly kmsAuthAddress?: string;
  /** `signers.kms.auth.token` (prefer `kmsAuthTokenPath`). @default - unset */
  readonly kmsAuthToken?: string;
  /** `signers.kms.auth.token-path`. @default - unset */
  readonly kmsAuthTokenPath?: string;
  /** `signers.kms.auth.oidc.path`. @default - unset */
  readonly kmsAuthOidcPath?: string;
  /** `signers.kms.auth.oidc.role`. @default - unset */
  readonly kmsAuthOidcRole?: string;
  /** `signers.kms.auth.oidc.token-path`. @default - unset (the service account token) */
  readonly kmsAuthOidcTokenPath?: string;
  /** `signers.kms.auth.spire.sock`. @default - unset */
  readonly kmsAuthSpireSock?: string;
  /** `signers.kms.auth.spire.audience`. @default - unset */
  readonly kmsAuthSpireAudience?: string;
  /** `signers.x509.fulcio.enabled`: keyless certificates from Fulcio. @default - Chains' default, false */
  readonly x509FulcioEnabled?: boolean;
  /** `signers.x509.fulcio.address`. @default - Chains' default, https://fulcio.sigstore.dev */
  readonly x509FulcioAddress?: string;
  /** `signers.x509.fulcio.issuer`. @default - Chains' default, https://oauth2.sigstore.dev/auth */
  readonly x509FulcioIssuer?: string;
  /** `signers.x509.fulcio.provider`. @default - unset (each provider is tried) */
  readonly x509FulcioProvider?: ChainsFulcioProvider;
  /** `signers.x509.identity.token.file`. @default - unset */
  readonly x509IdentityTokenFile?: string;
  /** `signers.x509.tuf.mirror.url`. @default - Chains' default TUF root */
  readonly x509TufMirrorUrl?: string;
  /** `builder.id`: the builder id written into provenance. @default - Chains' default, https://tekton.dev/chains/v2 */
  readonly builderId?: string;
  /** `builddefinition.buildtype`. @default - Chains' default, https://tekton.dev/chains/v2/slsa */
  readonly buildType?: ChainsBuildType;
  /** Namespace of the ConfigMap. @default 'tekton-chains' */
  readonly namespace?: string;
}

const STORAGE_BACKENDS: readonly ChainsStorageBackend[] = ['tekton', 'oci', 'gcs', 'docdb', 'grafeas', 'kafka', 'archivista'];
const SIGNERS: readonly ChainsSigner[] = ['x509', 'kms', 'none'];
const BUILD_TYPES: readonly ChainsBuildType[] = ['https://tekton.dev/chains/v2/slsa', 'https://tekton.dev/chains/v2/slsa-tekton'];
const PUBSUB_PROVIDERS: readonly ChainsPubSubProvider[] = ['inmemory', 'kafka'];
const OCI_ENCODINGS: readonly ChainsOciEncodingFormat[] = ['dsse', 'sigstore-bundle'];
const FULCIO_PROVIDERS: readonly ChainsFulcioProvider[] = ['google', 'spiffe', 'github', 'filesystem'];
const KMS_SCHEMES = ['gcpkms://', 'awskms://', 'azurekms://', 'hashivault://'];

/** The three kinds of artifacts Chains signs, with their key prefix and the backends Chains accepts for each. */
const ARTIFACT_KINDS = [
  { prefix: 'artifacts.taskrun', format: 'taskRunFormat', storage: 'taskRunStorage', signer: 'taskRunSigner', backends: STORAGE_BACKENDS },
  {
    prefix: 'artifacts.pipelinerun',
    format: 'pipelineRunFormat',
    storage: 'pipelineRunStorage',
    signer: 'pipelineRunSigner',
    backends: STORAGE_BACKENDS.filter((b) => b !== 'kafka'),
  },
  { prefix: 'artifacts.oci', format: 'ociFormat', storage: 'ociStorage', signer: 'ociSigner', backends: STORAGE_BACKENDS },
] as const;

function renderData(props: ChainsConfigProps): Record<string, string> {
  const data: Record<string, string> = {};
  const set = (key: string, value: string | boolean | undefined): void => {
    if (value !== undefined) data[key] = String(value);
  };
  set(K.taskRunFormat, props.taskRunFormat ?? 'slsa/v2alpha4');
  set(K.taskRunStorage, (props.taskRunStorage ?? ['tekton']).join(','));
  set(K.taskRunSigner, props.taskRunSigner);
  set(K.pipelineRunFormat, props.pipelineRunFormat ?? 'slsa/v2alpha4');
  set(K.pipelineRunStorage, (props.pipelineRunStorage ?? ['tekton']).join(','));
  set(K.pipelineRunSigner, props.pipelineRunSigner);
  set(K.pipelineRunDeepInspection, props.pipelineRunDeepInspection);
  set(K.ociFormat, props.ociFormat);
  set(K.ociStorage, props.ociStorage?.join(','));
  set(K.ociSigner, props.ociSigner);
  set(K.gcsBucket, props.gcsBucket);
  set(K.ociRepository, props.ociRepository);
  set(K.ociRepositoryInsecure, props.ociRepositoryInsecure);
  set(K.ociEncodingFormat, props.ociEncodingFormat);
  set(K.docdbUrl, props.docdbUrl);
  set(K.docdbMongoServerUrl, props.docdbMongoServerUrl);
  set(K.docdbMongoServerUrlDir, props.docdbMongoServerUrlDir);
  set(K.docdbMongoServerUrlPath, props.docdbMongoServerUrlPath);
  set(K.archivistaUrl, props.archivistaUrl);
  set(K.grafeasProjectId, props.grafeasProjectId);
  set(K.grafeasNoteId, props.grafeasNoteId);
  set(K.grafeasNoteHint, props.grafeasNoteHint);
  set(K.pubsubProvider, props.pubsubProvider);
  set(K.pubsubTopic, props.pubsubTopic);
  set(K.pubsubKafkaBootstrapServers, props.pubsubKafkaBootstrapServers);
  set(K.transparency, props.transparency ?? true);
  set(K.transparencyUrl, props.transparencyUrl);
  set(K.kmsRef, props.kmsRef);
  set(K.kmsAuthAddress, props.kmsAuthAddress);
  set(K.kmsAuthToken, props.kmsAuthToken);
  set(K.kmsAuthTokenPath, props.kmsAuthTokenPath);
  set(K.kmsAuthOidcPath, props.kmsAuthOidcPath);
  set(K.kmsAuthOidcRole, props.kmsAuthOidcRole);
  set(K.kmsAuthOidcTokenPath, props.kmsAuthOidcTokenPath);
  set(K.kmsAuthSpireSock, props.kmsAuthSpireSock);
  set(K.kmsAuthSpireAudience, props.kmsAuthSpireAudience);
  set(K.x509FulcioEnabled, props.x509FulcioEnabled);
  set(K.x509FulcioAddress, props.x509FulcioAddress);
  set(K.x509FulcioIssuer, props.x509FulcioIssuer);
  set(K.x509FulcioProvider, props.x509FulcioProvider);
  set(K.x509IdentityTokenFile, props.x509IdentityTokenFile);
  set(K.x509TufMirrorUrl, props.x509TufMirrorUrl);
  set(K.builderId, props.builderId);
  set(K.buildType, props.buildType);
  return data;
}

/** What Chains v0.29.2 would refuse, or load but fail on at signing time. One lowercase sentence each. */
function problemsOf(props: ChainsConfigProps): string[] {
  const problems: string[] = [];
  const oneOf = (key: string, value: string | undefined, allowed: readonly string[]): void => {
    if (value !== undefined && !allowed.includes(value)) problems.push(`${key} is "${value}", expected one of ${allowed.join(', ')}`);
  };
  const usedBackends = new Set<string>();
  const usedSigners = new Set<string>();
  for (const kind of ARTIFACT_KINDS) {
    const format = props[kind.format] as string | undefined;
    oneOf(`${kind.prefix}.format`, format, kind.prefix === 'artifacts.oci' ? ['simplesigning'] : CHAINS_FORMATS);
    const storage = props[kind.storage] as readonly string[] | undefined;
    for (const backend of storage ?? []) {
      oneOf(`${kind.prefix}.storage`, backend, kind.backends);
      if ((kind.backends as readonly string[]).includes(backend)) usedBackends.add(backend);
    }
    if (storage && new Set(storage).size !== storage.length)
      problems.push(`${kind.prefix}.storage lists a backend twice (${storage.join(',')})`);
    const signer = props[kind.signer] as string | undefined;
    oneOf(`${kind.prefix}.signer`, signer, SIGNERS);
    usedSigners.add(signer ?? 'x509');
  }
  oneOf('builddefinition.buildtype', props.buildType, BUILD_TYPES);
  oneOf('storage.pubsub.provider', props.pubsubProvider, PUBSUB_PROVIDERS);
  oneOf('storage.oci.encoding-format', props.ociEncodingFormat, OCI_ENCODINGS);
  oneOf('signers.x509.fulcio.provider', props.x509FulcioProvider, FULCIO_PROVIDERS);
  const transparency = props.transparency;
  if (transparency !== undefined && transparency !== true && transparency !== false && transparency !== 'manual') {
    problems.push(`transparency.enabled is "${String(transparency)}", expected true, false or "manual"`);
  }
  const needs = (backend: string, key: string, value: string | undefined): void => {
    if (usedBackends.has(backend) && (value === undefined || value.trim() === '')) {
      problems.push(`storage backend "${backend}" is used but ${key} is not set; set it or drop "${backend}" from the storage lists`);
    }
  };
  needs('gcs', 'storage.gcs.bucket', props.gcsBucket);
  needs('grafeas', 'storage.grafeas.projectid', props.grafeasProjectId);
  needs('archivista', 'storage.archivista.url', props.archivistaUrl);
  needs('kafka', 'storage.pubsub.kafka.bootstrap.servers', props.pubsubKafkaBootstrapServers);
  if (usedBackends.has('docdb') && !props.docdbUrl) {
    problems.push('storage backend "docdb" is used but storage.docdb.url is not set; set it or drop "docdb" from the storage lists');
  }
  if (props.grafeasNoteId !== undefined && /\s/.test(props.grafeasNoteId)) {
    problems.push(`storage.grafeas.noteid is "${props.grafeasNoteId}", which contains whitespace; chains needs a note id without spaces`);
  }
  if (usedSigners.has('kms')) {
    if (!props.kmsRef) {
      problems.push(
        'the kms signer is used but signers.kms.kmsref is not set; set kmsRef (gcpkms://, awskms://, azurekms:// or hashivault://)',
      );
    }
  }
  if (props.kmsRef !== undefined && !KMS_SCHEMES.some((s) => props.kmsRef!.startsWith(s))) {
    problems.push(`signers.kms.kmsref is "${props.kmsRef}", expected a uri starting with ${KMS_SCHEMES.join(', ')}`);
  }
  if (
    props.buildType !== undefined &&
    props.pipelineRunFormat !== undefined &&
    props.pipelineRunFormat !== 'slsa/v2alpha3' &&
    props.pipelineRunFormat !== 'slsa/v2alpha4'
  ) {
    problems.push(
      `builddefinition.buildtype is set but artifacts.pipelinerun.format is "${props.pipelineRunFormat}", which ignores it; use slsa/v2alpha3 or slsa/v2alpha4`,
    );
  }
  for (const [key, value] of [
    ['transparency.url', props.transparencyUrl],
    ['storage.archivista.url', props.archivistaUrl],
    ['signers.x509.fulcio.address', props.x509FulcioAddress],
    ['signers.x509.tuf.mirror.url', props.x509TufMirrorUrl],
  ] as const) {
    if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) problems.push(`${key} is "${value}", expected an http(s) url`);
  }
  return problems;
}

/**
 * Tekton Chains' `chains-config` ConfigMap. Defaults: TaskRun and PipelineRun attestations in
 * `slsa/v2alpha4` stored as annotations (`tekton`), signed with the `signing-secrets` key, uploaded to
 * the transparency log. Every other key is rendered only when set (Chains' own default applies).
 */
export class ChainsConfig extends Construct {
  /** The ConfigMap object. */
  public readonly apiObject: ApiObject;
  /** The `data` the ConfigMap carries. */
  public readonly data: Readonly<Record<string, string>>;
  /** The format PipelineRun attestations are written in (`artifacts.pipelinerun.format`). */
  public readonly pipelineRunFormat: ChainsFormat;
  /** The backends PipelineRun attestations are stored in (`artifacts.pipelinerun.storage`). */
  public readonly pipelineRunStorage: readonly ChainsStorageBackend[];
  /** Whether Chains also reads the child TaskRuns of a PipelineRun (`artifacts.pipelinerun.enable-deep-inspection`). */
  public readonly pipelineRunDeepInspection: boolean;

  public constructor(scope: Construct, id: string, props: ChainsConfigProps = {}) {
    super(scope, id);
    this.data = renderData(props);
    this.pipelineRunFormat = props.pipelineRunFormat ?? 'slsa/v2alpha4';
    this.pipelineRunStorage = props.pipelineRunStorage ?? ['tekton'];
    this.pipelineRunDeepInspection = props.pipelineRunDeepInspection ?? false;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: CHAINS_CONFIG_NAME,
        namespace: props.namespace ?? 'tekton-chains',
        labels: { 'app.kubernetes.io/instance': 'default', 'app.kubernetes.io/part-of': 'tekton-chains' },
      },
      data: { ...this.data },
    });
    this.node.addValidation({ validate: () => problemsOf(props).map((p) => `chains-config: ${p}`) });
  }
}
