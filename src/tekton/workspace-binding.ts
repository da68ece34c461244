/**
 * What a run binds to a Pipeline's workspace: a fresh volume claim, an emptyDir, a Secret, a
 * ConfigMap, a projected volume (several ConfigMaps and Secrets in one directory), an existing
 * claim or a CSI volume.
 */
import {
  PipelineRunSpecWorkspaces,
  PipelineRunSpecWorkspacesConfigMapItems,
  PipelineRunSpecWorkspacesEmptyDirSizeLimit,
  PipelineRunSpecWorkspacesProjectedSources,
  PipelineRunSpecWorkspacesProjectedSourcesConfigMapItems,
  PipelineRunSpecWorkspacesProjectedSourcesSecretItems,
  PipelineRunSpecWorkspacesSecretItems,
} from '../../imports/tekton.dev';

/** Access modes of a volume claim. */
export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

/** A claim made for each run and deleted with it. */
export interface VolumeClaimTemplateProps {
  /** Requested size, e.g. `"1Gi"`. */
  readonly storage: string;
  /** Access modes. @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly AccessMode[];
  /** Storage class. @default - the cluster's default class */
  readonly storageClassName?: string;
}

/** An emptyDir that lives as long as one TaskRun's pod (so it is not shared between tasks). */
export interface EmptyDirProps {
  /** `Memory` for tmpfs. @default - node storage */
  readonly medium?: 'Memory';
  /** Size limit, e.g. `"500Mi"`. @default - none */
  readonly sizeLimit?: string;
}

/** A Secret or ConfigMap mounted as a workspace. */
export interface KeyedVolumeProps<I> {
  /** Only these keys, at these paths. @default - every key */
  readonly items?: readonly I[];
  /** File mode bits. @default 0644 */
  readonly defaultMode?: number;
}

/** A ConfigMap or Secret as one source of a projected volume. */
export interface ProjectedKeysSource<I> {
  /** The ConfigMap's or Secret's name. */
  readonly name: string;
  /** Only these keys, at these paths (relative, without `..`). @default - every key, at its own name */
  readonly items?: readonly I[];
  /** Leave the source out when the object (or a key in `items`) is absent, rather than fail the pod. @default false */
  readonly optional?: boolean;
}

/**
 * One source of a projected volume; set exactly one field. ConfigMaps and Secrets are typed here;
 * the other sources (downwardApi, serviceAccountToken, clusterTrustBundle, podCertificate) pass
 * through in the generated shape.
 */
export interface ProjectedSource extends Omit<PipelineRunSpecWorkspacesProjectedSources, 'configMap' | 'secret'> {
  /** A ConfigMap's keys. */
  readonly configMap?: ProjectedKeysSource<PipelineRunSpecWorkspacesProjectedSourcesConfigMapItems>;
  /** A Secret's keys. */
  readonly secret?: ProjectedKeysSource<PipelineRunSpecWorkspacesProjectedSourcesSecretItems>;
}

/** A projected volume's options. */
export interface ProjectedProps {
  /** File mode bits of every file whose item sets none. @default 0644 */
  readonly defaultMode?: number;
}

/** Every field of a projected source, as the generated type has them (the compiler keeps this list whole). */
const PROJECTED_SOURCE_FIELDS: Record<keyof PipelineRunSpecWorkspacesProjectedSources, true> = {
  clusterTrustBundle: true,
  configMap: true,
  downwardApi: true,
  podCertificate: true,
  secret: true,
  serviceAccountToken: true,
};

/** The source in the generated shape: one field, items copied; throws unless exactly one field is set. */
function renderProjectedSource(source: ProjectedSource, index: number): PipelineRunSpecWorkspacesProjectedSources {
  const fields = Object.keys(PROJECTED_SOURCE_FIELDS) as (keyof ProjectedSource)[];
  const set = fields.filter((f) => source[f] !== undefined);
  if (set.length !== 1) {
    throw new Error(
      `projected workspace binding: sources[${index}] needs exactly one of ${fields.join(', ')}, got ${set.length ? set.join(' and ') : 'none'}`,
    );
  }
  const keyed = (s: ProjectedKeysSource<{ key: string; path: string; mode?: number }>) => ({
    name: s.name,
    items: s.items && s.items.map((i) => ({ ...i })),
    optional: s.optional,
  });
  if (source.configMap) return { configMap: keyed(source.configMap) };
  if (source.secret) return { secret: keyed(source.secret) };
  return { ...source } as PipelineRunSpecWorkspacesProjectedSources;
}

