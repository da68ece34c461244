/**
 * Typed Tekton Triggers (v0.37.0, triggers.tekton.dev/v1beta1): EventListener, Trigger,
 * TriggerBinding, TriggerTemplate and interceptor references, over the classes generated from
 * Triggers' OpenAPI definitions.
 */
export * from './trigger-param';
export * from './trigger-template';
export * from './trigger-binding';
export * from './interceptor';
export * from './trigger';
export * from './event-listener';
