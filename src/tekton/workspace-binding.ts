/**
 * What a run binds to a Pipeline's workspace: a fresh volume claim, an emptyDir, a Secret, a
 * ConfigMap, an existing claim or a CSI volume.
 */
import {
  PipelineRunSpecWorkspaces,
  PipelineRunSpecWorkspacesConfigMapItems,
  PipelineRunSpecWorkspacesEmptyDirSizeLimit,
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
