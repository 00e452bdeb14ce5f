/** The GraphQL `Money` of an amount in integer minor units. */
export function money(amount: bigint, currency: string) {
  return { amount, currencyCode: currency };
}
