/**
 * Pasting a block copied from Excel (or Google Sheets, LibreOffice) into the gradebook: the
 * clipboard holds tab-separated cells and newline-separated rows; a cell holding a line break or
 * a tab comes quoted ("…", with "" for a quote). Pure, so the grid and its tests share it.
 */

/** Clipboard text → rows of cells. One trailing line break (Excel always adds one) is not an empty row. */
export function parseClipboardTable(text: string): string[][] {
  const s = text.replace(/\r\n?/g, '\n');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let atCellStart = true;
  while (i < s.length) {
    const ch = s[i];
    if (atCellStart && ch === '"') {
      // A quoted cell: up to the closing quote that is followed by a separator or the end.
      let j = i + 1;
      let value = '';
      let closed = false;
      while (j < s.length) {
        if (s[j] === '"') {
          if (s[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        value += s[j];
        j++;
      }
      if (closed && (j === s.length || s[j] === '\t' || s[j] === '\n')) {
        cell = value;
        i = j;
        atCellStart = false;
        continue;
      }
      // Not a quoted cell after all (a quote typed at the start of a comment): read it as it is.
    }
    atCellStart = false;
    if (ch === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
    } else {
      cell += ch;
    }
    i++;
  }
  if (!atCellStart || cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Whether a paste is a block for the grid to spread (more than one cell), not text for the one cell. */
export function isBlock(rows: string[][]): boolean {
  return rows.length > 1 || (rows[0]?.length ?? 0) > 1;
}

export type PasteTarget = { row: number; col: number; text: string };

/**
 * Where each pasted cell lands, the block's top-left corner on the focused cell (`row`, `col`),
 * and how many cells fell outside the grid (`rowCount` × `colCount` editable cells) and were left out.
 */
export function pastePlan(rows: string[][], at: { row: number; col: number }, rowCount: number, colCount: number): { targets: PasteTarget[]; outside: number } {
  const targets: PasteTarget[] = [];
  let outside = 0;
  rows.forEach((cells, i) =>
    cells.forEach((text, j) => {
      const row = at.row + i;
      const col = at.col + j;
      if (row < rowCount && col < colCount) targets.push({ row, col, text });
      else if (text.trim() !== '') outside++;
    }),
  );
  return { targets, outside };
}
