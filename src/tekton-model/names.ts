/** Name patterns Tekton and Kubernetes enforce (Tekton v1.15.0, k8s.io/apimachinery validation). */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True for a DNS-1123 label: lowercase letters, digits and `-`, alphanumeric at both ends, at most 63 characters. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a DNS-1123 subdomain (what Tekton's `ObjectMetadata` wants of metadata.name, besides at most 63 characters). */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/**
 * True for a `generateName` the API server accepts: a DNS-1123 subdomain once a trailing `-` is
 * read as a letter (k8s.io/apimachinery `ValidateObjectMeta`, `NameIsDNSSubdomain` with prefix).
 * The name it then makes (the prefix cut to 58 characters, then 5 random lowercase letters and
 * digits) is a DNS-1123 subdomain of at most 63 characters whenever the prefix is accepted.
 */
export function isDns1123SubdomainPrefix(prefix: string): boolean {
  return isDns1123Subdomain(prefix.endsWith('-') ? `${prefix.slice(0, -1)}a` : prefix);
}

/** What a DNS-1123 label is, for messages. */
export const DNS1123_LABEL_RULE =
  'a DNS-1123 label: lowercase letters, digits and "-", starting and ending alphanumeric, at most 63 characters';

/** Tekton's pattern for string and array param names (`stringAndArrayVariableNameFormat`). */
export const STRING_PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;

/** Tekton's pattern for object param names and their keys (`objectVariableNameFormat`). */
export const OBJECT_PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;

/** Tekton's pattern for result names (`ResultNameFormat`). */
export const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/**
 * Why `name` is not a Kubernetes qualified name (k8s.io/apimachinery `validation.IsQualifiedName`:
 * an optional DNS-1123 subdomain prefix and `/`, then at most 63 characters of
 * {@link RESULT_NAME}'s shape), or undefined when it is one.
 */
export function qualifiedNameProblem(name: string): string | undefined {
  const parts = name.split('/');
  if (parts.length > 2) return 'a qualified name has at most one "/" (an optional DNS-1123 subdomain prefix, then a name)';
  const [prefix, local] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined && (prefix === '' || !isDns1123Subdomain(prefix)))
    return `the prefix ${JSON.stringify(prefix)} is not a DNS-1123 subdomain`;
  if (local === '') return 'the name part is empty';
  if (local.length > 63) return 'the name part is longer than 63 characters';
  if (!RESULT_NAME.test(local)) return 'the name part must be alphanumeric characters, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

/**
 * Why `value` is not a Kubernetes label value (k8s.io/apimachinery `validation.IsValidLabelValue`:
 * empty, or at most 63 characters of {@link RESULT_NAME}'s shape), or undefined when it is one.
 */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'a label value is at most 63 characters';
  if (!RESULT_NAME.test(value)) return 'a label value is alphanumeric characters, "-", "_" or ".", starting and ending alphanumeric';
  return undefined;
}

/** True when Tekton takes a ref name for a URL (concise resolver syntax): it holds `word:/` anywhere (`RefNameLikeUrl`). */
export function isUrlLikeRefName(name: string): boolean {
  return /[\w-]+:\//.test(name);
}

/** Renders a field path for messages: `spec.tasks[1].params[0].name`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += (out === '' ? '' : '.') + segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
