/**
 * Results in catalog order (the check registry's order, as `GET /v1/checks` lists them), not in
 * the order they finished: concurrent checks finish in a different order every run, and a report
 * read twice should list its rows the same way. Ids the catalog does not know keep their relative
 * order after the known ones.
 */
export function inCatalogOrder<T extends { id: string }>(items: readonly T[], catalogIds: readonly string[]): T[] {
  const rank = new Map(catalogIds.map((id, i) => [id, i]));
  return items
    .map((item, i) => ({ item, key: rank.get(item.id) ?? catalogIds.length + i }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}
