/**
 * Run the model pipeline on every push to one branch of one GitHub repository, with Tekton
 * Triggers: GitHub posts its `push` webhook to an EventListener; Triggers' GitHub interceptor
 * checks the `X-Hub-Signature-256` HMAC under the webhook Secret and that the event is a push; a
 * CEL filter lets through only this repository, `refs/heads/<branch>` and not a branch deletion;
 * the binding reads the pushed commit (`body.after`) and the clone URL; the template creates the
 * model's PipelineRun (generateName) for exactly that commit, so the commit Chains records as the
 * source is the one pushed.
 */
import { Construct } from 'constructs';
import { EVENT_LISTENER_PORT, EventListener } from '../triggers/event-listener';
import { Interceptor, SecretRef } from '../triggers/interceptor';
import { EventValue, TriggerBinding } from '../triggers/trigger-binding';
import { Trigger } from '../triggers/trigger';
import { TriggerTemplate } from '../triggers/trigger-template';
import { EventListenerServiceAccount } from './event-listener-service-account';
import { SlsaForModelsPipeline } from './slsa-for-models-pipeline';
import { SlsaForModelsRun, SlsaForModelsRunProps } from './slsa-for-models-run';
import { WebhookIngress } from './webhook-ingress';

/** The webhook Secret `scripts/create-webhook-secret.sh` creates. */
export const DEFAULT_WEBHOOK_SECRET: SecretRef = { secretName: 'github-webhook-secret', secretKey: 'token' };

/** A GitHub `owner/name`. */
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
/** A branch name that can stand in a CEL string literal and a ref (no quote, backslash, space or git's forbidden characters). */
const BRANCH = /^(?!\/|.*\/$|.*\/\/|.*\.\.|.*@\{)[A-Za-z0-9._/-]+$/;

/** The params of the push template: strings, as every TriggerTemplate param is. */
const PUSH_TEMPLATE_PARAMS = {
  revision: { description: 'The pushed commit (body.after): what the run checks out and Chains records.' },
  url: { description: 'The repository to clone (body.repository.clone_url).' },
} as const;

/** Props of the `SlsaForModelsTrigger`. */
export interface SlsaForModelsTriggerProps {
  /** The model Pipeline the runs run. */
  readonly pipeline: SlsaForModelsPipeline;
  /** The service account of the runs' pods. */
  readonly runServiceAccountName: string;
  /** The GitHub repository whose pushes start runs, as `owner/name`. */
  readonly repository: string;
  /** The branch whose pushes start runs. @default 'main' */
  readonly branch?: string;
  /** The pip requirements file of the training code in that repository. @default 'workloads/tiny-cnn/requirements.txt' */
  readonly requirementsPath?: string;
  /** The training entry point in that repository. @default 'workloads/tiny-cnn/train.py' */
  readonly mainPath?: string;
  /** The Secret holding the webhook token. @default DEFAULT_WEBHOOK_SECRET */
  readonly webhookSecret?: SecretRef;
  /** The namespace the EventListener and the runs live in (its ClusterRoleBinding names it). @default 'default' */
  readonly namespace?: string;
  /**
   * A public host name for the webhook: adds a GKE Ingress with a Google-managed certificate.
   * @default - none: the EventListener's ClusterIP Service only (reach it with `kubectl port-forward`)
   */
  readonly host?: string;
  /** More settings of the created runs (model, storage, timeouts, accelerator). @default - the defaults of SlsaForModelsRun */
  readonly run?: Omit<SlsaForModelsRunProps, 'pipeline' | 'serviceAccountName' | 'modelSource' | 'generateName'>;
  /** The prefix of every object's name. @default 'slsa-for-models' */
  readonly name?: string;
}

/** The Triggers objects, and the access and exposure, that start a model run on every push. */
export class SlsaForModelsTrigger extends Construct {
  /** The EventListener. */
  public readonly eventListener: EventListener;
  /** The Trigger. */
  public readonly trigger: Trigger<typeof PUSH_TEMPLATE_PARAMS>;
  /** The TriggerTemplate. */
  public readonly template: TriggerTemplate<typeof PUSH_TEMPLATE_PARAMS>;
  /** The TriggerBinding. */
  public readonly binding: TriggerBinding<typeof PUSH_TEMPLATE_PARAMS>;
  /** The run the template creates. */
  public readonly run: SlsaForModelsRun;
  /** The Ingress, when a host was given. */
  public readonly ingress?: WebhookIngress;
  /** The CEL filter. */
  public readonly filter: string;

  public constructor(scope: Construct, id: string, props: SlsaForModelsTriggerProps) {
    super(scope, id);
    const name = props.name ?? 'slsa-for-models';
    const branch = props.branch ?? 'main';
    const secret = props.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
    this.template = new TriggerTemplate(this, 'Template', { metadata: { name: `${name}-push` }, params: PUSH_TEMPLATE_PARAMS });
    const tt = this.template.params;
    this.run = this.template.addResourceTemplate(
      (templateScope) =>
        new SlsaForModelsRun(templateScope, 'Run', {
          ...props.run,
          pipeline: props.pipeline,
          serviceAccountName: props.runServiceAccountName,
          generateName: `${name}-push-`,
          modelSource: {
            url: tt.url,
            revision: tt.revision,
            requirementsPath: props.requirementsPath ?? 'workloads/tiny-cnn/requirements.txt',
            mainPath: props.mainPath ?? 'workloads/tiny-cnn/train.py',
          },
        }),
    );
    this.binding = new TriggerBinding(this, 'Binding', {
      metadata: { name: `${name}-push` },
      template: this.template,
      params: { revision: EventValue.body('after'), url: EventValue.body('repository.clone_url') },
    });
    this.filter = `body.repository.full_name == '${props.repository}' && body.ref == 'refs/heads/${branch}' && !body.deleted`;
    this.trigger = new Trigger(this, 'Trigger', {
      metadata: { name: `${name}-push` },
      template: this.template,
      bindings: [this.binding],
      interceptors: [
        Interceptor.github({ secretRef: secret, eventTypes: ['push'] }),
        Interceptor.cel({ name: `only ${props.repository} ${branch}, not a deletion`, filter: this.filter }),
      ],
    });
    const account = new EventListenerServiceAccount(this, 'ServiceAccount', {
      name: `${name}-triggers`,
      namespace: props.namespace ?? 'default',
    });
    this.eventListener = new EventListener(this, 'EventListener', {
      metadata: { name },
      serviceAccountName: account.name,
      triggers: [this.trigger],
    });
    if (props.host !== undefined) {
      this.ingress = new WebhookIngress(this, 'Ingress', {
        name: `${name}-webhook`,
        host: props.host,
        serviceName: this.eventListener.serviceName,
        servicePort: EVENT_LISTENER_PORT,
      });
    }
    this.node.addValidation({
      validate: () => [
        ...(REPOSITORY.test(props.repository) ? [] : [`trigger repository "${props.repository}" is not a github owner/name`]),
        ...(BRANCH.test(branch)
          ? []
          : [`trigger branch "${branch}" is not a branch name this trigger can match (letters, digits, . _ - and /; no quote or space)`]),
      ],
    });
  }
}
