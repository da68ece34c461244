/**
 * The ConfigMaps that ship the bundled verifier (verifier-bundle.ts), one per file of the bundle,
 * each annotated with its file's sha256, and the projection that mounts them as one directory. The
 * deploy gate's Tasks mount it as a volume; the training task gets it through its `verifier`
 * workspace. `SlsaForModels` makes them (`kubectl apply -f dist`), so they are installed once for
 * every Task of the namespace that verifies.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { verifierBundle, VerifierBundle, verifierConfigMapName } from './verifier-bundle';

/** A ConfigMap source of a projected volume. */
export interface ProjectedConfigMapSource {
  readonly configMap: {
    readonly name: string;
    readonly items: { readonly key: string; readonly path: string }[];
    readonly optional?: boolean;
  };
}

/**
 * Every file of the bundle, from its ConfigMap, at its file name: the sources of one projected
 * volume. `optional` lets the pod start without them (the step then says the entry is missing).
 */
export function verifierProjection(
  bundle: { readonly files: readonly { readonly name: string }[] },
  options: { readonly optional?: boolean } = {},
): ProjectedConfigMapSource[] {
  return bundle.files.map((file) => ({
    configMap: {
      name: verifierConfigMapName(file.name),
      items: [{ key: file.name, path: file.name }],
      ...(options.optional === true ? { optional: true } : {}),
    },
  }));
}

/** Props of `VerifierConfigMaps`. */
export interface VerifierConfigMapsProps {
  /** The bundled verifier. @default - bundled from the compiled sources (needs npm run build) */
  readonly bundle?: VerifierBundle;
}

/** The verifier's ConfigMaps: `slsa-for-models-verifier` with the entry, then one per further part. */
export class VerifierConfigMaps extends Construct {
  /** The bundle they ship. */
  public readonly bundle: VerifierBundle;
  /** Every ConfigMap: the entry's first. */
  public readonly configMaps: readonly ApiObject[];

  public constructor(scope: Construct, id: string, props: VerifierConfigMapsProps = {}) {
    super(scope, id);
    this.bundle = props.bundle ?? verifierBundle();
    this.configMaps = this.bundle.files.map(
      (file, i) =>
        new ApiObject(this, i === 0 ? 'Entry' : `Part${i + 1}`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: verifierConfigMapName(file.name), annotations: { 'slsa-for-models.dev/sha256': file.sha256 } },
          data: { [file.name]: file.text },
        }),
    );
  }
}
