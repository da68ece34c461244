/**
 * Kubernetes resource quantities (`"500m"`, `"2"`, `"6Gi"`), as `resource.ParseQuantity` reads the
 * common forms: a decimal number with an optional decimal (k, M, G, ...) or binary (Ki, Mi, Gi, ...)
 * suffix, or `m` for thousandths.
 */

const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;
const FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The value of a Kubernetes quantity (as a float), or undefined when it is not one of the forms read here. */
export function quantityValue(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  return match ? Number(match[1]) * FACTORS[match[2] ?? ''] : undefined;
}
