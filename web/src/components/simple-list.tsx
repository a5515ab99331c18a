import type { Key, ReactNode } from 'react';

/** A plain divided list (antd's List is deprecated in v6). Items are buttons when clickable. */
export function SimpleList<T>({
  items,
  itemKey,
  render,
  onItemClick,
  bordered,
  itemTestId,
}: {
  items: T[];
  itemKey: (item: T) => Key;
  render: (item: T) => ReactNode;
  onItemClick?: (item: T) => void;
  bordered?: boolean;
  itemTestId?: string;
}) {
  return (
    <ul className={`simple-list${bordered ? ' simple-list-bordered' : ''}`}>
      {items.map((it) => (
        <li key={itemKey(it)}>
          {onItemClick ? (
            <button type="button" className="simple-list-button" onClick={() => onItemClick(it)} data-testid={itemTestId}>
              {render(it)}
            </button>
          ) : (
            <div className="simple-list-item" data-testid={itemTestId}>
              {render(it)}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
