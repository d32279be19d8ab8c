import type { Cell, TableRow } from '../components/table/types.js';

/**
 * A row whose cells are formatted when first read. Lists are sorted and filtered whole, but
 * only the rows on screen are ever drawn: with 1,000 topics a refresh formats ~20 rows, not 1,000.
 */
export function lazyRow(key: string, filterText: string, build: () => Cell[]): TableRow {
  let cells: Cell[] | undefined;
  return {
    key,
    filterText,
    get cells() {
      return (cells ??= build());
    },
  };
}
