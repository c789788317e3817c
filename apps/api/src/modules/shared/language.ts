import type { Context } from '../../context.ts';

/**
 * Resolves a text kept in both languages, in the columns `<column>_de` and `<column>_en`, in the
 * language of the request (`Context.language`: English unless German is preferred), so that
 * every catalogue text (SDGs, topics, indicators) is chosen by the same rule.
 */
export function inRequestLanguage<Column extends string>(column: Column) {
  return <Text>(
    row: Record<`${Column}_de` | `${Column}_en`, Text>,
    _args: unknown,
    context: Pick<Context, 'language'>,
  ): Text => (context.language === 'de' ? row[`${column}_de`] : row[`${column}_en`]);
}
