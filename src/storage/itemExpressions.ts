/**
 * DynamoDB expressions written in a record's own field names: a field renamed or misspelt fails to compile instead of
 * writing an attribute nobody reads. The placeholders and their maps of names and values are generated, never
 * paired by hand.
 */

/** The fields a record may lack: the only ones an update may remove. */
export type OptionalField<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** One test of a field: there, not there, equal to a value, different from it, or (a list) holding an element. */
export type FieldTest<V> =
  | 'exists'
  | 'absent'
  | { equals: NonNullable<V> }
  | { notEquals: NonNullable<V> }
  | (NonNullable<V> extends ReadonlyArray<infer E> ? { contains: E } : never);

/** Any field's test, as the expressions are built from it. */
type AnyTest = 'exists' | 'absent' | { equals: unknown } | { notEquals: unknown } | { contains: unknown };

/** Tests of a record's fields, which must all hold; a field left out (or undefined) is not tested. */
export type Condition<T> = { [K in keyof T]?: FieldTest<T[K]> | Array<FieldTest<T[K]>> };

/** One update of an item, by its record's fields; `Key` names the key fields, which an update never changes. */
export interface ItemUpdate<T, Key extends keyof T> {
  /** Fields written (one given as undefined is left as it is, not removed). */
  set?: Partial<Omit<T, Key>>;
  /** Fields written only where the item has none yet (`if_not_exists`): a repeat keeps the first value. */
  setIfAbsent?: Partial<Omit<T, Key>>;
  /** Fields removed. */
  remove?: Array<Exclude<OptionalField<T>, Key>>;
  /** The update happens only while this holds. */
  when?: Condition<T>;
}

/** The expression attributes of a request, left out when empty (DynamoDB refuses empty maps). */
export interface ExpressionAttributes {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/**
 * The expressions of one request, which share its names and values: a field is named `#field`, each value gets a
 * placeholder of its own.
 */
export class Expressions<T> {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, unknown> = {};

  name(field: keyof T & string): string {
    if (!/^[A-Za-z0-9_]+$/.test(field)) throw new Error(`"${field}" cannot be a placeholder's name.`);
    this.names[`#${field}`] = field;
    return `#${field}`;
  }

  value(value: unknown): string {
    const placeholder = `:v${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** The condition (or filter) expression of `when`; undefined when it tests nothing. */
  condition(when: Condition<T>): string | undefined {
    const terms: string[] = [];
    for (const [field, tests] of Object.entries(when) as Array<[keyof T & string, AnyTest | AnyTest[] | undefined]>) {
      for (const test of [tests ?? []].flat()) terms.push(this.term(field, test));
    }
    return terms.length > 0 ? terms.join(' AND ') : undefined;
  }

  /** The update expression of `update` (its condition is `condition(update.when)`). */
  update<Key extends keyof T>(update: ItemUpdate<T, Key>): string {
    const assignments = [
      ...this.defined(update.set).map(([field, value]) => `${this.name(field)} = ${this.value(value)}`),
      ...this.defined(update.setIfAbsent).map(([field, value]) => {
        const name = this.name(field);
        return `${name} = if_not_exists(${name}, ${this.value(value)})`;
      }),
    ];
    const removals = (update.remove ?? []).map((field) => this.name(field as keyof T & string));
    const clauses = [
      ...(assignments.length > 0 ? [`SET ${assignments.join(', ')}`] : []),
      ...(removals.length > 0 ? [`REMOVE ${removals.join(', ')}`] : []),
    ];
    if (clauses.length === 0) throw new Error('An update that sets and removes nothing.');
    return clauses.join(' ');
  }

  /** The names and values used so far. */
  attributes(): ExpressionAttributes {
    return {
      ExpressionAttributeNames: Object.keys(this.names).length > 0 ? { ...this.names } : undefined,
      ExpressionAttributeValues: Object.keys(this.values).length > 0 ? { ...this.values } : undefined,
    };
  }

  private term(field: keyof T & string, test: AnyTest): string {
    const name = this.name(field);
    if (test === 'exists') return `attribute_exists(${name})`;
    if (test === 'absent') return `attribute_not_exists(${name})`;
    if ('equals' in test) return `${name} = ${this.value(test.equals)}`;
    if ('notEquals' in test) return `${name} <> ${this.value(test.notEquals)}`;
    return `contains(${name}, ${this.value(test.contains)})`;
  }

  private defined(fields: object | undefined): Array<[keyof T & string, unknown]> {
    return Object.entries(fields ?? {}).filter(([, value]) => value !== undefined) as Array<
      [keyof T & string, unknown]
    >;
  }
}

/** An UpdateItem's expressions (or a transaction's Update's), from `update`. */
export function updateExpressions<T, Key extends keyof T>(
  update: ItemUpdate<T, Key>,
): { UpdateExpression: string; ConditionExpression?: string } & ExpressionAttributes {
  const expressions = new Expressions<T>();
  const UpdateExpression = expressions.update(update);
  const ConditionExpression = update.when && expressions.condition(update.when);
  return { UpdateExpression, ConditionExpression, ...expressions.attributes() };
}

/** A conditional Put's or Delete's expressions (or a transaction's), from `when`. */
export function conditionExpressions<T>(when: Condition<T>): { ConditionExpression?: string } & ExpressionAttributes {
  const expressions = new Expressions<T>();
  const ConditionExpression = expressions.condition(when);
  return { ConditionExpression, ...expressions.attributes() };
}
