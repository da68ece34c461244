/**
 * Volumes of a Task's pod, which steps and sidecars mount with `volumeMounts` (for example an
 * emptyDir for a writable `/tmp` under a read-only root filesystem).
 */

/** A key of a Secret or ConfigMap projected to a path. */
export interface KeyToPath {
  /** The key. */
  readonly key: string;
  /** The relative path to write it to. */
  readonly path: string;
  /** File mode bits. @default - the volume's defaultMode */
  readonly mode?: number;
}

/** A volume of a Task; set exactly one source. Kubernetes wire names. */
export interface TaskVolume {
  /** The volume name (what `volumeMounts[].name` refers to). */
  readonly name: string;
  /** A scratch directory that lives as long as the pod. */
  readonly emptyDir?: { readonly medium?: 'Memory'; readonly sizeLimit?: string };
  /** A Secret. */
  readonly secret?: {
    readonly secretName: string;
    readonly items?: readonly KeyToPath[];
    readonly defaultMode?: number;
    readonly optional?: boolean;
  };
  /** A ConfigMap. */
  readonly configMap?: {
    readonly name: string;
    readonly items?: readonly KeyToPath[];
    readonly defaultMode?: number;
    readonly optional?: boolean;
  };
  /** An existing PersistentVolumeClaim. */
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean };
  /** Several ConfigMaps (or Secrets) in one directory. */
  readonly projected?: {
    readonly sources: readonly {
      readonly configMap?: { readonly name: string; readonly items?: readonly KeyToPath[]; readonly optional?: boolean };
      readonly secret?: { readonly name: string; readonly items?: readonly KeyToPath[]; readonly optional?: boolean };
    }[];
    readonly defaultMode?: number;
  };
}

const SOURCES = ['emptyDir', 'secret', 'configMap', 'persistentVolumeClaim', 'projected'] as const;

/** Throws at once unless `volume` has exactly one source. */
export function assertVolumeSource(volume: TaskVolume, where: string): void {
  const set = SOURCES.filter((s) => volume[s] !== undefined);
  if (set.length !== 1) {
    throw new Error(
      `${where} volume "${volume.name}" needs exactly one source (${SOURCES.join(', ')}), got ${set.length ? set.join(' and ') : 'none'}`,
    );
  }
}
