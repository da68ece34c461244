/**
 * Typed Tekton variable expressions: `$(params.x)`, `$(tasks.t.results.r[*])` and friends.
 *
 * An expression is a value object. Its `toString()` renders the Tekton text, so it can be
 * embedded in a script with a template literal (`${task.params.url}` becomes `$(params.url)`),
 * and its class says which kind of value Tekton substitutes (a string, an array or an object),
 * so the compiler can refuse an array where a string param is expected.
 */

/** The kind of value a Tekton variable stands for. */
export type ValueKind = 'string' | 'array' | 'object';

/** A Tekton variable reference such as `$(params.x)`. Render it with `toString()`. */
export abstract class Expression {
  /** Which kind of value Tekton substitutes for this expression. */
  public abstract readonly kind: ValueKind;

  /** @param text the Tekton text without the surrounding `$(` and `)`, e.g. `params.url` */
  protected constructor(protected readonly text: string) {}

  /** The Tekton expression, e.g. `$(params.url)`. */
  public toString(): string {
    return `$(${this.text})`;
  }

  /** Renders as the expression text when serialised (so an expression inside props becomes a string). */
  public toJSON(): string {
    return this.toString();
  }
}

/** An expression that Tekton replaces with a string. */
export class StringExpression extends Expression {
  /** Always `'string'`. */
  public readonly kind = 'string' as const;

  /** @param text the Tekton text without `$(` and `)`, e.g. `params.url` */
  public constructor(text: string) {
    super(text);
  }
}

/** An expression that Tekton replaces with an array of strings. `toString()` renders the whole-array form `[*]`. */
export class ArrayExpression extends Expression {
  /** Always `'array'`. */
  public readonly kind = 'array' as const;

  /** @param text the Tekton text of the array without `[*]`, e.g. `params.flags` */
  public constructor(text: string) {
    super(text);
  }

  /** The whole array: `$(params.x[*])`; allowed where Tekton expands arrays (args, command, array params). */
  public toString(): string {
    return `$(${this.text}[*])`;
  }

  /** One element: `$(params.x[0])`. */
  public at(index: number): StringExpression {
    if (!Number.isInteger(index) || index < 0) {
      throw new Error(`array index of $(${this.text}) must be a non-negative integer, got ${index}`);
    }
    return new StringExpression(`${this.text}[${index}]`);
  }
}

/**
 * An expression that Tekton replaces with an object whose keys are `K`. `toString()` renders the
 * whole-object form `[*]`; `key(k)` renders one string key.
 */
export class ObjectExpression<K extends string = string> extends Expression {
  /** Always `'object'`. */
  public readonly kind = 'object' as const;

  /**
   * Compile-time only: makes an object with more keys assignable where fewer are needed, never
   * the other way round. Always undefined at run time.
   */
  public readonly keysAccepted?: (key: K) => void;

  /**
   * @param text the Tekton text of the object without `[*]`, e.g. `params.source`
   * @param keys the declared keys, when known (used to refuse unknown keys at `key()`)
   */
  public constructor(
    text: string,
    public readonly keys?: readonly string[],
  ) {
    super(text);
  }

  /** The whole object: `$(params.x[*])`; allowed where Tekton passes whole objects (object params, results). */
  public toString(): string {
    return `$(${this.text}[*])`;
  }

  /** One key of the object: `$(params.x.key)`. */
  public key(key: K): StringExpression {
    if (this.keys && !this.keys.includes(key)) {
      throw new Error(`object $(${this.text}) has no key "${key}" (declared: ${this.keys.join(', ') || 'none'})`);
    }
    return new StringExpression(`${this.text}.${key}`);
  }
}

/** A string or an expression that Tekton replaces with a string. */
export type StringValue = string | StringExpression;

/** Whether `value` is one of the typed expressions. */
export function isExpression(value: unknown): value is Expression {
  return value instanceof Expression;
}

/**
 * Renders a name segment of a Tekton variable: `x` when it can be written with a dot, else the
 * bracket form `["x.y"]` Tekton accepts for names that contain dots.
 */
export function variableSegment(prefix: string, name: string): string {
  return name.includes('.') ? `${prefix}["${name}"]` : `${prefix}.${name}`;
}