type Source = Omit<PipelineRunSpecWorkspaces, 'name' | 'subPath'>;

/** A binding of a Pipeline workspace in a PipelineRun. Make one with the static methods. */
export class WorkspaceBinding {
  /** A PersistentVolumeClaim made for the run (the usual choice to share files between tasks). */
  public static volumeClaimTemplate(props: VolumeClaimTemplateProps): WorkspaceBinding {
    return new WorkspaceBinding({
      volumeClaimTemplate: {
        spec: {
          accessModes: [...(props.accessModes ?? ['ReadWriteOnce'])],
          resources: { requests: { storage: props.storage } },
          storageClassName: props.storageClassName,
        },
      },
    });
  }

  /** An emptyDir (not shared between tasks). */
  public static emptyDir(props: EmptyDirProps = {}): WorkspaceBinding {
    return new WorkspaceBinding({
      emptyDir: {
        medium: props.medium,
        sizeLimit: props.sizeLimit === undefined ? undefined : PipelineRunSpecWorkspacesEmptyDirSizeLimit.fromString(props.sizeLimit),
      },
    });
  }

  /** A Secret, read-only. */
  public static secret(secretName: string, props: KeyedVolumeProps<PipelineRunSpecWorkspacesSecretItems> = {}): WorkspaceBinding {
    return new WorkspaceBinding({ secret: { secretName, items: props.items && [...props.items], defaultMode: props.defaultMode } });
  }

  /** A ConfigMap, read-only. */
  public static configMap(name: string, props: KeyedVolumeProps<PipelineRunSpecWorkspacesConfigMapItems> = {}): WorkspaceBinding {
    return new WorkspaceBinding({ configMap: { name, items: props.items && [...props.items], defaultMode: props.defaultMode } });
  }

  /**
   * A projected volume: the files of several sources in one read-only directory, in order, e.g. the
   * parts of a bundled program and a trusted root, each `optional` so that an absent one is left out.
   * Tekton accepts it with no feature flag; it refuses an empty `sources`, and so does this method.
   */
  public static projected(sources: readonly ProjectedSource[], props: ProjectedProps = {}): WorkspaceBinding {
    if (sources.length === 0)
      throw new Error('projected workspace binding needs at least one source (Tekton refuses empty projected.sources)');
    return new WorkspaceBinding({ projected: { sources: sources.map(renderProjectedSource), defaultMode: props.defaultMode } });
  }

  /** An existing PersistentVolumeClaim. */
  public static persistentVolumeClaim(claimName: string, options: { readonly readOnly?: boolean } = {}): WorkspaceBinding {
    return new WorkspaceBinding({ persistentVolumeClaim: { claimName, readOnly: options.readOnly } });
  }

  /**
   * A CSI ephemeral volume (Tekton: `enable-api-fields` beta), e.g. a Cloud Storage bucket through
   * GKE's `gcsfuse.csi.storage.gke.io` driver.
   */
  public static csi(
    driver: string,
    volumeAttributes: { readonly [key: string]: string } = {},
    options: { readonly readOnly?: boolean } = {},
  ): WorkspaceBinding {
    return new WorkspaceBinding({ csi: { driver, volumeAttributes: { ...volumeAttributes }, readOnly: options.readOnly } });
  }

  private constructor(
    private readonly source: Source,
    private readonly subPath?: string,
  ) {}

  /** The same volume, narrowed to a sub-directory. */
  public withSubPath(subPath: string): WorkspaceBinding {
    return new WorkspaceBinding(this.source, subPath);
  }

  /** The binding for workspace `name`, in the generated L1 shape. */
  public render(name: string): PipelineRunSpecWorkspaces {
    return { name, subPath: this.subPath, ...this.source };
  }
}
