// Jest 29 types an `each` callback's parameters as a mutable tuple, which a readonly (`as const`)
// table cannot be assigned to. `rows` keeps the literal types of a table and drops the readonly.
type Mutable<Row> = Row extends readonly unknown[] ? { -readonly [K in keyof Row]: Row[K] } : never;

export function rows<const Table extends ReadonlyArray<readonly unknown[]>>(
  table: Table,
): Array<Mutable<Table[number]>> {
  return table as unknown as Array<Mutable<Table[number]>>;
}
