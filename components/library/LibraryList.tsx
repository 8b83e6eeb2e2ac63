import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { LibraryItem } from '@/lib/library/query';
import { LibraryRow, type LibraryRowProps, type RowEditor } from './LibraryRow';

export interface LibraryListProps extends Omit<LibraryRowProps, 'item' | 'index' | 'selected' | 'active' | 'editor'> {
  items: readonly LibraryItem[];
  selected: ReadonlySet<string>;
  activeIndex: number;
  editing: { id: string; editor: RowEditor } | null;
  /** The query the rows were picked for (reflected on the list, so a reader or a test can tell results are current). */
  query: string;
  label: string;
}

const ESTIMATED_ROW_PX = 84;

/** The library's rows, virtualised: only the rows on screen (and a few around) are in the DOM. */
export function LibraryList(props: LibraryListProps) {
  const { items, selected, editing, activeIndex, query, label, ...rowProps } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (i) => items[i].id,
    overscan: 6,
    // Render the first rows before the scroll element is measured.
    initialRect: { width: 1000, height: 900 },
  });
  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < items.length) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, items.length, virtualizer]);
  const rows = virtualizer.getVirtualItems();
  return (
    <div className="lib-scroll" ref={scrollRef} data-query={query}>
      <div role="list" aria-label={label} aria-rowcount={items.length} className="lib-list" style={{ height: virtualizer.getTotalSize() }}>
        {rows.map((row) => {
          const item = items[row.index];
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className="lib-row-slot"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <LibraryRow
                {...rowProps}
                item={item}
                index={row.index}
                selected={selected.has(item.id)}
                active={row.index === activeIndex}
                editor={editing?.id === item.id ? editing.editor : null}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
