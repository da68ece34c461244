/**
 * Interceptor references of a Trigger (triggers.tekton.dev/v1beta1 `interceptors[]`): the
 * interceptor by `ref` (`name`, `kind: ClusterInterceptor` for the core interceptors Triggers
 * installs) and its params as `{name, value}` with any JSON value.
 */

/** A GitHub webhook secret: the Secret's name and the key that holds the token. */
export interface SecretRef {
  /** The Secret's name (in the EventListener's namespace). */
  readonly secretName: string;
  /** The key of the token in the Secret. */
  readonly secretKey: string;
}

/** The wire form of one interceptor of a Trigger. */
export interface InterceptorJson {
  name?: string;
  ref: { name: string; kind: 'ClusterInterceptor' | 'NamespacedInterceptor'; apiVersion?: string };
  params?: { name: string; value: unknown }[];
}

/** GitHub's webhook event names the GitHub interceptor can accept (X-GitHub-Event). */
export type GitHubEventType = 'push' | 'pull_request' | 'create' | 'delete' | 'release' | 'workflow_run' | (string & {});

/** One interceptor a Trigger runs before its bindings. */
export class Interceptor {
  /**
   * Triggers' GitHub ClusterInterceptor: refuses a request whose `X-Hub-Signature-256` is not the
   * HMAC-SHA256 of the body under the Secret's token, or whose `X-GitHub-Event` is not one of `eventTypes`.
   */
  public static github(options: {
    readonly secretRef: SecretRef;
    readonly eventTypes: readonly GitHubEventType[];
    readonly name?: string;
  }) {
    return new Interceptor('github', 'ClusterInterceptor', options.name, [
      { name: 'secretRef', value: { secretName: options.secretRef.secretName, secretKey: options.secretRef.secretKey } },
      { name: 'eventTypes', value: [...options.eventTypes] },
    ]);
  }

  /** Triggers' CEL ClusterInterceptor: lets the event through when `filter` (a CEL expression over `body`, `header`, `extensions`) is true. */
  public static cel(options: { readonly filter: string; readonly name?: string }) {
    return new Interceptor('cel', 'ClusterInterceptor', options.name, [{ name: 'filter', value: options.filter }]);
  }

  /** Any other interceptor by reference, with params of any JSON value. */
  public static ref(
    name: string,
    options: {
      readonly kind?: 'ClusterInterceptor' | 'NamespacedInterceptor';
      readonly params?: Record<string, unknown>;
      readonly name?: string;
    } = {},
  ) {
    return new Interceptor(
      name,
      options.kind ?? 'ClusterInterceptor',
      options.name,
      Object.entries(options.params ?? {}).map(([n, value]) => ({ name: n, value })),
    );
  }

  private constructor(
    /** The interceptor's name (`ref.name`). */
    public readonly interceptorName: string,
    /** Its kind. */
    public readonly kind: 'ClusterInterceptor' | 'NamespacedInterceptor',
    /** A name for this use of it (`name`). */
    public readonly label: string | undefined,
    private readonly params: readonly { readonly name: string; readonly value: unknown }[],
  ) {}

  /** The wire form. */
  public render(): InterceptorJson {
    return {
      name: this.label,
      ref: { name: this.interceptorName, kind: this.kind },
      params: this.params.length ? this.params.map((p) => ({ name: p.name, value: p.value })) : undefined,
    };
  }
}
